// Turns an AI SDK prompt into the one Ingram API call it stands for. The Ingram API keeps each
// thread's history on the server, so only the newest turn is sent: the last user message starts a
// run, and a trailing tool message holding an approval decision continues the run that asked.
import { InvalidPromptError, type LanguageModelV3CallOptions, type LanguageModelV3Prompt, type SharedV3Warning } from '@ai-sdk/provider';
import type { ContentPart } from '../../protocol/types.js';
import { toInlineData } from './data-url.js';

export type IngramCall = { kind: 'run'; content: string | ContentPart[] } | { kind: 'decision'; runId: string; approvalId: string; decision: 'approve' | 'deny' };

// The AI SDK only hands back an approval's id, while the API needs the run too: the id this
// provider gives the AI SDK carries both, so a continuation needs no state on our side.
const SEPARATOR = '~';

export function encodeApprovalId(runId: string, approvalId: string): string {
  return `${runId}${SEPARATOR}${approvalId}`;
}

export function decodeApprovalId(id: string): { runId: string; approvalId: string } | null {
  const at = id.indexOf(SEPARATOR);
  if (at <= 0 || at === id.length - 1) return null;
  return { runId: id.slice(0, at), approvalId: id.slice(at + 1) };
}

function extension(mediaType: string): string {
  const sub = mediaType.split('/')[1] ?? 'bin';
  return sub === 'jpeg' ? 'jpg' : (sub.split(/[+;]/)[0] ?? 'bin');
}

type UserMessage = Extract<LanguageModelV3Prompt[number], { role: 'user' }>;

/** The Ingram content of a user message: a string for text alone, parts when there are attachments. */
export function toIngramContent(message: UserMessage): string | ContentPart[] {
  const parts: ContentPart[] = [];
  for (const part of message.content) {
    if (part.type === 'text') {
      parts.push({ type: 'text', text: part.text });
      continue;
    }
    const { dataUrl, mediaType } = toInlineData(part.data, part.mediaType);
    if (mediaType.startsWith('image/')) parts.push({ type: 'image', image: dataUrl });
    else parts.push({ type: 'file', filename: part.filename ?? `attachment.${extension(mediaType)}`, data: dataUrl });
  }
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => (p as { text: string }).text).join('\n');
  return parts;
}

/** What the AI SDK asked for, as one Ingram call, plus warnings for what the API does not take. */
export function planIngramCall(options: LanguageModelV3CallOptions): { call: IngramCall; warnings: SharedV3Warning[] } {
  const { prompt } = options;
  const warnings: SharedV3Warning[] = [];
  if (prompt.some((m) => m.role === 'system')) {
    warnings.push({ type: 'unsupported', feature: 'system', details: "The smith's agent has its own instructions; system messages are not sent." });
  }
  if (options.tools?.length) {
    warnings.push({ type: 'unsupported', feature: 'tools', details: "Tools run on the Ingram side (the agent's hosted tools); client tools are not sent." });
  }
  for (const setting of ['temperature', 'topP', 'topK', 'maxOutputTokens', 'seed', 'stopSequences'] as const) {
    if (options[setting] !== undefined) warnings.push({ type: 'unsupported', feature: setting });
  }

  const last = prompt[prompt.length - 1];
  if (last?.role === 'user') return { call: { kind: 'run', content: toIngramContent(last) }, warnings };
  if (last?.role === 'tool') {
    const responses = last.content.filter((p) => p.type === 'tool-approval-response');
    const response = responses[responses.length - 1];
    if (response) {
      const ids = decodeApprovalId(response.approvalId);
      if (!ids) throw new InvalidPromptError({ prompt, message: `Approval id "${response.approvalId}" was not issued by the Ingram provider.` });
      if (responses.length > 1) warnings.push({ type: 'other', message: 'An Ingram run waits for one approval at a time; only the last decision was sent.' });
      return { call: { kind: 'decision', ...ids, decision: response.approved ? 'approve' : 'deny' }, warnings };
    }
  }
  throw new InvalidPromptError({
    prompt,
    message: 'The Ingram provider sends the newest turn only: the prompt must end with a user message or an approval decision.',
  });
}
