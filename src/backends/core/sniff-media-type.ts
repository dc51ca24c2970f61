/**
 * Recognises a file's type from its first bytes ("magic numbers"), never from its name or a declared
 * type. Pure and isomorphic, so the widget and any server can share it.
 */

/** The media types this sniffer can recognise. */
export type SniffableMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf';

export const SNIFFABLE_MEDIA_TYPES: readonly SniffableMediaType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  for (let i = 0; i < signature.length; i++) {
    if (bytes[offset + i] !== signature[i]) return false;
  }
  return true;
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = ascii('GIF87a');
const GIF89 = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');
// PDF readers tolerate junk before the header; we do not, so a polyglot cannot pass as a PDF.
const PDF = ascii('%PDF-');

/**
 * The media type that `bytes` start with, or `null` when it is none of PNG, JPEG, GIF, WebP or PDF.
 * Only the first 12 bytes are looked at.
 */
export function sniffMediaType(bytes: Uint8Array): SniffableMediaType | null {
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return 'image/gif';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
  if (startsWith(bytes, PDF)) return 'application/pdf';
  return null;
}

/** True when `mediaType` is one the sniffer knows, so its bytes must match it. */
export function isSniffable(mediaType: string): mediaType is SniffableMediaType {
  return (SNIFFABLE_MEDIA_TYPES as readonly string[]).includes(mediaType);
}
