import type { ConcurrencyLease, ConcurrencyStore } from '../../backends/core/stores.js';
import { evalNow, LUA_NOW, randomId, RedisScript, type RedisCommandClient } from './client.js';

// Slots in a sorted set scored by their expiry: expired ones are swept before counting, and the key
// itself lives as long as its longest slot.
const ACQUIRE = new RedisScript(`${LUA_NOW}
local max = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= max then return 0 end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`);

const RELEASE = new RedisScript(`return redis.call('ZREM', KEYS[1], ARGV[1])`);

/** A `ConcurrencyStore` shared by every instance on one Redis. */
export class RedisConcurrencyStore implements ConcurrencyStore {
  readonly #client: RedisCommandClient;
  readonly #prefix: string;

  constructor(client: RedisCommandClient, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }

  async acquire(key: string, max: number, ttlMs: number): Promise<ConcurrencyLease | null> {
    if (!(max >= 1) || !(ttlMs > 0)) throw new TypeError('acquire needs max >= 1 and ttlMs > 0');
    const redisKey = `${this.#prefix}cc:${key}`;
    const member = randomId();
    let got: number;
    try {
      got = Number(await ACQUIRE.run(this.#client, [redisKey], [Math.floor(max), Math.ceil(ttlMs), member]));
    } catch (err) {
      // No answer (commandTimeoutMs) is not "not taken": Redis may still run it, and the slot
      // would stay taken for ttlMs (a visitor's Retry after an outage refused with 429). Taken back
      // on the same connection, so it runs after the late acquire.
      evalNow(RELEASE, this.#client, [redisKey], [member]).catch(() => {});
      throw err;
    }
    if (got !== 1) return null;
    let released: Promise<void> | undefined;
    return {
      release: () =>
        (released ??= RELEASE.run(this.#client, [redisKey], [member]).then(
          () => undefined,
          (err: unknown) => {
            // A failed release may be tried again; the slot expires on its own meanwhile.
            released = undefined;
            throw err;
          },
        )),
    };
  }
}
