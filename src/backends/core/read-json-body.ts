import { textBodyBytes } from './handler-options.js';
import { JsonTextMeter } from './json-text-meter.js';
import { parseJsonAroundDataUrls } from './json-with-data-urls.js';
import { SupportError } from './support-error.js';

/** True for `application/json` and `application/*+json`, with or without parameters. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Largest body of the routes that carry a few fields at most (an approval decision, cancel,
 * session): they get this cap instead of `maxBodyBytes`, which is sized for attachments.
 */
export const SMALL_BODY_BYTES = 16 * 1024;

/** A body up to this size is parsed in one go (~1 ms); a larger one around its data URLs, in slices. */
const DIRECT_PARSE_BYTES = 256 * 1024;

const tooLarge = (maxBytes: number) => new SupportError('payload_too_large', `The request body is larger than the ${maxBytes}-byte limit.`);

/**
 * Reads a body chunk by chunk, refusing it (413) as soon as it grows past `maxBytes`: a
 * `Content-Length` over the limit is refused before reading, and a body without one is counted
 * while it streams in, and reading stops at the first byte too many. `keep: false` counts
 * without buffering (for a body that is ignored).
 */
async function readLimited(request: Request, maxBytes: number, keep: boolean, maxTextChars?: number): Promise<{ chunks: Uint8Array[]; meter: JsonTextMeter | null }> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  // A body that may be larger than the text budget, or than what parses at once in a millisecond
  // or two, gets a look inside as it streams in: its text counted, its data URLs located.
  const textBytes = maxTextChars === undefined ? Infinity : textBodyBytes(maxTextChars);
  const meter = keep && (declared === null || Number(declared) > Math.min(textBytes, DIRECT_PARSE_BYTES)) ? new JsonTextMeter() : null;
  const chunks: Uint8Array[] = [];
  if (!request.body) return { chunks, meter };
  const reader = request.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // Stop reading now; the rest of the body is never buffered.
        reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      if (meter && meter.feed(value) > textBytes) {
        reader.cancel().catch(() => {});
        throw new SupportError(
          'payload_too_large',
          `The text of this request is over the limit: ${maxTextChars!.toLocaleString('en-US')} characters per message ` +
            `(${textBytes.toLocaleString('en-US')} bytes of JSON besides attachments).`,
        );
      }
      if (keep) chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return { chunks, meter };
}

/**
 * Reads and parses a JSON body of at most `maxBytes` (see `readLimited` for how the limit is
 * enforced). With `maxTextChars`, the bytes outside attachment data URLs are held to
 * `textBodyBytes(maxTextChars)` while the body streams in, so a text-only body is refused (413)
 * long before `maxBytes`, which is sized for attachments.
 */
export async function readJsonBody(request: Request, maxBytes: number, options: { maxTextChars?: number } = {}): Promise<unknown> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    throw new SupportError('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
  }
  const { chunks, meter } = await readLimited(request, maxBytes, true, options.maxTextChars);
  const total = chunks.reduce((sum, c) => sum + c.byteLength, 0);
  if (total === 0) throw new SupportError('invalid_request', 'The request body is empty.');
  // Attachments: parsed around their data URLs, in slices (the meter found them as the body came in).
  if (meter && (meter.spans.length > 0 || meter.openDataUrl !== null)) {
    return parseJsonAroundDataUrls(chunks, total, meter.spans, meter.openDataUrl);
  }

  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SupportError('invalid_request', 'The request body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new SupportError('invalid_request', `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Reads and drops a body the route ignores (cancel, session), refusing it (413) past `maxBytes`
 * the same way as `readJsonBody`, so an oversized one is refused rather than left on the
 * connection. Any content type, and no body at all, are fine.
 */
export async function discardBody(request: Request, maxBytes: number): Promise<void> {
  await readLimited(request, maxBytes, false);
}
