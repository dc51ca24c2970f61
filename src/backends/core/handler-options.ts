import type { Limits } from '../../protocol/types.js';
import type { FeedbackHook } from './feedback.js';
import type { HandoffHook } from './handoff.js';
import type { AllowedOrigins } from './origin-policy.js';
import type { ClientAddressOptions } from './client-address.js';
import type { RequestGuardOptions } from './request-guards.js';
import type { SupportStores } from './stores.js';
import type { IdentifiedUser, SupportBackend } from './types.js';
import type { VisitorCookieOptions } from './visitor-cookie.js';

/** Options of `createSupportHandler`. Only `backend` is required. */
export interface SupportHandlerOptions extends RequestGuardOptions, ClientAddressOptions {
  /** The turn logic (local, Ingram, AI SDK, or your own). */
  backend: SupportBackend;
  /**
   * Where the endpoint is mounted, e.g. `/api/support`: routes are matched on the path after it,
   * anything else is 404. Without it, the routes are matched as the path's suffix.
   */
  basePath?: string;
  /** The host app's signed-in user for a request, or `null` for an anonymous visitor. Wins over the cookie. */
  identify?: (request: Request) => IdentifiedUser | null | Promise<IdentifiedUser | null>;
  /** Cross-origin pages allowed to call the endpoint with credentials. Same-origin is always allowed. */
  allowedOrigins?: AllowedOrigins;
  /** The anonymous visitor cookie. Set `secret` in production. */
  cookie?: VisitorCookieOptions;
  /**
   * Largest `POST /runs` body; default: room for `max_files` base64 files of `max_file_bytes` plus
   * 64 KB. Approval, cancel and session bodies are capped at 16 KB (or this, if smaller).
   */
  maxBodyBytes?: number;
  /**
   * Attachment and text limits (defaults: 10 MB, 5 files, PNG/JPEG/WebP/GIF/PDF, 16,000 characters
   * of text per message); the backend's own limits cap them. A text-only turn's body is capped at
   * `textBodyBytes(max_text_chars)`, far below `maxBodyBytes`.
   */
  limits?: Partial<Limits>;
  /**
   * State shared by every instance of the endpoint: rate limits, run slots, the run bus that takes a
   * Stop to the instance streaming the run. Default: this process's memory (one instance only). For
   * several instances: `createRedisStores(…)` from `ic-support-chat/stores/redis`.
   */
  stores?: SupportStores;
  /** The longest a run may stream; past it the run ends with `run.failed` (`run_timeout`). Default 15 minutes. */
  maxRunMs?: number;
  /**
   * After a Stop, how long the backend has to end the run itself before the core aborts it and ends
   * the stream with `run.completed` (`cancelled`); default 2 s.
   */
  cancelGraceMs?: number;
  /**
   * Production mode (default: `NODE_ENV === 'production'`): the handler refuses to start without a
   * cookie secret, or with state in this process's memory unless `singleInstance` says that is meant.
   */
  production?: boolean;
  /** One process serves every request (no load balancer, no serverless): in-memory stores are then fine in production. */
  singleInstance?: boolean;
  /** Idle time after which a `: ping` comment is written to an open stream; default 15 s. */
  pingIntervalMs?: number;
  /**
   * Called with each rating a visitor gives a reply of theirs (`POST /runs/{run_id}/feedback`),
   * after the backend's own `feedback()` if it has one. With either, `POST /session` announces
   * `features.feedback` and the widget shows Helpful / Not helpful under finished replies.
   */
  onFeedback?: FeedbackHook;
  /** How long a run's owner is remembered for feedback; default 7 days. */
  feedbackWindowMs?: number;
  /**
   * Called when a visitor asks for a person (`POST /handoff`, "Talk to a person"), with the thread,
   * the visitor, the address to answer and their message; returns the reference (ticket id) the
   * visitor sees. Wins over the backend's own `handoff()`. With either, `POST /session` announces
   * `features.handoff` and the widget's menu offers "Talk to a person".
   */
  onHandoff?: HandoffHook;
  /** How long after a visitor's last turn in a thread they can still hand it off; default 7 days. */
  handoffWindowMs?: number;
  /**
   * Called with every unexpected error (5xx, backend failures). Default `console.error`, which
   * prints the first error of a kind and counts its repeats for 10 s ("499 more like it…"), so an
   * outage that fails every request alike does not bury its cause.
   */
  onError?: (err: unknown) => void;
}

/**
 * Text per message, in characters. A support question is a few sentences; this leaves room for a
 * pasted log or stack trace while keeping what one turn costs (body, history, search) small.
 */
export const DEFAULT_MAX_TEXT_CHARS = 16_000;

/**
 * Bytes of a `POST /runs` body outside its attachments' data URLs: up to 6 bytes per character
 * (a control character escaped as `\u0000` in JSON) plus 64 KB for the JSON around the text.
 */
export function textBodyBytes(maxTextChars: number): number {
  return 6 * maxTextChars + 64 * 1024;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  max_file_bytes: 10 * 1024 * 1024,
  max_files: 5,
  accept: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'],
  max_text_chars: DEFAULT_MAX_TEXT_CHARS,
});

export { DEFAULT_ADDRESS_RATE_LIMIT, DEFAULT_CONCURRENT_RUNS, DEFAULT_FILE_RATE_LIMIT, DEFAULT_NEW_VISITOR_LIMIT, DEFAULT_RATE_LIMIT } from './request-guards.js';

/** The core's limits, capped by what the backend accepts. */
export function effectiveLimits(options: SupportHandlerOptions): Limits {
  const core = { ...DEFAULT_LIMITS, ...options.limits };
  const own = options.backend.limits ?? {};
  const accept = core.accept.map((t) => t.toLowerCase());
  return {
    max_file_bytes: Math.min(core.max_file_bytes, own.max_file_bytes ?? Infinity),
    max_files: Math.min(core.max_files, own.max_files ?? Infinity),
    accept: own.accept ? accept.filter((t) => own.accept!.map((a) => a.toLowerCase()).includes(t)) : accept,
    max_text_chars: Math.min(core.max_text_chars ?? DEFAULT_MAX_TEXT_CHARS, own.max_text_chars ?? Infinity),
  };
}
