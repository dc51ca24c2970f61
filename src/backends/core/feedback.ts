import { FEEDBACK_LIMITS, type FeedbackRating } from '../../protocol/types.js';
import { isRecord } from '../internal/helpers.js';
import { SupportError } from './support-error.js';
import type { TurnContext, Visitor } from './types.js';

/** A checked `POST /runs/{run_id}/feedback` body, as a backend's `feedback()` receives it. */
export interface FeedbackInput {
  run_id: string;
  rating: FeedbackRating;
  /** Machine codes the widget offers (`incorrect`, `unclear`, `incomplete`, `other`), or your own. */
  reasons: string[];
  comment?: string;
}

/** What the core's `onFeedback` hook receives: the feedback, the visitor who gave it, and when. */
export interface FeedbackRecord extends FeedbackInput {
  visitor: Visitor;
  /** ISO 8601, when the core accepted it. */
  received_at: string;
}

/** The host's feedback hook (core option, or the Ingram and AI SDK backends' option). */
export type FeedbackHook = (feedback: FeedbackRecord, ctx: TurnContext) => void | Promise<void>;

/** A reason is a short code, never free text: free text belongs in the comment, which is bounded. */
const REASON = /^[a-z][a-z0-9_-]*$/;

const invalid = (message: string) => new SupportError('invalid_request', message);

/** Checks a feedback body and rebuilds it from its known fields. */
export function validateFeedbackBody(runId: string, body: unknown): FeedbackInput {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  const { rating, reasons, comment } = body;
  if (rating !== 'up' && rating !== 'down') throw invalid('rating must be "up" or "down".');
  const input: FeedbackInput = { run_id: runId, rating, reasons: [] };
  if (reasons !== undefined) {
    if (!Array.isArray(reasons) || reasons.length > FEEDBACK_LIMITS.max_reasons) {
      throw invalid(`reasons must be an array of at most ${FEEDBACK_LIMITS.max_reasons} codes.`);
    }
    for (const reason of reasons) {
      if (typeof reason !== 'string' || reason.length > FEEDBACK_LIMITS.max_reason_chars || !REASON.test(reason)) {
        throw invalid(`Each reason must be a code of at most ${FEEDBACK_LIMITS.max_reason_chars} lowercase letters, digits, "_" or "-".`);
      }
    }
    input.reasons = [...new Set(reasons as string[])];
  }
  if (comment !== undefined) {
    if (typeof comment !== 'string') throw invalid('comment must be a string.');
    if (comment.length > FEEDBACK_LIMITS.max_comment_chars) {
      throw new SupportError('payload_too_large', `The comment has ${comment.length} characters; the limit is ${FEEDBACK_LIMITS.max_comment_chars}.`);
    }
    const trimmed = comment.trim();
    if (trimmed) input.comment = trimmed;
  }
  return input;
}

/** A backend's `feedback()` that hands each rating to the host's hook, with the visitor. */
export function feedbackToHook(hook: FeedbackHook): (input: FeedbackInput, ctx: TurnContext) => Promise<void> {
  return async (input, ctx) => {
    await hook({ ...input, visitor: ctx.visitor, received_at: new Date().toISOString() }, ctx);
  };
}
