import type { ThreadIndexStore } from '../../backends/core/thread-index.js';
import { THREAD_LIMITS, threadSummary, type ThreadSummary } from '../../protocol/threads.js';
import { RedisScript, type RedisCommandClient } from './client.js';

// KEYS[1]: the owner's sorted set (thread id by last activity), KEYS[2]: its hash (thread id → JSON).
// ARGV: thread id, JSON for a new thread, now (ms), ISO now, max threads, TTL (ms).
const TOUCH = new RedisScript(`local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then
  local t = cjson.decode(known)
  t.updated_at = ARGV[4]
  redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(t))
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if extra > 0 then
  local old = redis.call('ZRANGE', KEYS[1], 0, extra - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1)
  redis.call('HDEL', KEYS[2], unpack(old))
end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 1`);
const LIST = new RedisScript(`local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #ids == 0 then return {} end
return redis.call('HMGET', KEYS[2], unpack(ids))`);
const GET = new RedisScript(`return redis.call('HGET', KEYS[2], ARGV[1])`);
const REMOVE = new RedisScript(`redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('HDEL', KEYS[2], ARGV[1])`);

/** A `ThreadIndexStore` on Redis: per visitor a sorted set and a hash, expiring `ttlMs` after the last turn. */
export class RedisThreadIndex implements ThreadIndexStore {
  constructor(
    private readonly client: RedisCommandClient,
    private readonly prefix: string,
    private readonly ttlMs: number = 30 * 24 * 3600_000,
    private readonly maxThreads: number = THREAD_LIMITS.max_threads,
  ) {}

  #keys(owner: string): string[] {
    // Braces: both keys of a visitor in one cluster slot, as a script needs.
    return [`${this.prefix}threads:{${owner}}:order`, `${this.prefix}threads:{${owner}}:meta`];
  }

  async touch(owner: string, threadId: string, title: string, now: number): Promise<void> {
    const at = new Date(now).toISOString();
    const fresh = JSON.stringify({ thread_id: threadId, title, created_at: at, updated_at: at });
    await TOUCH.run(this.client, this.#keys(owner), [threadId, fresh, now, at, this.maxThreads, Math.max(1, Math.ceil(this.ttlMs))]);
  }

  async list(owner: string): Promise<ThreadSummary[]> {
    const values = await LIST.run(this.client, this.#keys(owner), [this.maxThreads]);
    return (Array.isArray(values) ? values : []).map(parse).filter((t) => t !== null);
  }

  async get(owner: string, threadId: string): Promise<ThreadSummary | null> {
    return parse(await GET.run(this.client, this.#keys(owner), [threadId]));
  }

  async remove(owner: string, threadId: string): Promise<boolean> {
    return Number(await REMOVE.run(this.client, this.#keys(owner), [threadId])) > 0;
  }
}

function parse(value: unknown): ThreadSummary | null {
  if (typeof value !== 'string') return null;
  try {
    return threadSummary(JSON.parse(value));
  } catch {
    return null;
  }
}
