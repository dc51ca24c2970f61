// The in-process stores (and SQLite's smith directory) against the store contracts, plus the
// memory bounds that only an in-process store has.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryConversationStore } from '../../../../src/backends/ai-sdk/conversation-store.js';
import { InMemoryConcurrencyStore, InMemoryRateLimitStore, InMemoryRunBus, InMemoryRunLogStore } from '../../../../src/backends/core/index.js';
import { InMemorySmithDirectory, SqliteSmithDirectory } from '../../../../src/backends/ingram/index.js';
import { concurrencyContract } from './concurrency-contract.js';
import { conversationStoreContract } from './conversation-store-contract.js';
import { rateLimitContract } from './rate-limit-contract.js';
import { runBusContract } from './run-bus-contract.js';
import { runLogContract } from './run-log-contract.js';
import { smithDirectoryContract } from './smith-directory-contract.js';
import { runOwnersContract } from './run-owners-contract.js';
import { InMemoryRunOwnerStore } from '../../../../src/backends/core/index.js';

/** One in-process store serves both "instances". */
const same = <T>(store: T) => ({ a: store, b: store });

rateLimitContract('memory', async () => same(new InMemoryRateLimitStore()));
concurrencyContract('memory', async () => same(new InMemoryConcurrencyStore()));
runBusContract('memory', async () => same(new InMemoryRunBus()));
runLogContract('memory', async (limits) => same(new InMemoryRunLogStore(limits)));
smithDirectoryContract('memory', async () => same(new InMemorySmithDirectory()));
smithDirectoryContract('SQLite (:memory:)', async () => {
  const db = await SqliteSmithDirectory.open(':memory:');
  return { ...same(db), close: async () => db.close() };
});
runOwnersContract('memory', async () => same(new InMemoryRunOwnerStore()));
conversationStoreContract('memory', async ({ maxMessages }) => same(new InMemoryConversationStore({ maxMessages })));

describe('in-process store bounds', () => {
  it('InMemoryRateLimitStore keeps at most maxKeys keys, dropping the least recently used', async () => {
    const store = new InMemoryRateLimitStore({ maxKeys: 3 });
    const rule = { windowMs: 60_000, max: 1 };
    for (const k of ['a', 'b', 'c']) assert.equal((await store.take(k, rule)).ok, true);
    assert.equal((await store.take('a', rule)).ok, false); // a is now the most recent
    assert.equal((await store.take('d', rule)).ok, true); // b goes
    assert.equal(store.size, 3);
    assert.equal((await store.take('b', rule)).ok, true);
    assert.equal((await store.take('a', rule)).ok, false);
  });

  it('InMemoryConcurrencyStore forgets a key with no slot left, released or expired', async () => {
    let now = 0;
    const store = new InMemoryConcurrencyStore({ now: () => now });
    const lease = await store.acquire('a', 1, 1_000);
    await store.acquire('b', 1, 1_000);
    await lease!.release();
    assert.equal(store.size, 1);
    now = 5_000;
    assert.ok(await store.acquire('b', 1, 1_000));
    assert.equal(store.size, 1);
  });

  it('InMemoryRunLogStore keeps the newest maxEvents of a long run, read in order after any position', async () => {
    const store = new InMemoryRunLogStore({ maxEvents: 10 });
    await store.open('run_long', { owner: 'user:ada', threadId: 't' }, 60_000);
    for (let seq = 1; seq <= 3_000; seq++) store.appendNow('run_long', seq, { type: 'message.delta', v: 1, run_id: 'run_long', delta: `d${seq}` });
    const known = await store.lookup('run_long');
    assert.ok(known.state === 'found' && known.firstSeq === 2_991 && known.lastSeq === 3_000);
    assert.deepEqual(
      (await store.read('run_long', 0, 3)).map((e) => [e.seq, (e.event as { delta: string }).delta]),
      [
        [2_991, 'd2991'],
        [2_992, 'd2992'],
        [2_993, 'd2993'],
      ],
    );
    assert.deepEqual(
      (await store.read('run_long', 2_998, 10)).map((e) => e.seq),
      [2_999, 3_000],
    );
  });
});
