/**
 * Recognises an attachment's type from its first bytes ("magic numbers"), never from its name or
 * the type the browser declares: a `.png` holding a PDF is a PDF, and a renamed `.exe` is nothing.
 * The backend checks again with its own sniffer; this one only spares the visitor a refused send.
 */

/** The types the widget can recognise, and so can ever send. */
export type AttachmentMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf';

/** How many leading bytes `sniffBytes` needs. */
export const SNIFF_LENGTH = 12;

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

const SIGNATURES: readonly { type: AttachmentMediaType; bytes: readonly number[]; offset?: number; also?: readonly number[]; alsoAt?: number }[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: ascii('GIF87a') },
  { type: 'image/gif', bytes: ascii('GIF89a') },
  // RIFF....WEBP: the four bytes between are the chunk size.
  { type: 'image/webp', bytes: ascii('RIFF'), also: ascii('WEBP'), alsoAt: 8 },
  // No junk tolerated before the header (unlike PDF readers), so a polyglot cannot pass as a PDF.
  { type: 'application/pdf', bytes: ascii('%PDF-') },
];

function matches(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

/** The type `bytes` start with, or `null` when it is none of PNG, JPEG, GIF, WebP or PDF. */
export function sniffBytes(bytes: Uint8Array): AttachmentMediaType | null {
  for (const s of SIGNATURES) {
    if (matches(bytes, s.bytes, s.offset) && (!s.also || matches(bytes, s.also, s.alsoAt))) return s.type;
  }
  return null;
}

/** Reads only the first bytes of a file (never the whole of it) and sniffs them. */
export async function sniffBlob(blob: Blob): Promise<AttachmentMediaType | null> {
  return sniffBytes(new Uint8Array(await blob.slice(0, SNIFF_LENGTH).arrayBuffer()));
}
