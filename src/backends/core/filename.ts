// Filenames come from the browser: treat them as hostile text, never as paths.

/** Longest filename kept, in UTF-16 code units (the extension is preserved when cutting). */
export const MAX_FILENAME_LENGTH = 200;

// Characters a name never needs and an attacker uses: controls (C0, C1), format characters (zero-width
// spaces and joiners, bidi overrides that make "gpj.exe" display as "exe.jpg", soft hyphens, BOM),
// lone surrogates (they break `encodeURIComponent`), line and paragraph separators (U+2028/2029
// end a line in logs and in old JavaScript), and the other default-ignorable ones (variation
// selectors, Hangul fillers) that render as nothing.
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
/** Spaces other than U+0020 (no-break, ideographic, thin, …): kept as a plain space. */
const OTHER_SPACES = /(?! )\p{Zs}/gu;

/**
 * The last path segment of `name` without control, invisible or separator characters (see
 * UNSAFE_CHARS), leading dots or surrounding spaces, cut to MAX_FILENAME_LENGTH; `fallback` when
 * nothing is left.
 */
export function sanitizeFilename(name: string, fallback = 'attachment'): string {
  let clean = name.replace(UNSAFE_CHARS, '').replace(OTHER_SPACES, ' ');
  const lastSeparator = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
  clean = clean
    .slice(lastSeparator + 1)
    .trim()
    .replace(/^\.+/, '')
    .trim();
  if (clean.length > MAX_FILENAME_LENGTH) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    let head = clean.slice(0, MAX_FILENAME_LENGTH - ext.length);
    // Never end on half of a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
    clean = head + ext;
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
