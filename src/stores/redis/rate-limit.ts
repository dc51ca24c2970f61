import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../../backends/core/stores.js';
import { assertRateLimitRule } from '../../backends/core/memory-stores.js';
import { LUA_NOW, randomId, RedisScript, type RedisCommandClient } from './client.js';

// A sliding-window log in a sorted set (score = time of the hit). Never more than `max` members,
// and the key expires one window after the last counted hit.
const TAKE = new RedisScript(`${LUA_NOW}
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, math.ceil((tonumber(oldest[2]) + window - now) / 1000))
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0`);

/** A `RateLimitStore` shared by every instance on one Redis. */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: RedisCommandClient;
  readonly #prefix: string;

  constructor(client: RedisCommandClient, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }

  async take(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    assertRateLimitRule(rule);
    const max = Math.floor(rule.max);
    const windowMs = Math.ceil(rule.windowMs);
    const wait = Number(await TAKE.run(this.#client, [`${this.#prefix}rl:${windowMs}:${max}:${key}`], [windowMs, max, randomId()]));
    return wait > 0 ? { ok: false, retryAfterSeconds: wait } : { ok: true };
  }
}
