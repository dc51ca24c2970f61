// Where `createAiSdkBackend` keeps each conversation: the AI SDK is stateless, so every turn sends
// the history again. Keyed by visitor and thread, so one visitor never sees another's messages.
import type { ModelMessage } from 'ai';

/** One visitor's thread. `visitor` is `user:ID` or `anonymous:TOKEN` (never chosen by the browser). */
export interface ConversationKey {
  visitor: string;
  threadId: string;
}

/** A tool call the model made that waits for the visitor's decision. */
export interface PendingApproval {
  approvalId: string;
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** Run by the model's provider (e.g. Ingram's hosted tools), not by this server. */
  providerExecuted?: boolean;
  decision: 'approve' | 'deny' | null;
}

export interface StoredConversation {
  /** The AI SDK messages so far. Attachments are kept as data URLs, so a conversation is plain JSON. */
  messages: ModelMessage[];
  /** The run paused for approvals, if any. */
  pending?: { runId: string; approvals: PendingApproval[] };
}

/** A conversation as loaded, with the version a `save` must name to replace it. */
export interface VersionedConversation {
  conversation: StoredConversation;
  /** Opaque; changes on every save. */
  version: string;
}

/** What `save` did: stored (with the new version), or refused because someone saved first. */
export type ConversationSaveResult = { ok: true; version: string } | { ok: false; reason: 'conflict' };

/**
 * Storage for conversations, with compare-and-set: several servers (or two requests on one) may
 * work on one thread at once, and a `save` only lands on the version its caller loaded. The
 * default keeps them in memory (one process); `ic-support-chat/stores/redis` shares them between
 * servers. A conversation is plain JSON.
 */
export interface ConversationStore {
  load(key: ConversationKey): Promise<VersionedConversation | undefined>;
  /**
   * Stores `conversation` if the stored version is still `expectedVersion` (`null`: only if there
   * is none yet). Otherwise nothing changes and the answer is a conflict: load again and merge.
   */
  save(key: ConversationKey, conversation: StoredConversation, expectedVersion: string | null): Promise<ConversationSaveResult>;
  /** The thread of `visitor` whose run `runId` waits for an approval, if any. */
  findPendingRun(visitor: string, runId: string): Promise<string | undefined>;
  /** Forgets a conversation (the visitor deleted it). Optional: a store without it keeps it until it expires. */
  delete?(key: ConversationKey): Promise<void>;
}

export interface InMemoryConversationStoreOptions {
  /** Conversations kept (least recently used dropped first). Default 1000. */
  maxConversations?: number;
  /** Messages kept per conversation, oldest dropped first. Default 100. */
  maxMessages?: number;
}

/** Drops the oldest messages past `max`, then up to the next user message, so no tool result is orphaned. */
export function trimMessages(messages: ModelMessage[], max: number): ModelMessage[] {
  if (messages.length <= max) return messages;
  let start = messages.length - max;
  while (start < messages.length && messages[start]!.role !== 'user') start++;
  return messages.slice(start);
}

/** A bounded, in-process `ConversationStore`. */
export class InMemoryConversationStore implements ConversationStore {
  readonly #conversations = new Map<string, { key: ConversationKey; conversation: StoredConversation; version: string }>();
  #saves = 0;
  // `visitor \0 runId` → thread, for runs awaiting approval.
  readonly #pendingRuns = new Map<string, string>();
  readonly maxConversations: number;
  readonly maxMessages: number;

  constructor(options: InMemoryConversationStoreOptions = {}) {
    this.maxConversations = Math.max(1, options.maxConversations ?? 1000);
    this.maxMessages = Math.max(2, options.maxMessages ?? 100);
  }

  static #key(key: ConversationKey): string {
    return `${key.visitor}\u0000${key.threadId}`;
  }

  /** How many conversations are held. */
  get size(): number {
    return this.#conversations.size;
  }

  async load(key: ConversationKey): Promise<VersionedConversation | undefined> {
    const found = this.#conversations.get(InMemoryConversationStore.#key(key));
    // A copy, so a caller's edits reach the store only through `save`.
    return found ? { conversation: structuredClone(found.conversation), version: found.version } : undefined;
  }

  async save(key: ConversationKey, conversation: StoredConversation, expectedVersion: string | null): Promise<ConversationSaveResult> {
    const k = InMemoryConversationStore.#key(key);
    const current = this.#conversations.get(k);
    if ((current?.version ?? null) !== expectedVersion) return { ok: false, reason: 'conflict' };
    const old = current?.conversation;
    if (old?.pending) this.#pendingRuns.delete(`${key.visitor}\u0000${old.pending.runId}`);
    const stored = structuredClone({ ...conversation, messages: trimMessages(conversation.messages, this.maxMessages) });
    // Re-inserting moves the conversation to the most recently used end of the Map's order.
    this.#conversations.delete(k);
    // Never reused, even after an eviction, so a stale version can never match a newer conversation.
    const version = String(++this.#saves);
    this.#conversations.set(k, { key: { ...key }, conversation: stored, version });
    if (stored.pending) this.#pendingRuns.set(`${key.visitor}\u0000${stored.pending.runId}`, key.threadId);
    while (this.#conversations.size > this.maxConversations) {
      const [oldestKey, oldest] = this.#conversations.entries().next().value!;
      this.#conversations.delete(oldestKey);
      const pending = oldest.conversation.pending;
      if (pending) this.#pendingRuns.delete(`${oldest.key.visitor}\u0000${pending.runId}`);
    }
    return { ok: true, version };
  }

  async findPendingRun(visitor: string, runId: string): Promise<string | undefined> {
    return this.#pendingRuns.get(`${visitor}\u0000${runId}`);
  }

  async delete(key: ConversationKey): Promise<void> {
    const k = InMemoryConversationStore.#key(key);
    const pending = this.#conversations.get(k)?.conversation.pending;
    if (pending) this.#pendingRuns.delete(`${key.visitor}\u0000${pending.runId}`);
    this.#conversations.delete(k);
  }
}
