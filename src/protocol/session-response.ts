/** The `POST /session` reply checked and copied: only the well-formed parts of a v1 session are kept. */
import { ProtocolError, isRecord } from './errors.js';
import type { Limits, SessionFeatures, SessionResponse } from './types.js';
import { PROTOCOL_VERSION } from './types.js';
import { isString } from './run-result.js';

export function toSession(body: unknown, url: string, status: number): SessionResponse {
  const limits = isRecord(body) ? body['limits'] : undefined;
  const visitor = isRecord(body) ? body['visitor'] : undefined;
  if (
    !isRecord(visitor) ||
    (visitor['kind'] !== 'user' && visitor['kind'] !== 'anonymous') ||
    !isRecord(limits) ||
    typeof limits['max_file_bytes'] !== 'number' ||
    typeof limits['max_files'] !== 'number' ||
    !Array.isArray(limits['accept'])
  ) {
    throw new ProtocolError('invalid_response', `POST ${url} replied with JSON that is not a v1 session.`, { status });
  }
  const session: SessionResponse = {
    v: PROTOCOL_VERSION,
    visitor: { kind: visitor['kind'] },
    limits: {
      max_file_bytes: limits['max_file_bytes'],
      max_files: limits['max_files'],
      accept: limits['accept'].filter(isString),
    } satisfies Limits,
  };
  if (typeof visitor['display_name'] === 'string') session.visitor.display_name = visitor['display_name'];
  if (visitor['has_email'] === true) session.visitor.has_email = true;
  const maxText = limits['max_text_chars'];
  if (typeof maxText === 'number' && Number.isInteger(maxText) && maxText > 0) session.limits.max_text_chars = maxText;
  // Later additions: only well-formed values are kept, anything else reads as "not supported".
  const features = isRecord(body) ? body['features'] : undefined;
  // Only `true` flags are kept, whatever their name (false reads as missing): a feature added later
  // needs no change here, and a client asks only for the ones it knows.
  if (isRecord(features)) session.features = Object.fromEntries(Object.entries(features).filter(([, on]) => on === true)) as SessionFeatures;
  const active = isRecord(body) ? body['active_run'] : undefined;
  if (isRecord(active) && isString(active['run_id']) && active['run_id'] !== '' && isString(active['thread_id'])) {
    session.active_run = { run_id: active['run_id'], thread_id: active['thread_id'] };
  }
  return session;
}
