// The Redis stores against the same contracts, on a real redis-server: each "instance" has its
// own connections, as two servers would, and each test its own key prefix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunLogLimits } from '../../../../src/backends/core/stores.js';
import { connectRedisStores, createRedisStores, type RedisStores } from '../../../../src/stores/redis/index.js';
import { connectRedis, redisUrl, uniquePrefix } from '../../../support/redis-server.js';
import { concurrencyContract } from './concurrency-contract.js';
import { conversationStoreContract } from './conversation-store-contract.js';
import { rateLimitContract } from './rate-limit-contract.js';
import { runBusContract } from './run-bus-contract.js';
import { runLogContract } from './run-log-contract.js';
import { smithDirectoryContract } from './smith-directory-contract.js';

/** Two instances' stores on one Redis, under a prefix of their own. */
async function twoInstances(options: { maxMessages?: number; runLog?: RunLogLimits } = {}) {
  const prefix = uniquePrefix();
  const [one, two] = await Promise.all([connectRedis(), connectRedis()]);
  const a = createRedisStores({ client: one.client, subscriber: one.subscriber, prefix, ...options });
  const b = createRedisStores({ client: two.client, subscriber: two.subscriber, prefix, ...options });
  return { a, b, close: async () => void (await Promise.all([one.close(), two.close()])) };
}

function pick<K extends keyof RedisStores>(name: K) {
  return async () => {
    const { a, b, close } = await twoInstances();
    return { a: a[name], b: b[name], close };
  };
}

rateLimitContract('Redis', pick('rateLimit'));
concurrencyContract('Redis', pick('concurrency'));
runBusContract('Redis', pick('runBus'));
runLogContract('Redis', async (runLog) => {
  const { a, b, close } = await twoInstances({ runLog });
  return { a: a.runLog, b: b.runLog, close };
});
smithDirectoryContract('Redis', pick('smithDirectory'));
conversationStoreContract('Redis', async ({ maxMessages }) => {
  const { a, b, close } = await twoInstances({ maxMessages });
  return { a: a.conversations, b: b.conversations, close };
});

describe('Redis stores: keys that expire, and clients by shape', () => {
  it('gives every key it writes a TTL', async (t) => {
    const prefix = uniquePrefix();
    const conn = await connectRedis();
    t.after(conn.close);
    const stores = createRedisStores({ client: conn.client, subscriber: conn.subscriber, prefix });
    await stores.rateLimit.take('k', { windowMs: 60_000, max: 5 });
    await stores.concurrency.acquire('k', 2, 60_000);
    const hold = await stores.runBus.hold('run_ttl', 'user:ada', 60_000, () => {});
    await stores.smithDirectory.set('user:ada', 'smt_1');
    await stores.smithDirectory.claim('user:bob', 'claimed:x', 'smt_2');
    await stores.conversations.save({ visitor: 'user:ada', threadId: 't' }, { messages: [{ role: 'user', content: 'q' }], pending: { runId: 'run_p', approvals: [] } }, null);
    const raw = conn.client as unknown as { keys(pattern: string): Promise<string[]>; pTTL(key: string): Promise<number> };
    const keys = await raw.keys(`${prefix}*`);
    assert.equal(keys.length, 8, keys.join(', '));
    for (const key of keys) {
      const ttl = await raw.pTTL(key);
      assert.ok(ttl > 0, `${key} has no TTL (${ttl})`);
    }
    await hold.release();
  });

  it('works with a client that has eval only (no evalSha), and with evalSha after SCRIPT FLUSH', async (t) => {
    const conn = await connectRedis();
    t.after(conn.close);
    const full = conn.client as unknown as { eval: typeof conn.client.eval; scriptFlush(): Promise<unknown> };
    const evalOnly = { eval: full.eval.bind(full) };
    const prefix = uniquePrefix();
    const stores = createRedisStores({ client: evalOnly, prefix });
    assert.deepEqual(await stores.smithDirectory.claim('user:a', 'claimed:a', 'smt_a'), { outcome: 'claimed', smithId: 'smt_a' });
    await full.scriptFlush();
    const withSha = createRedisStores({ client: conn.client, prefix });
    assert.equal(await withSha.smithDirectory.get('user:a'), 'smt_a');
  });

  it('without a subscriber, still registers runs but says a command reached nobody', async (t) => {
    const conn = await connectRedis();
    t.after(conn.close);
    const stores = createRedisStores({ client: conn.client, prefix: uniquePrefix() });
    const hold = await stores.runBus.hold('run_x', 'user:ada', 60_000, () => assert.fail('no command can arrive'));
    assert.equal(await stores.runBus.owner('run_x'), 'user:ada');
    assert.equal(await stores.runBus.send('run_x', { type: 'cancel' }), false);
    await hold.release();
  });

  it('connectRedisStores opens both connections from a URL: a command sent on one reaches a hold on the other', async () => {
    const url = await redisUrl();
    const prefix = uniquePrefix();
    const [one, two] = await Promise.all([connectRedisStores({ url, prefix }), connectRedisStores({ url, prefix })]);
    try {
      let cancelled = false;
      const hold = await one.runBus.hold('run_url', 'user:ada', 60_000, () => (cancelled = true));
      assert.equal(await two.runBus.send('run_url', { type: 'cancel' }), true);
      const deadline = Date.now() + 5000;
      while (!cancelled && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(cancelled, true);
      await hold.release();
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
    await assert.rejects(connectRedisStores({ url: 'http://not-redis' }), /redis:\/\//);
  });

  it('refuses to start without a client', () => {
    assert.throws(() => createRedisStores({} as never), /needs `client`/);
  });
});
