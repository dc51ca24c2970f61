import { createHash, randomInt } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HandoffRecord } from '../core/handoff.js';
import type { Visitor } from '../core/types.js';
import { messageText, type HistoryMessage } from './history.js';

/** One message of the conversation as a person reads it in the ticket. */
export interface TicketMessage {
  role: 'user' | 'assistant';
  text: string;
  /** Names of the files the visitor attached (the files stay in the file store). */
  attachments?: string[];
}

/** One line of the hand-off file: a ticket for the support team, with the conversation so far. */
export interface TicketLine {
  reference: string;
  received_at: string;
  requested_by: HandoffRecord['requested_by'];
  thread_id: string;
  email?: string;
  message?: string;
  /** A signed-in visitor's user id; an anonymous one's cookie is a credential, so only its hash is kept. */
  visitor: { kind: 'user'; id: string } | { kind: 'anonymous'; hash: string };
  /** The thread's messages this backend still holds (its history is bounded), oldest first. */
  transcript: TicketMessage[];
}

/** How a visitor appears in the local backend's files. */
export function visitorForFile(visitor: Visitor): TicketLine['visitor'] {
  return visitor.kind === 'user' ? { kind: 'user', id: visitor.id } : { kind: 'anonymous', hash: createHash('sha256').update(visitor.id).digest('base64url').slice(0, 22) };
}

/** `T-` and six digits: short enough to read out on the phone, random so it reveals no count. */
export function newTicketReference(): string {
  return `T-${randomInt(100_000, 1_000_000)}`;
}

function ticketMessage(message: HistoryMessage): TicketMessage {
  const names = typeof message.content === 'string' ? [] : message.content.flatMap((part) => (part.type === 'file_ref' ? [part.filename ?? part.file_id] : []));
  return { role: message.role, text: messageText(message), ...(names.length ? { attachments: names } : {}) };
}

/** Appends the ticket as one JSON line (one `write`, so concurrent hand-offs never interleave); returns its reference. */
export async function appendTicket(file: string, record: HandoffRecord, conversation: readonly HistoryMessage[]): Promise<string> {
  const line: TicketLine = {
    reference: newTicketReference(),
    received_at: record.received_at,
    requested_by: record.requested_by,
    thread_id: record.thread_id,
    ...(record.email !== undefined ? { email: record.email } : {}),
    ...(record.message !== undefined ? { message: record.message } : {}),
    visitor: visitorForFile(record.visitor),
    transcript: conversation.map(ticketMessage),
  };
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
  return line.reference;
}
