import { formatFileSize } from '../../protocol/file-size.js';
import type { Limits } from '../../protocol/types.js';
import { Base64Pieces } from './base64.js';
import { Cooperative } from './cooperative.js';
import { isSniffable, sniffMediaType } from './sniff-media-type.js';
import { SupportError } from './support-error.js';
import type { ValidatedAttachment } from './types.js';

// data:<type>/<subtype>[;param=value]*;base64,<data>, every name and value a token (RFC 9110
// tchar; values may also carry %XX escapes, as in `name=my%20file.pdf`). Nothing else passes, so
// a header with CR/LF, quotes or spaces is never forwarded to a backend or upstream.
const TOKEN = "[a-z0-9!#$&'*+.^_`|~-]+";
const VALUE = "[a-z0-9!#$&'*+.^_`|~%-]+";
const DATA_URL = new RegExp(`^data:(${TOKEN}\\/${TOKEN})((?:;${TOKEN}=${VALUE})*);base64,`, 'i');
/** Longest header looked at for a clearer error message. */
const HEADER_PEEK = 1024;
/** Enough of a data URL in pieces to hold its header: JsonTextMeter takes none over 512 bytes for one. */
const HEAD_CHARS = 4096;

export interface ParsedDataUrl {
  mediaType: string;
  base64: string;
}

/** Splits a base64 data URL; `null` when it is not one. */
export function parseDataUrl(url: string): ParsedDataUrl | null {
  const match = DATA_URL.exec(url);
  if (!match) return null;
  return { mediaType: match[1]!.toLowerCase(), base64: url.slice(match[0].length) };
}

/** The size format the widget shows (decimal kB/MB, in English here): one format everywhere. */
function formatBytes(n: number): string {
  return formatFileSize(n, 'en');
}

export interface AttachmentPart {
  kind: 'image' | 'file';
  dataUrl: string;
  filename?: string;
  partIndex: number;
  /** `dataUrl` as the pieces it was decoded in, when known (see `dataUrlPieces`): read instead of the whole. */
  pieces?: readonly string[];
}

/** The first `n` characters of the text the pieces make (all of it when shorter), read from the pieces alone. */
function headOf(pieces: readonly string[], n: number): string {
  let head = '';
  for (const piece of pieces) {
    if (head.length >= n) break;
    head += piece.slice(0, n - head.length);
  }
  return head;
}

/**
 * Decodes and checks one attachment: a base64 data URL (400), an accepted type (415), canonical
 * base64 (400), its decoded size (413, computed before decoding) and its first bytes against the
 * declared type (415). `where` names the part in error messages, e.g. `input[0].content[1]`.
 * Megabytes are checked and decoded a slice at a time, handing the event loop back between
 * slices (`work` carries the time slice across a turn's attachments).
 */
export async function validateAttachment(part: AttachmentPart, where: string, limits: Limits, work: Cooperative = new Cooperative()): Promise<ValidatedAttachment> {
  const label = part.filename ? `"${part.filename}"` : `The ${part.kind} at ${where}`;
  // The pieces must make the very string the body holds; otherwise read the string itself.
  const inPieces = part.pieces !== undefined && part.pieces.reduce((sum, p) => sum + p.length, 0) === part.dataUrl.length;
  const pieces = inPieces ? part.pieces! : [part.dataUrl];
  // A string not in pieces is at most a small body's worth: read it whole, as ever.
  const head = inPieces ? headOf(pieces, HEAD_CHARS) : part.dataUrl;
  const match = DATA_URL.exec(head);
  if (!match) {
    const comma = head.slice(0, HEADER_PEEK).indexOf(',');
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(head.slice(0, comma < 0 ? HEADER_PEEK : comma))) {
      throw new SupportError('invalid_request', `${where} has a control character (such as CR or LF) in its data URL header.`);
    }
    throw new SupportError('invalid_request', `${where} must be a base64 data URL: data:<type>[;<name>=<value>]*;base64,<data>, names and values plain tokens.`);
  }
  const mediaType = match[1]!.toLowerCase();
  if (!limits.accept.includes(mediaType)) {
    throw new SupportError('unsupported_media_type', `${label} is ${mediaType}, which is not accepted (accepted: ${limits.accept.join(', ')}).`);
  }
  if (part.kind === 'image' && !mediaType.startsWith('image/')) {
    throw new SupportError('unsupported_media_type', `${where} is an image part but declares ${mediaType}.`);
  }
  const base64 = new Base64Pieces(pieces, match[0].length);
  if (!(await base64.isStrict(work))) {
    throw new SupportError('invalid_request', `${where} is not valid base64.`);
  }
  const size = base64.decodedLength;
  if (size === 0) throw new SupportError('invalid_request', `${label} is empty.`);
  if (size > limits.max_file_bytes) {
    // Just over the limit, both round to the same figure: then the exact bytes say why it was refused.
    const [said, limit] = [formatBytes(size), formatBytes(limits.max_file_bytes)];
    const exact = said === limit ? ` (${size.toLocaleString('en-US')} bytes, over ${limits.max_file_bytes.toLocaleString('en-US')})` : '';
    throw new SupportError('payload_too_large', `${label} is ${said}${exact}; the limit is ${limit} per file.`);
  }
  const bytes = await base64.decode(work);
  const sniffed = sniffMediaType(bytes);
  // Known types must carry their own signature; other accepted types must not carry a known one.
  if (isSniffable(mediaType) ? sniffed !== mediaType : sniffed !== null) {
    throw new SupportError('unsupported_media_type', `${label} is declared as ${mediaType} but its content is ${sniffed ?? 'not of that type'}.`);
  }
  const out: ValidatedAttachment = {
    kind: part.kind,
    media_type: mediaType,
    bytes,
    data_url: part.dataUrl,
    part_index: part.partIndex,
  };
  if (part.filename !== undefined) out.filename = part.filename;
  return out;
}
