import type { ClientErrorCode, ErrorCode, KnownErrorCode } from './types.js';
import { ERROR_STATUS } from './types.js';

export interface ProtocolErrorOptions {
  /** The HTTP status of the reply, when the error came from one. */
  status?: number;
  /** How long the server asked us to wait before retrying (from `Retry-After`). */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A failed protocol exchange: a non-2xx reply, an unexpected reply, a dropped stream or an
 * unreachable server. `code` is a v1 error code (`rate_limited`, …) or a client-side one
 * (`network_error`, `interrupted`, `invalid_response`).
 */
export class ProtocolError extends Error {
  readonly code: ErrorCode | ClientErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode | ClientErrorCode, message: string, options: ProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProtocolError';
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Parses a `Retry-After` header: delta-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`). Returns milliseconds to wait (0 for a date in the past), or
 * `undefined` when the header is missing or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^[0-9]+$/.test(value)) return Number(value) * 1000;
  // Only dates with a weekday/month name: a bare number with a sign or a dot is not a valid header,
  // and Date.parse would accept things like "1.5" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

const STATUS_CODE: ReadonlyMap<number, KnownErrorCode> = new Map((Object.entries(ERROR_STATUS) as [KnownErrorCode, number][]).map(([code, status]) => [status, code]));

/** The protocol error code that goes with an HTTP status when the body does not say. */
export function codeForStatus(status: number): KnownErrorCode {
  // A bare 504 is a gateway's timeout (two codes share it when a backend names it: the body says which).
  if (status === 504) return 'upstream_error';
  const known = STATUS_CODE.get(status);
  if (known) return known;
  if (status >= 500) return 'internal_error';
  return 'invalid_request';
}

/** The media type of a `Content-Type` header, lower-cased, without parameters (`''` when missing). */
export function mediaType(response: Response): string {
  const header = response.headers.get('content-type') ?? '';
  return (header.split(';')[0] ?? '').trim().toLowerCase();
}

/** True for `application/json` and `application/*+json`. */
export function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function describeStatus(response: Response): string {
  const text = response.statusText ? ` ${response.statusText}` : '';
  return `${response.status}${text}`;
}

/**
 * Builds a `ProtocolError` from a non-2xx reply. A JSON `{"error":{"code","message"}}` body gives the
 * code and message; anything else (an HTML error page from a proxy, plain text) gives a short message
 * with the status, never the body itself. Always consumes or cancels the body.
 */
export async function errorFromResponse(response: Response, now: number = Date.now()): Promise<ProtocolError> {
  const status = response.status;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  const type = mediaType(response);
  let code: ErrorCode = codeForStatus(status);
  let message = `The server replied ${describeStatus(response)}.`;
  if (isJsonType(type)) {
    try {
      const body: unknown = await response.json();
      const error = isRecord(body) ? body['error'] : undefined;
      if (isRecord(error)) {
        if (typeof error['code'] === 'string' && error['code'] !== '') code = error['code'];
        if (typeof error['message'] === 'string' && error['message'] !== '') message = error['message'];
      }
    } catch {
      // A broken JSON body: keep the status-based code and message.
    }
  } else {
    await response.body?.cancel().catch(() => undefined);
    if (type !== '') message = `The server replied ${describeStatus(response)} (${type}).`;
  }
  return new ProtocolError(code, message, { status, retryAfterMs });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
