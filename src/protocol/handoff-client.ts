/**
 * `POST {endpoint}/handoff`, apart from run-client.ts so the widget loads it with the hand-off
 * form rather than in its main file.
 */
import { ProtocolError, isJsonType, isRecord, mediaType } from './errors.js';
import { endpointUrl, send, type ClientOptions } from './request.js';
import { HANDOFF_LIMITS, PROTOCOL_VERSION, type HandoffRequestBody, type HandoffResponse } from './types.js';

/**
 * Asks for a person to take the conversation over (`features.handoff`). Resolves with the request's
 * reference; throws a `ProtocolError` when the backend refused it (`invalid_request` for a missing
 * or bad email, `not_found` for a thread not the visitor's or no hand-off), could not be reached,
 * or replied with something that is not a hand-off.
 */
export async function requestHandoff(endpoint: string, body: HandoffRequestBody, options: ClientOptions = {}): Promise<HandoffResponse> {
  const url = endpointUrl(endpoint, '/handoff');
  const response = await send(url, { method: 'POST', body }, 'application/json', options);
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
