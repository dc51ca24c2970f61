/**
 * The launcher's two strings in every shipped language, kept apart from the full tables so the lazy
 * entry can name its button without loading them. test/widget/i18n/ checks they match the tables.
 */
export interface LauncherLabels {
  openChat: string;
  unreadReplies: string;
}

export const launcherLabels: Readonly<Record<string, LauncherLabels>> = {
  en: { openChat: 'Open support chat', unreadReplies: 'New replies: {count}' },
  fr: { openChat: 'Ouvrir le chat d’assistance', unreadReplies: 'Nouvelles réponses : {count}' },
  de: { openChat: 'Support-Chat öffnen', unreadReplies: 'Neue Antworten: {count}' },
  es: { openChat: 'Abrir el chat de ayuda', unreadReplies: 'Respuestas nuevas: {count}' },
  ja: { openChat: 'サポートチャットを開く', unreadReplies: '新しい返信：{count}件' },
  ar: { openChat: 'فتح دردشة الدعم', unreadReplies: 'ردود جديدة: {count}' },
};

/** The labels for a language tag (then its primary subtag, then English). */
export function launcherLabelsFor(lang: string | null): LauncherLabels {
  const tag = (lang ?? '').toLowerCase();
  return launcherLabels[tag] ?? launcherLabels[tag.split('-')[0] ?? ''] ?? (launcherLabels.en as LauncherLabels);
}
