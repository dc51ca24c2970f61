import { contentDisposition } from './filename.js';
import type { StoredFile } from './types.js';

/** Types a browser may show in place; everything else downloads. (Never SVG or HTML: they run script.) */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/** A stored attachment as an HTTP response that cannot be turned into script on our origin. */
export function fileResponse(file: StoredFile, headers: Headers, method: string): Response {
  const declared = file.media_type.toLowerCase();
  const mediaType = MEDIA_TYPE.test(declared) ? declared : 'application/octet-stream';
  const inline = INLINE_TYPES.has(mediaType);
  const h = new Headers(headers);
  h.set('Content-Type', mediaType);
  h.set('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', file.filename ?? file.file_id));
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('Cache-Control', 'private');
  // A sandbox would stop Chromium's PDF viewer; PDFs get no CSP, everything else a locked-down one.
  if (mediaType !== 'application/pdf') h.set('Content-Security-Policy', "default-src 'none'; sandbox");
  if (file.body instanceof Uint8Array) h.set('Content-Length', String(file.body.byteLength));
  if (method === 'HEAD') {
    if (!(file.body instanceof Uint8Array)) file.body.cancel().catch(() => {});
    return new Response(null, { status: 200, headers: h });
  }
  return new Response(file.body as BodyInit, { status: 200, headers: h });
}
