import type { ClaimOutcome, SmithDirectory } from '../../backends/ingram/smith-directory.js';
import { RedisScript, type RedisCommandClient } from './client.js';

// Every entry lives `ttlMs` after it was last read or written: an identity nobody uses any more
// goes, one in use stays. All keys share one hash tag, so the claim's two keys sit in one
// Redis Cluster slot.
const GET = new RedisScript(`local value = redis.call('GET', KEYS[1])
if value then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return value`);

const SET = new RedisScript(`redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`);

const DELETE = new RedisScript(`return redis.call('DEL', KEYS[1])`);

// The rule of `decideClaim`, in one script: nothing can run between the reads and the writes.
const CLAIM = new RedisScript(`local claimed = redis.call('GET', KEYS[2])
if claimed then return {'already_claimed', claimed} end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
local user = redis.call('GET', KEYS[1])
if user then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'user_has_smith', user}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {'claimed', ARGV[1]}`);

/** A `SmithDirectory` shared by every instance on one Redis. */
export class RedisSmithDirectory implements SmithDirectory {
  readonly #client: RedisCommandClient;
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(client: RedisCommandClient, prefix: string, ttlMs: number) {
    this.#client = client;
    this.#prefix = prefix;
    this.#ttlMs = Math.ceil(ttlMs);
  }

  #key(key: string): string {
    return `${this.#prefix}{smiths}:${key}`;
  }

  async get(key: string): Promise<string | null> {
    const value = await GET.run(this.#client, [this.#key(key)], [this.#ttlMs]);
    return typeof value === 'string' ? value : null;
  }

  async set(key: string, smithId: string): Promise<void> {
    await SET.run(this.#client, [this.#key(key)], [smithId, this.#ttlMs]);
  }

  async delete(key: string): Promise<void> {
    await DELETE.run(this.#client, [this.#key(key)], []);
  }

  async claim(userKey: string, claimedKey: string, smithId: string): Promise<ClaimOutcome> {
    const reply = await CLAIM.run(this.#client, [this.#key(userKey), this.#key(claimedKey)], [smithId, this.#ttlMs]);
    if (!Array.isArray(reply) || typeof reply[1] !== 'string') throw new Error('Unexpected reply from the claim script');
    const [outcome, id] = reply as [string, string];
    if (outcome !== 'claimed' && outcome !== 'user_has_smith' && outcome !== 'already_claimed') throw new Error(`Unexpected claim outcome ${outcome}`);
    return { outcome, smithId: id };
  }
}
