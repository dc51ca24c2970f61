import { ERROR_STATUS, type ErrorCode, type ErrorInfo, type KnownErrorCode } from '../../protocol/types.js';

export interface SupportErrorOptions {
  /** HTTP status; defaults to the status that goes with `code` (500 for unknown codes). */
  status?: number;
  /** Sent as `Retry-After` (seconds), e.g. with `rate_limited` or `unavailable`. */
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
    h.set('Retry-After', String(Math.max(0, Math.ceil(err.retryAfterSeconds))));
  }
  return new Response(JSON.stringify({ error: info }), { status, headers: h });
}
