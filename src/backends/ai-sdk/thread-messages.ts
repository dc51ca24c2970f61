// Past conversations (`features.threads`) from the AI SDK backend's conversation store: the model
// messages read back as the visitor saw them (text only: tool calls, their results and files are
// not part of a read-back transcript).
import type { ModelMessage } from 'ai';
import type { ThreadMessage } from '../../protocol/threads.js';

/** The user and assistant messages with text, oldest first; consecutive assistant steps joined. */
export function threadMessagesOf(messages: readonly ModelMessage[]): ThreadMessage[] {
  const out: ThreadMessage[] = [];
  for (const message of messages) {
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    const content = message.content;
    const text = typeof content === 'string' ? content : content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    if (!text.trim()) continue;
    const last = out.at(-1);
    if (message.role === 'assistant' && last?.role === 'assistant') last.text += `\n\n${text}`;
    else out.push({ role: message.role, text });
  }
  return out;
}
