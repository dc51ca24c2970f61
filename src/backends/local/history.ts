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

export interface HistoryLimits {
  /** Conversations kept (least recently used dropped first). Default 1000. */
  maxThreads?: number;
  /** Messages kept per conversation (oldest dropped first). Default 50. */
  maxMessages?: number;
  /** Approximate bytes kept per conversation (oldest messages dropped first). Default 256 KB. */
  maxThreadBytes?: number;
  /** Approximate bytes kept over all conversations (least recently used dropped first). Default 64 MB. */
  maxTotalBytes?: number;
}

export const HISTORY_DEFAULTS: Readonly<Required<HistoryLimits>> = Object.freeze({
  maxThreads: 1000,
  maxMessages: 50,
  maxThreadBytes: 256 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
});

/** Bookkeeping of a message or part besides its text: ids, role, object headers. */
const MESSAGE_OVERHEAD = 128;

/**
 * What a message costs in memory, approximately: two bytes per UTF-16 unit of its strings (how V8
 * stores non-Latin-1 text; Latin-1 text takes less, so this errs on the safe side) plus overhead.
 */
export function messageBytes(message: HistoryMessage): number {
  if (typeof message.content === 'string') return MESSAGE_OVERHEAD + 2 * message.content.length;
  let bytes = MESSAGE_OVERHEAD;
  for (const part of message.content) {
    bytes += MESSAGE_OVERHEAD + 2 * (part.type === 'text' ? part.text.length : part.file_id.length + part.media_type.length + (part.filename?.length ?? 0));
  }
  return bytes;
}

interface Thread {
  messages: HistoryMessage[];
  bytes: number;
}

/**
 * Conversations kept in memory per visitor and thread, bounded by count and by size: the most
 * recently used `maxThreads` conversations survive (least recently used dropped first), each keeping
 * its last `maxMessages` messages and at most `maxThreadBytes`, all of them at most `maxTotalBytes`.
 * The newest message of a thread is always kept, so a reply can still refer to it.
 */
export class ConversationHistory {
  readonly #threads = new Map<string, Thread>();
  readonly maxThreads: number;
  readonly maxMessages: number;
  readonly maxThreadBytes: number;
  readonly maxTotalBytes: number;
  #totalBytes = 0;

  constructor(limits: HistoryLimits = {}) {
    const l = { ...HISTORY_DEFAULTS, ...limits };
    this.maxThreads = l.maxThreads;
    this.maxMessages = l.maxMessages;
    this.maxThreadBytes = l.maxThreadBytes;
    this.maxTotalBytes = l.maxTotalBytes;
  }

  static key(owner: string, threadId: string): string {
    return `${owner}\u0000${threadId}`;
  }

  /** Approximate bytes held over all conversations. */
  get totalBytes(): number {
    return this.#totalBytes;
  }

  get(owner: string, threadId: string): readonly HistoryMessage[] {
    return this.#threads.get(ConversationHistory.key(owner, threadId))?.messages ?? [];
  }

  /** Forgets a conversation (the visitor deleted it). */
  delete(owner: string, threadId: string): void {
    const key = ConversationHistory.key(owner, threadId);
    this.#totalBytes -= this.#threads.get(key)?.bytes ?? 0;
    this.#threads.delete(key);
  }

  append(owner: string, threadId: string, message: HistoryMessage): void {
    const key = ConversationHistory.key(owner, threadId);
    const thread = this.#threads.get(key) ?? { messages: [], bytes: 0 };
    // Re-inserting moves the thread to the most recently used end of the Map's order.
    this.#threads.delete(key);
    const size = messageBytes(message);
    thread.messages.push(message);
    thread.bytes += size;
    this.#totalBytes += size;
    let drop = 0;
    let dropped = 0;
    while (thread.messages.length - drop > 1 && (thread.messages.length - drop > this.maxMessages || thread.bytes - dropped > this.maxThreadBytes)) {
      dropped += messageBytes(thread.messages[drop]!);
      drop++;
    }
    if (drop > 0) {
      thread.messages.splice(0, drop);
      thread.bytes -= dropped;
      this.#totalBytes -= dropped;
    }
    this.#threads.set(key, thread);
    while (this.#threads.size > 1 && (this.#threads.size > this.maxThreads || this.#totalBytes > this.maxTotalBytes)) {
      const oldest = this.#threads.keys().next().value!;
      this.#totalBytes -= this.#threads.get(oldest)!.bytes;
      this.#threads.delete(oldest);
    }
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
