import { IDEMPOTENCY_KEY_HEADER, isValidIdempotencyKey, LAST_EVENT_ID_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH, RESUME_AFTER_PARAM } from '../../protocol/types.js';
import { isRecord } from '../internal/helpers.js';
import { Cooperative, SLICE_UNITS } from './cooperative.js';
import { SupportError } from './support-error.js';

// Fifteen digits stay exact in a double; a run never gets near that many events.
const SEQ_PATTERN = /^[0-9]{1,15}$/;

/**
 * Where `GET /runs/{id}/events` resumes: the `Last-Event-ID` header, else `?after=`, else the start
 * (0). Anything but a decimal integer is refused: a stream resumed at a guessed place would
 * duplicate or skip text.
 */
export function resumePosition(request: Request, url: URL): number {
  const header = request.headers.get(LAST_EVENT_ID_HEADER);
  const [source, value] =
    header !== null ? [`The ${LAST_EVENT_ID_HEADER} header`, header.trim()] : [`The "${RESUME_AFTER_PARAM}" parameter`, url.searchParams.get(RESUME_AFTER_PARAM)];
  if (value === null || value === '') return 0;
  if (!SEQ_PATTERN.test(value)) {
    throw new SupportError('invalid_request', `${source} must be the decimal id of an event of this run (e.g. 12), got "${value.slice(0, 40)}".`);
  }
  return Number(value);
}

/** The `Idempotency-Key` of `POST /runs`, checked, or `null` when none was sent. */
export function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null) return null;
  if (!isValidIdempotencyKey(key)) {
    throw new SupportError('invalid_request', `${IDEMPOTENCY_KEY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters (e.g. a random UUID).`);
  }
  return key;
}

/**
 * What makes two `POST /runs` bodies "the same turn": the thread and the input (not `stream`, which
 * only chooses the reply's format). A SHA-256 over their JSON, so a key's record stays small. A long
 * string (an attachment's data URL, up to tens of MB) is hashed apart, a slice at a time with the
 * event loop handed back between slices, so that fingerprinting a large turn never holds the loop
 * (docs/security.md, "Event loop"); its place in the JSON keeps its index and length.
 */
export async function requestFingerprint(body: unknown): Promise<string> {
  const record = isRecord(body) ? body : {};
  const long: string[] = [];
  const text = JSON.stringify([record['thread_id'] ?? null, record['input'] ?? null], (_key, value: unknown) =>
    typeof value === 'string' && value.length > SLICE_UNITS ? `\u0000long:${long.push(value) - 1}:${value.length}` : value,
  );
  const encoder = new TextEncoder();
  const work = new Cooperative();
  const digests: ArrayBuffer[] = [await crypto.subtle.digest('SHA-256', encoder.encode(text))];
  for (const value of long) {
    for (let at = 0; at < value.length; at += SLICE_UNITS) {
      digests.push(await crypto.subtle.digest('SHA-256', encoder.encode(value.slice(at, at + SLICE_UNITS))));
      await work.pause();
    }
  }
  const all = new Uint8Array(digests.length * 32);
  digests.forEach((d, i) => all.set(new Uint8Array(d), i * 32));
  const digest = digests.length === 1 ? digests[0]! : await crypto.subtle.digest('SHA-256', all);
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
}
