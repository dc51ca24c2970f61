/** The `accept` list: parsing the attribute, matching a sniffed type, and naming it for people. */

/** `"image/png, application/pdf"` → `['image/png', 'application/pdf']` (lower case, no blanks). */
export function parseAccept(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => /^[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+)$/.test(t));
}

/** True when `mediaType` is in the list, directly or through a wildcard such as `image/*`. */
export function accepts(accept: readonly string[], mediaType: string): boolean {
  const type = mediaType.toLowerCase();
  return accept.some((a) => a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1))));
}

const SHORT_NAMES: Readonly<Record<string, string>> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'application/pdf': 'PDF',
  'image/*': 'image',
};

/** "PNG, JPEG or PDF" in the visitor's language (Intl.ListFormat, disjunction). */
export function describeAccept(accept: readonly string[], locale?: string): string {
  return formatList([...new Set(accept.map((t) => SHORT_NAMES[t] ?? t))], locale, 'disjunction');
}

/** "a, b and c" (or "a, b or c") in the visitor's language; a plain comma list where Intl cannot. */
export function formatList(items: readonly string[], locale: string | undefined, type: Intl.ListFormatType): string {
  try {
    return new Intl.ListFormat(locale, { type }).format(items);
  } catch {
    return items.join(', ');
  }
}
