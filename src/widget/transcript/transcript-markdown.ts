/**
 * "Download transcript": the conversation as a Markdown file. Loaded on demand (few visitors ask).
 * Replies are Markdown already; the visitor's text is plain text, so it is quoted as written.
 * Attachments are named (the bytes stay on the server); sources are listed as links (http/https only).
 */
import { linkableUrl } from '../../protocol/source-link.js';
import { formatString, type ChatStrings } from '../i18n/strings.js';
import { messageText, type ChatMessage } from '../types.js';

/** The transcript's Markdown: a title, then each message under its speaker and time. */
export function transcriptMarkdown(messages: readonly ChatMessage[], s: ChatStrings, assistant: string, now = new Date()): string {
  const out = [`# ${assistant} · ${now.toISOString().slice(0, 10)}`];
  for (const message of messages) {
    const who = message.role === 'user' ? s.youSaid.replace(/[:：]\s*$/, '') : assistant;
    out.push(`## ${who} · ${new Date(message.created_at).toISOString().replace('T', ' ').slice(0, 16)}`);
    const text = messageText(message).trim();
    // A visitor's text is not Markdown: each line is quoted so nothing in it is read as formatting.
    if (text) out.push(message.role === 'user' ? text.replace(/^/gm, '> ') : text);
    for (const file of message.attachments ?? []) out.push(`- ${formatString(s.transcriptAttachment, { name: file.name.replace(/[[\]\n\r]/g, '_') })}`);
    const sources = (message.sources ?? []).flatMap((source) => {
      const url = linkableUrl(source.url);
      return url ? [`- [${source.title.replace(/[[\]\n\r]/g, ' ')}](<${url.replace(/>/g, '%3E')}>)`] : [];
    });
    if (sources.length) out.push(`${s.sourcesLabel}:\n${sources.join('\n')}`);
  }
  return `${out.join('\n\n')}\n`;
}

/** Saves the transcript through a temporary `<a download>`. */
export function downloadTranscript(messages: readonly ChatMessage[], s: ChatStrings, assistant: string): void {
  const now = new Date();
  const url = URL.createObjectURL(new Blob([transcriptMarkdown(messages, s, assistant, now)], { type: 'text/markdown;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `transcript-${now.toISOString().slice(0, 10)}.md`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
