/**
 * Dates and sizes in the visitor's language, through `Intl` (no tables of our own to translate).
 * Unknown or invalid language tags fall back to the browser's default locale.
 */

function locales(lang: string | null | undefined): string[] | undefined {
  if (!lang) return undefined;
  try {
    return Intl.getCanonicalLocales(lang);
  } catch {
    return undefined;
  }
}

/** A date and time such as "12 March 2026, 14:05" (fr) or "2026年3月12日 14:05" (ja). */
export function formatDateTime(epochMs: number, lang?: string | null): string {
  return new Intl.DateTimeFormat(locales(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(epochMs);
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
  return new Intl.NumberFormat(locales(lang), {
    style: 'unit',
    unit: units[unit],
    // Bytes in full: the short form of "byte" is not pluralised in some locales ("820 byte" in English).
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 10 ? 0 : 1,
  }).format(value);
}
