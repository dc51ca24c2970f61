import { HANDOFF_LIMITS } from '../../protocol/types.js';
import { isRecord } from '../internal/helpers.js';
import { SupportError } from './support-error.js';
import type { TurnContext, Visitor } from './types.js';
import { THREAD_ID_PATTERN } from './validate-run-request.js';

/** A checked `POST /handoff` body. */
export interface HandoffInput {
  thread_id: string;
  /** What the visitor typed, when they gave an address (a signed-in visitor's account address wins). */
  email?: string;
  /** What the visitor wants the person to know, trimmed; absent when empty. */
  message?: string;
}

/** What the hand-off hook receives: the request, who asked, where to answer, and when. */
export interface HandoffRecord {
  thread_id: string;
  message?: string;
  /** Where the person answers: the signed-in visitor's account address, else the one they typed. */
  email?: string;
  visitor: Visitor;
  /** `visitor`: "Talk to a person"; `assistant`: the visitor approved the assistant's offer of one. */
  requested_by: 'visitor' | 'assistant';
  /** ISO 8601, when the request was accepted. */
  received_at: string;
}

/** What a hand-off hook answers: the reference the visitor can quote, and where the answer goes. */
export interface HandoffReply {
  /** A ticket or case id (1 to 64 characters), shown to the visitor: "We have your request T-…". */
  reference: string;
  /** The address the answer goes to, if not `record.email` (e.g. the one your help desk has on file). */
  email?: string;
}

/** The host's hand-off hook (core option, or the Ingram and AI SDK backends' option). */
export type HandoffHook = (handoff: HandoffRecord, ctx: TurnContext) => HandoffReply | Promise<HandoffReply>;

/**
 * An address a reply can be sent to: one `@`, a dotted domain, no spaces, quotes, angle brackets or
 * control characters (so it cannot smuggle a second recipient or a header into a mail). Not RFC 5322
 * in full: quoted local parts are refused, which no visitor types.
 */
const EMAIL = /^[^\s@"<>(),;:\\[\]\p{Cc}]+@[^\s@"<>(),;:\\[\]\p{Cc}]+\.[^\s@"<>(),;:\\[\]\p{Cc}.][^\s@"<>(),;:\\[\]\p{Cc}]*$/u;

/** True for an address the core accepts (at most `HANDOFF_LIMITS.max_email_chars` characters). */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= HANDOFF_LIMITS.max_email_chars && EMAIL.test(value);
}

const invalid = (message: string) => new SupportError('invalid_request', message);

/** Checks a hand-off body and rebuilds it from its known fields. */
export function validateHandoffBody(body: unknown): HandoffInput {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  const { thread_id, email, message } = body;
  if (typeof thread_id !== 'string' || !THREAD_ID_PATTERN.test(thread_id)) {
    throw invalid('thread_id must be a string of 1 to 128 letters, digits, "_" or "-".');
  }
  const input: HandoffInput = { thread_id };
  if (email !== undefined && email !== '') {
    const address = typeof email === 'string' ? email.trim() : email;
    if (!isEmailAddress(address)) throw invalid(`email must be an email address (name@example.com) of at most ${HANDOFF_LIMITS.max_email_chars} characters.`);
    input.email = address;
  }
  if (message !== undefined) {
    if (typeof message !== 'string') throw invalid('message must be a string.');
    if (message.length > HANDOFF_LIMITS.max_message_chars) {
      throw new SupportError('payload_too_large', `The message has ${message.length} characters; the limit is ${HANDOFF_LIMITS.max_message_chars}.`);
    }
    const trimmed = message.trim();
    if (trimmed) input.message = trimmed;
  }
  return input;
}

/**
 * The record for the hook: the signed-in visitor's account address wins over a typed one (the
 * person answers the account); an anonymous visitor must have typed one.
 */
export function handoffRecord(input: HandoffInput, visitor: Visitor, requestedBy: HandoffRecord['requested_by']): HandoffRecord {
  const email = accountEmail(visitor) ?? input.email;
  if (email === undefined && requestedBy === 'visitor') throw invalid('email is required: give the address a person should answer.');
  return {
    thread_id: input.thread_id,
    ...(input.message !== undefined ? { message: input.message } : {}),
    ...(email !== undefined ? { email } : {}),
    visitor,
    requested_by: requestedBy,
    received_at: new Date().toISOString(),
  };
}

/** The signed-in visitor's address from `identify()`, when it is one the core accepts. */
export function accountEmail(visitor: Visitor): string | undefined {
  return visitor.kind === 'user' && isEmailAddress(visitor.email) ? visitor.email : undefined;
}

/** Checks what a hook answered: a host bug is a 500 (logged), never a reference the widget cannot show. */
export function checkHandoffReply(reply: unknown, record: HandoffRecord): HandoffReply {
  const reference = isRecord(reply) ? reply['reference'] : undefined;
  if (typeof reference !== 'string' || reference.trim() === '' || reference.length > HANDOFF_LIMITS.max_reference_chars) {
    throw new TypeError(`The hand-off hook must return { reference } of 1 to ${HANDOFF_LIMITS.max_reference_chars} characters.`);
  }
  const email = isRecord(reply) && isEmailAddress(reply['email']) ? reply['email'] : record.email;
  return email === undefined ? { reference: reference.trim() } : { reference: reference.trim(), email };
}

/** The run-owner store's key that says `owner` talked in `threadId` (thread ids never hold `:`). */
export function threadOwnerKey(threadId: string, owner: string): string {
  return `thread:${threadId}:${owner}`;
}
