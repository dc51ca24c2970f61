import type { TextPart } from '../../protocol/types.js';

/** An attachment in the stored history: a reference to the stored file, never its bytes. */
export interface FileRefPart {
  type: 'file_ref';
  file_id: string;
  media_type: string;
  filename?: string;
}

export type HistoryPart = TextPart | FileRefPart;

export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string | HistoryPart[];
  run_id: string;
  /**
   * Set on an assistant message that ended by asking the visitor for something, so the next turn
   * can read a bare reply ("12345") as the answer instead of a new question.
   */
  asked?: 'order_id';
}

/**
 * Conversations kept in memory per visitor and thread, bounded twice: the most recently used
 * `maxThreads` conversations survive (least recently used dropped first), each keeping its last
 * `maxMessages` messages.
 */
export class ConversationHistory {
  readonly #threads = new Map<string, HistoryMessage[]>();
  readonly maxThreads: number;
  readonly maxMessages: number;

  constructor(maxThreads = 1000, maxMessages = 50) {
    this.maxThreads = maxThreads;
    this.maxMessages = maxMessages;
  }

  static key(owner: string, threadId: string): string {
    return `${owner}\u0000${threadId}`;
  }

  get(owner: string, threadId: string): readonly HistoryMessage[] {
    return this.#threads.get(ConversationHistory.key(owner, threadId)) ?? [];
  }

  append(owner: string, threadId: string, message: HistoryMessage): void {
    const key = ConversationHistory.key(owner, threadId);
    const list = this.#threads.get(key) ?? [];
    // Re-inserting moves the thread to the most recently used end of the Map's order.
    this.#threads.delete(key);
    list.push(message);
    if (list.length > this.maxMessages) list.splice(0, list.length - this.maxMessages);
    this.#threads.set(key, list);
    while (this.#threads.size > this.maxThreads) this.#threads.delete(this.#threads.keys().next().value!);
  }
}

/** The text of a history message, attachments left out. */
export function messageText(message: HistoryMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .filter((p): p is TextPart => p.type === 'text')
    .map((p) => p.text)
    .join('\n');
}
