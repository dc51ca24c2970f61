/**
 * `POST {endpoint}/handoff`, apart from run-client.ts so the widget loads it with the hand-off
 * form rather than in its main file.
 */
import { ProtocolError, errorFromResponse, isJsonType, isRecord, mediaType } from './errors.js';
import type { ClientOptions } from './run-client.js';
import { endpointUrl } from './run-client.js';
import { HANDOFF_LIMITS, PROTOCOL_VERSION, type HandoffRequestBody, type HandoffResponse } from './types.js';

/**
 * Asks for a person to take the conversation over (`features.handoff`). Resolves with the request's
 * reference; throws a `ProtocolError` when the backend refused it (`invalid_request` for a missing
 * or bad email, `not_found` for a thread not the visitor's or no hand-off), could not be reached,
 * or replied with something that is not a hand-off.
 */
export async function requestHandoff(endpoint: string, body: HandoffRequestBody, options: ClientOptions = {}): Promise<HandoffResponse> {
  const url = endpointUrl(endpoint, '/handoff');
  const headers = new Headers(options.headers);
  headers.set('accept', 'application/json');
  headers.set('content-type', 'application/json');
  const init: RequestInit = { method: 'POST', headers, body: JSON.stringify(body), credentials: options.credentials ?? 'same-origin' };
  if (options.signal) init.signal = options.signal;
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, init);
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new ProtocolError('network_error', `Could not reach ${url}.`, { cause });
  }
  if (!response.ok) throw await errorFromResponse(response);
  const reply: unknown = isJsonType(mediaType(response)) ? await response.json().catch(() => null) : null;
  const handoff = isRecord(reply) ? reply['handoff'] : null;
  const reference = isRecord(handoff) ? handoff['reference'] : null;
  if (!isRecord(handoff) || typeof reference !== 'string' || !reference || reference.length > HANDOFF_LIMITS.max_reference_chars) {
    throw new ProtocolError('invalid_response', `POST ${url} replied with something that is not a hand-off.`, { status: response.status });
  }
  const email = handoff['email'];
  return {
    v: PROTOCOL_VERSION,
    thread_id: body.thread_id,
    handoff: typeof email === 'string' && email ? { reference, email } : { reference },
  };
}
