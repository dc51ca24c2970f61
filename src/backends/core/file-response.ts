import { contentDisposition } from './filename.js';
import type { StoredFile } from './types.js';

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/**
 * A stored attachment as an HTTP response that cannot be turned into script on our origin: always
 * a download (`attachment`; an `<img>` still shows an image), a sandboxing CSP (a PDF opened from
 * our origin would otherwise run its JavaScript with it), and never cached (a shared computer
 * keeps no copy after logout).
 */
export function fileResponse(file: StoredFile, headers: Headers, method: string): Response {
  const declared = file.media_type.toLowerCase();
  const mediaType = MEDIA_TYPE.test(declared) ? declared : 'application/octet-stream';
  const h = new Headers(headers);
  h.set('Content-Type', mediaType);
  h.set('Content-Disposition', contentDisposition('attachment', file.filename ?? file.file_id));
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('Cache-Control', 'no-store');
  h.set('Content-Security-Policy', "default-src 'none'; sandbox");
  if (file.body instanceof Uint8Array) h.set('Content-Length', String(file.body.byteLength));
  if (method === 'HEAD') {
    if (!(file.body instanceof Uint8Array)) file.body.cancel().catch(() => {});
    return new Response(null, { status: 200, headers: h });
  }
  return new Response(file.body as BodyInit, { status: 200, headers: h });
}
