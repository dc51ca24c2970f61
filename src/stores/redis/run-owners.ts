import type { RunOwnerStore } from '../../backends/core/stores.js';
import { RedisScript, type RedisCommandClient } from './client.js';

const SET = new RedisScript(`redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`);
const GET = new RedisScript(`return redis.call('GET', KEYS[1])`);

/** A `RunOwnerStore` shared by every instance on one Redis: one key per run, expiring with its TTL. */
export class RedisRunOwnerStore implements RunOwnerStore {
  readonly #client: RedisCommandClient;
  readonly #prefix: string;

  constructor(client: RedisCommandClient, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }

  #key(runId: string): string {
    return `${this.#prefix}run-owner:${runId}`;
  }

  async remember(runId: string, owner: string, ttlMs: number): Promise<void> {
    await SET.run(this.#client, [this.#key(runId)], [owner, Math.max(1, Math.ceil(ttlMs))]);
  }

  async owner(runId: string): Promise<string | null> {
    const value = await GET.run(this.#client, [this.#key(runId)], []);
    return typeof value === 'string' ? value : null;
  }
}
