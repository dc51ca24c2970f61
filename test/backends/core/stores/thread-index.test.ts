// ThreadIndexStore (the signed-in visitor's list of past conversations), in memory and on a real
// redis-server, against one contract: listed newest first, per owner, bounded, removable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryThreadIndex, type ThreadIndexStore } from '../../../../src/backends/core/index.js';
import { RedisThreadIndex } from '../../../../src/stores/redis/index.js';
import { connectRedis, uniquePrefix } from '../../../support/redis-server.js';

function contract(name: string, make: (maxThreads: number) => Promise<{ a: ThreadIndexStore; b: ThreadIndexStore; close?: () => Promise<void> }>): void {
  describe(`ThreadIndexStore contract: ${name}`, () => {
    it('lists an owner’s threads newest first, keeping the first title and the creation date', async () => {
      const { a, b, close } = await make(5);
      try {
        await a.touch('user:ada', 't1', 'How do I reset my password?', Date.UTC(2026, 0, 1));
        await a.touch('user:ada', 't2', 'Refunds', Date.UTC(2026, 0, 2));
        await b.touch('user:ada', 't1', 'a later question', Date.UTC(2026, 0, 3));
        await a.touch('user:bob', 't3', 'Bob’s', Date.UTC(2026, 0, 4));
        const list = await b.list('user:ada');
        assert.deepEqual(
          list.map((t) => [t.thread_id, t.title]),
          [
            ['t1', 'How do I reset my password?'],
            ['t2', 'Refunds'],
          ],
        );
        assert.equal(list[0]!.created_at, '2026-01-01T00:00:00.000Z');
        assert.equal(list[0]!.updated_at, '2026-01-03T00:00:00.000Z');
        assert.equal(await a.get('user:bob', 't1'), null, 'another owner’s thread is absent');
        assert.equal((await a.get('user:ada', 't2'))?.title, 'Refunds');
        assert.deepEqual(await a.list('user:nobody'), []);
      } finally {
        await close?.();
      }
    });

    it('keeps at most maxThreads per owner, the oldest dropped', async () => {
      const { a, b, close } = await make(3);
      try {
        for (let i = 1; i <= 5; i++) await a.touch('user:ada', `t${i}`, `q${i}`, Date.UTC(2026, 0, i));
        assert.deepEqual(
          (await b.list('user:ada')).map((t) => t.thread_id),
          ['t5', 't4', 't3'],
        );
        assert.equal(await b.get('user:ada', 't1'), null);
      } finally {
        await close?.();
      }
    });

    it('removes a thread of its owner only', async () => {
      const { a, b, close } = await make(5);
      try {
        await a.touch('user:ada', 't1', 'q', 1);
        assert.equal(await b.remove('user:bob', 't1'), false);
        assert.equal(await b.remove('user:ada', 't1'), true);
        assert.equal(await a.remove('user:ada', 't1'), false);
        assert.deepEqual(await a.list('user:ada'), []);
      } finally {
        await close?.();
      }
    });
  });
}

contract('memory', async (max) => {
  const one = new InMemoryThreadIndex(100, max);
  return { a: one, b: one };
});

contract('Redis', async (max) => {
  const prefix = uniquePrefix();
  const [one, two] = await Promise.all([connectRedis(), connectRedis()]);
  return {
    a: new RedisThreadIndex(one.client, prefix, 60_000, max),
    b: new RedisThreadIndex(two.client, prefix, 60_000, max),
    close: async () => void (await Promise.all([one.close(), two.close()])),
  };
});

describe('InMemoryThreadIndex bounds', () => {
  it('keeps at most maxVisitors owners, the least recently active dropped', async () => {
    const index = new InMemoryThreadIndex(2, 5);
    await index.touch('user:a', 't', 'q', 1);
    await index.touch('user:b', 't', 'q', 2);
    await index.touch('user:a', 't2', 'q', 3);
    await index.touch('user:c', 't', 'q', 4);
    assert.equal((await index.list('user:b')).length, 0);
    assert.equal((await index.list('user:a')).length, 2);
  });
});
