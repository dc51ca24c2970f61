import type { Limits } from '../../protocol/types.js';
import type { AllowedOrigins } from './origin-policy.js';
import type { RateLimitOptions } from './rate-limiter.js';
import type { IdentifiedUser, SupportBackend } from './types.js';
import type { VisitorCookieOptions } from './visitor-cookie.js';

/** Options of `createSupportHandler`. Only `backend` is required. */
export interface SupportHandlerOptions {
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
  /** Per-visitor limit on POST requests; default 30 a minute. `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Idle time after which a `: ping` comment is written to an open stream; default 15 s. */
  pingIntervalMs?: number;
  /** Called with unexpected errors (5xx, backend failures); default `console.error`. */
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

export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = Object.freeze({ windowMs: 60_000, max: 30 });
