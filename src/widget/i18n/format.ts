/**
 * Dates and sizes in the visitor's language, through `Intl` (no tables of our own to translate).
 * Unknown or invalid language tags fall back to the browser's default locale.
 */

import { intlLocales as locales } from '../../protocol/file-size.js';

/** A date and time such as "12 March 2026, 14:05" (fr) or "2026年3月12日 14:05" (ja). */
export function formatDateTime(epochMs: number, lang?: string | null): string {
  return new Intl.DateTimeFormat(locales(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(epochMs);
}

/** One size format for widget and backends: see src/protocol/file-size.ts. */
export { formatFileSize } from '../../protocol/file-size.js';
