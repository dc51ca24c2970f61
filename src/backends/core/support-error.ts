import { ERROR_STATUS, type ErrorCode, type ErrorInfo, type KnownErrorCode } from '../../protocol/types.js';

/**
 * The longest `Retry-After` (seconds) ever sent to a browser. An upstream (or a bug) asking for
 * more would lock the visitor's Retry for that long (a vendor's 73-year Retry-After reached the
 * browser before this bound): past five minutes "try again later" is the honest answer anyway.
 */
export const MAX_RETRY_AFTER_SECONDS = 300;

/** `seconds` as a Retry-After value: a whole number in [0, MAX_RETRY_AFTER_SECONDS] (NaN → 0). */
export function clampRetryAfterSeconds(seconds: number): number {
  if (!(seconds > 0)) return 0;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.ceil(seconds));
}

export interface SupportErrorOptions {
  /** HTTP status; defaults to the status that goes with `code` (500 for unknown codes). */
  status?: number;
  /** Sent as `Retry-After` (seconds, clamped to MAX_RETRY_AFTER_SECONDS), e.g. with `rate_limited` or `unavailable`. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A protocol error. Throw it from a backend (or the core) to answer with
 * `{"error":{"code","message"}}` and a fitting status. Its message is shown to the visitor, so
 * keep secrets and internals out of it; any other thrown error becomes a generic 500.
 */
export class SupportError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: SupportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SupportError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code as KnownErrorCode] ?? 500;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** What the browser may see of any error: a SupportError's own words, otherwise a generic message. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof SupportError) return { code: err.code, message: err.message };
  return { code: 'internal_error', message: 'Something went wrong on the server. Please try again.' };
}

/** True when `err` is a SupportError the client caused or was told about (not worth logging as a bug). */
export function isExpectedError(err: unknown): boolean {
  return err instanceof SupportError && err.status < 500;
}

/**
 * A JSON error response for `err`, with `Retry-After` when the error carries one. `headers` is
 * spelled out rather than `HeadersInit`, a DOM-lib name a Node-only tsconfig does not have.
 */
export function errorResponse(err: unknown, headers: Headers | Record<string, string> | [string, string][] = {}): Response {
  const info = toErrorInfo(err);
  const status = err instanceof SupportError ? err.status : 500;
  const h = new Headers(headers);
  h.set('Content-Type', 'application/json; charset=utf-8');
  h.set('Cache-Control', 'no-store');
  if (err instanceof SupportError && err.retryAfterSeconds !== undefined) {
    h.set('Retry-After', String(clampRetryAfterSeconds(err.retryAfterSeconds)));
  }
  return new Response(JSON.stringify({ error: info }), { status, headers: h });
}
