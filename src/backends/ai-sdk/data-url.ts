// Attachments travel to the Ingram API (and arrive from the widget) as base64 data URLs. These
// helpers turn the AI SDK's file data (bytes, base64 text or a data: URL) into one, on atob/btoa
// only, so the backend runs on Workers, Deno and Bun as well as Node.
import { parseDataUrl } from '../core/validate-attachment.js';
import { sniffMediaType } from '../core/sniff-media-type.js';
import { decodeBase64 } from '../core/base64.js';

/** Standard, padded base64, encoded in slices so a 20 MB file does not blow the argument limit. */
export function encodeBase64(bytes: Uint8Array): string {
  const SLICE = 0x8000;
  const pieces: string[] = [];
  for (let i = 0; i < bytes.length; i += SLICE) {
    pieces.push(String.fromCharCode(...bytes.subarray(i, i + SLICE)));
  }
  return btoa(pieces.join(''));
}

/** The MIME type named in a base64 data URL, or `null` when `url` is not one. */
export function mediaTypeOfDataUrl(url: string): string | null {
  return parseDataUrl(url)?.mediaType ?? null;
}

/** True for a concrete type (`image/png`), false for a wildcard (`image/*`) or nothing. */
function isConcrete(mediaType: string | undefined): mediaType is string {
  return !!mediaType && /^[^/*]+\/[^/*]+$/.test(mediaType);
}

export interface InlineData {
  dataUrl: string;
  mediaType: string;
}

/**
 * Inline file data as a data URL. The media type comes, in order, from a data URL itself, the
 * declared type when it is concrete, or the bytes' signature (PNG, JPEG, GIF, WebP, PDF): the AI
 * SDK hands over `image/*` when an image was given as bytes without a type.
 */
export function toInlineData(data: Uint8Array | string | URL, declared: string | undefined): InlineData {
  if (data instanceof URL || (typeof data === 'string' && data.startsWith('data:'))) {
    const href = data instanceof URL ? data.href : data;
    const parsed = parseDataUrl(href);
    if (!parsed) {
      throw new TypeError('Only inline attachments are supported: give bytes, base64 or a base64 data: URL (the model does not fetch URLs).');
    }
    const mediaType = isConcrete(declared) && declared !== 'application/octet-stream' ? declared : parsed.mediaType;
    return { dataUrl: mediaType === parsed.mediaType ? href : `data:${mediaType};base64,${parsed.base64}`, mediaType };
  }
  const base64 = typeof data === 'string' ? data : encodeBase64(data);
  let mediaType = isConcrete(declared) ? declared : null;
  if (!mediaType) {
    mediaType = sniffMediaType(typeof data === 'string' ? base64Head(data) : data) ?? 'application/octet-stream';
  }
  return { dataUrl: `data:${mediaType};base64,${base64}`, mediaType };
}

/** The first 12 bytes of base64 text (16 characters), enough for a signature; empty when malformed. */
function base64Head(base64: string): Uint8Array {
  try {
    return decodeBase64(base64.length > 16 ? base64.slice(0, 16) : base64);
  } catch {
    return new Uint8Array(0);
  }
}
