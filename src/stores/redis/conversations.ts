import {
  trimMessages,
  type ConversationKey,
  type ConversationSaveResult,
  type ConversationStore,
  type StoredConversation,
  type VersionedConversation,
} from '../../backends/ai-sdk/conversation-store.js';
import { randomId, RedisScript, type RedisCommandClient } from './client.js';

// A conversation is a hash: `v` its version (random, so a stale one never matches again, even after
// the key expired and came back), `d` the JSON, `p` the run waiting for approvals. A second hash per
// visitor maps those runs to their threads. Both keys carry the visitor as hash tag (one Cluster
// slot) and expire `ttlMs` after the last save.
const LOAD = new RedisScript(`return redis.call('HMGET', KEYS[1], 'v', 'd')`);

const SAVE = new RedisScript(`local current = redis.call('HGET', KEYS[1], 'v') or ''
if current ~= ARGV[1] then return false end
local old = redis.call('HGET', KEYS[1], 'p') or ''
if old ~= '' and redis.call('HGET', KEYS[2], old) == ARGV[5] then redis.call('HDEL', KEYS[2], old) end
redis.call('HSET', KEYS[1], 'v', ARGV[6], 'd', ARGV[2], 'p', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return ARGV[6]`);

const DELETE = new RedisScript(`local pending = redis.call('HGET', KEYS[1], 'p') or ''
if pending ~= '' and redis.call('HGET', KEYS[2], pending) == ARGV[1] then redis.call('HDEL', KEYS[2], pending) end
return redis.call('DEL', KEYS[1])`);

const FIND_PENDING = new RedisScript(`return redis.call('HGET', KEYS[1], ARGV[1])`);

export interface RedisConversationStoreOptions {
  /** Messages kept per conversation, oldest dropped first. Default 100. */
  maxMessages?: number;
  /** How long a conversation is kept after its last turn. Default 30 days. */
  ttlMs?: number;
}

/** A `ConversationStore` shared by every instance on one Redis, with compare-and-set saves. */
export class RedisConversationStore implements ConversationStore {
  readonly #client: RedisCommandClient;
  readonly #prefix: string;
  readonly maxMessages: number;
  readonly ttlMs: number;

  constructor(client: RedisCommandClient, prefix: string, options: RedisConversationStoreOptions = {}) {
    this.#client = client;
    this.#prefix = prefix;
    this.maxMessages = Math.max(2, options.maxMessages ?? 100);
    this.ttlMs = Math.ceil(options.ttlMs ?? 30 * 24 * 3600_000);
  }

  #keys(visitor: string, threadId?: string): string[] {
    const tag = `{${visitor}}`;
    return [`${this.#prefix}conv:${tag}:${threadId ?? ''}`, `${this.#prefix}conv-pending:${tag}`];
  }

  async load(key: ConversationKey): Promise<VersionedConversation | undefined> {
    const reply = await LOAD.run(this.#client, [this.#keys(key.visitor, key.threadId)[0]!], []);
    const [version, data] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (typeof version !== 'string' || typeof data !== 'string') return undefined;
    return { conversation: JSON.parse(data) as StoredConversation, version };
  }

  async save(key: ConversationKey, conversation: StoredConversation, expectedVersion: string | null): Promise<ConversationSaveResult> {
    const stored: StoredConversation = { ...conversation, messages: trimMessages(conversation.messages, this.maxMessages) };
    const reply = await SAVE.run(this.#client, this.#keys(key.visitor, key.threadId), [
      expectedVersion ?? '',
      JSON.stringify(stored),
      this.ttlMs,
      stored.pending?.runId ?? '',
      key.threadId,
      randomId(),
    ]);
    return typeof reply === 'string' ? { ok: true, version: reply } : { ok: false, reason: 'conflict' };
  }

  async delete(key: ConversationKey): Promise<void> {
    await DELETE.run(this.#client, this.#keys(key.visitor, key.threadId), [key.threadId]);
  }

  async findPendingRun(visitor: string, runId: string): Promise<string | undefined> {
    const thread = await FIND_PENDING.run(this.#client, [this.#keys(visitor)[1]!], [runId]);
    return typeof thread === 'string' ? thread : undefined;
  }
}
