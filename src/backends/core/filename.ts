// Filenames come from the browser: treat them as hostile text, never as paths.

/** Longest filename kept, in UTF-16 code units (the extension is preserved when cutting). */
export const MAX_FILENAME_LENGTH = 200;

// C0/C1 controls, and the bidi overrides that can make "gpj.exe" display as "exe.jpg".
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The last path segment of `name` without control or bidi characters, leading dots or surrounding
 * spaces, cut to MAX_FILENAME_LENGTH; `fallback` when nothing is left.
 */
export function sanitizeFilename(name: string, fallback = 'attachment'): string {
  let clean = name.replace(UNSAFE_CHARS, '');
  const lastSeparator = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
  clean = clean.slice(lastSeparator + 1).trim().replace(/^\.+/, '').trim();
  if (clean.length > MAX_FILENAME_LENGTH) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_FILENAME_LENGTH - ext.length) + ext;
  }
  return clean || fallback;
}

/**
 * A `Content-Disposition` value with an ASCII fallback `filename` and the exact name as RFC 5987
 * `filename*`.
 */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const name = sanitizeFilename(filename, 'file');
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
