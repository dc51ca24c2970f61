import { SupportError } from './support-error.js';

/** True for `application/json` and `application/*+json`, with or without parameters. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads and parses a JSON body, refusing it (413) as soon as it grows past `maxBytes`: a
 * `Content-Length` over the limit is refused before reading, and a body without one is counted
 * chunk by chunk while it streams in, and reading stops at the first byte too many.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    throw new SupportError('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
  }
  const tooLarge = () =>
    new SupportError('payload_too_large', `The request body is larger than the ${maxBytes}-byte limit.`);
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge();
  if (!request.body) throw new SupportError('invalid_request', 'The request body is empty.');

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // Stop reading now; the rest of the body is never buffered.
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  if (total === 0) throw new SupportError('invalid_request', 'The request body is empty.');

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
