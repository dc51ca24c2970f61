/**
 * The Ingram client's errors: `IngramApiError` (what the visitor may see, and the API's own answer
 * for logs), the API's error answers mapped onto protocol error codes, which failures are worth
 * another try, and the approval call's 409 read as "already decided".
 */
import { clampRetryAfterSeconds, SupportError } from '../core/support-error.js';
import { isRecord, parseRetryAfter } from '../../protocol/errors.js';

/**
 * The `Retry-After` (seconds) given to the visitor when the API answers 429 without one: the
 * protocol requires the header on every 429, and the widget waits this long before Retry.
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 10;

/**
 * A `SupportError` from an Ingram API call. Its `code`/`message` are what the visitor may see;
 * `upstreamStatus`/`upstreamCode` keep the API's own answer for the server's logic and logs.
 * No message ever contains the token.
 */
export class IngramApiError extends SupportError {
  readonly upstreamStatus: number | undefined;
  readonly upstreamCode: string | undefined;
  /** The API's own message (token redacted), for server logs. */
  readonly upstreamMessage: string | undefined;
  /** The API's own `Retry-After` in ms, unclamped (the client's retry honours it; the visitor gets `retryAfterSeconds`). */
  readonly upstreamRetryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    details: { status?: number; retryAfterSeconds?: number; upstreamStatus?: number; upstreamCode?: string; upstreamMessage?: string; upstreamRetryAfterMs?: number },
  ) {
    super(code, message, { status: details.status, retryAfterSeconds: details.retryAfterSeconds });
    this.name = 'IngramApiError';
    this.upstreamStatus = details.upstreamStatus;
    this.upstreamCode = details.upstreamCode;
    this.upstreamMessage = details.upstreamMessage;
    this.upstreamRetryAfterMs = details.upstreamRetryAfterMs;
  }
}

/** A failure worth another try of an idempotent call: rate limited, a server fault, or the network. */
export function isTransient(err: unknown): err is IngramApiError {
  if (!(err instanceof IngramApiError)) return false;
  const status = err.upstreamStatus;
  // No status: the request never got an answer (network error, timeout, a body cut short).
  if (status === undefined) return err.code === 'unavailable';
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

export class TimeoutError extends Error {
  constructor() {
    super('timeout');
    this.name = 'TimeoutError';
  }
}

/** The API's error answer as an `IngramApiError`; `redact` takes the token out of the API's message. */
export async function apiErrorFrom(response: Response, redact: (text: string) => string): Promise<IngramApiError> {
  const status = response.status;
  let upstreamCode: string | undefined;
  let upstreamMessage: string | undefined;
  try {
    const body: unknown = await response.json();
    const error = isRecord(body) ? body['error'] : undefined;
    if (isRecord(error)) {
      const code = error['code'] ?? error['type'];
      if (typeof code === 'string') upstreamCode = code;
      if (typeof error['message'] === 'string') upstreamMessage = redact(error['message']);
    }
  } catch {
    // Not JSON (an HTML page from a proxy): the status says enough.
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const details = { upstreamStatus: status, upstreamCode, upstreamMessage, upstreamRetryAfterMs: retryAfterMs };
  if (status === 401 || status === 403) {
    // The server's credentials, not the visitor's: the visitor gets a 502 and no detail.
    return new IngramApiError('upstream_error', 'The support service refused this server’s credentials.', details);
  }
  if (status === 404) return new IngramApiError('not_found', 'Not found.', details);
  // What the visitor is told is clamped (a Retry-After of years would lock the chat); the
  // client's own retry sees the API's value in upstreamRetryAfterMs.
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : clampRetryAfterSeconds(retryAfterMs / 1000);
  if (status === 429) {
    return new IngramApiError('rate_limited', 'Too many messages right now. Please wait a moment and try again.', {
      ...details,
      retryAfterSeconds: retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    });
  }
  if (status === 413) return new IngramApiError('payload_too_large', 'That message is too large.', details);
  if (status === 400 || status === 422) {
    // The API's words stay in upstreamMessage (server logs): they may quote the request or internals.
    return new IngramApiError('invalid_request', 'The support service rejected the request.', details);
  }
  if (status === 503) {
    return new IngramApiError('unavailable', 'The support service is unavailable right now. Please try again.', { ...details, retryAfterSeconds });
  }
  return new IngramApiError('upstream_error', 'The support service had a problem. Please try again.', details);
}

/**
 * An approval call's outcome, with the API's 409 (the approval was already decided) as the
 * protocol's 404: for the visitor a decided approval no longer exists, and it is not a server fault.
 */
export async function decided<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (!(err instanceof IngramApiError) || err.upstreamStatus !== 409) throw err;
    throw new IngramApiError('not_found', 'This approval was already decided.', {
      upstreamStatus: err.upstreamStatus,
      upstreamCode: err.upstreamCode,
      upstreamMessage: err.upstreamMessage,
    });
  }
}
