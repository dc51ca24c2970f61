/**
 * One HTTP request to a v1 backend, shared by the run, hand-off and threads clients (not part of the
 * package's exports). Kept in one place so every call sends the caller's headers, credentials and
 * signal the same way and fails with the same `ProtocolError`s.
 */
import { ProtocolError, errorFromResponse } from './errors.js';

/** Options shared by every call to a v1 backend. */
export interface ClientOptions {
  /** Aborts the request and the stream; iteration then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** A `fetch` to use instead of the global one (tests, instrumentation). */
  fetch?: typeof fetch;
  /** Default `same-origin`: the backend's visitor cookie travels to the same origin only. */
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Extra request headers (e.g. a CSRF token the host app requires). Spelled out rather than
   *  `HeadersInit`, a DOM-only name, so the types also compile for a server without the DOM lib. */
  headers?: Headers | Record<string, string> | [string, string][];
}

/** One request: `body` is sent as JSON (a GET has none), `headers` go on top of the caller's. */
export interface RequestShape {
  method: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
}

/** `endpoint` + `path`, with or without a trailing slash on the endpoint. */
export function endpointUrl(endpoint: string, path: string): string {
  return endpoint.replace(/\/+$/, '') + path;
}

/**
 * Sends the request and returns a 2xx reply; throws the backend's `ProtocolError` for any other
 * status, and `network_error` when the server cannot be reached (an abort rejects with its reason).
 */
export async function send(url: string, shape: RequestShape, accept: string, options: ClientOptions): Promise<Response> {
  const headers = new Headers(options.headers);
  for (const [name, value] of Object.entries(shape.headers ?? {})) headers.set(name, value);
  headers.set('accept', accept);
  const init: RequestInit = { method: shape.method, headers, credentials: options.credentials ?? 'same-origin' };
  if (shape.body !== undefined) {
    headers.set('content-type', 'application/json');
    init.body = JSON.stringify(shape.body);
  }
  if (options.signal) init.signal = options.signal;
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, init);
  } catch (cause) {
    rethrowAbort(options.signal);
    throw new ProtocolError('network_error', `Could not reach ${url}.`, { cause });
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** The reply's JSON body; `invalid_response` (naming `request`) when it does not parse. */
export async function readJson(response: Response, request: string, options: ClientOptions): Promise<unknown> {
  try {
    return await response.json();
  } catch (cause) {
    rethrowAbort(options.signal);
    throw new ProtocolError('invalid_response', `${request} replied with broken JSON.`, { status: response.status, cause });
  }
}

/** Lets go of a reply's body that is not read (so its connection is freed); never rejects. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** When the caller aborted, their abort reason wins over whatever error the abort caused. */
export function rethrowAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
