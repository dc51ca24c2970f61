/**
 * The launcher's two strings in every shipped language, kept apart from the full tables so the lazy
 * entry can name its button without loading them. Copied from each language's file into
 * ../i18n/launcher-strings.ts by scripts/locales.mjs; test/widget/i18n/ checks they match the tables.
 */
import { launcherLabels } from '../i18n/launcher-strings.js';

export { launcherLabels };

export interface LauncherLabels {
  openChat: string;
  unreadReplies: string;
}

/** The labels for a language tag (then its primary subtag, then English). */
export function launcherLabelsFor(lang: string | null): LauncherLabels {
  const tag = (lang ?? '').toLowerCase();
  return launcherLabels[tag] ?? launcherLabels[tag.split('-')[0] ?? ''] ?? (launcherLabels.en as LauncherLabels);
}
