/**
 * One way to write a file size, shared by the widget (chips, refusals) and the reference backends
 * (replies that describe attachments), so the visitor never reads "137 kB" beside "133.5 KB" for the
 * same file. Decimal units (1 kB = 1000 bytes), as `Intl` names them, in the reader's language.
 */

/** `lang` as `Intl` locales; `undefined` (the runtime's default) for a missing or invalid tag. */
export function intlLocales(lang: string | null | undefined): string[] | undefined {
  if (!lang) return undefined;
  try {
    return Intl.getCanonicalLocales(lang);
  } catch {
    return undefined;
  }
}

/** A file size in the largest fitting unit: "820 bytes", "1.4 MB", "1,4 Mo" (fr), "١٫٤ م.ب" (ar). */
export function formatFileSize(bytes: number, lang?: string | null): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(intlLocales(lang), {
    style: 'unit',
    unit: units[unit],
    // Bytes in full: the short form of "byte" is not pluralised in some locales ("820 byte" in English).
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 10 ? 0 : 1,
  }).format(value);
}
