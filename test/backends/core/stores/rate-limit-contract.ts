// The contract of a RateLimitStore: a sliding window per key and rule, shared by every handle,
// atomic under concurrent takes, and refused hits are not counted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RateLimitStore } from '../../../../src/backends/core/stores.js';
import { sleep, type StoreFactory } from './contract-kit.js';

export function rateLimitContract(name: string, factory: StoreFactory<RateLimitStore>): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    const use = async (t: { after(fn: () => Promise<void>): void }) => {
      const pair = await factory();
      if (pair.close) t.after(pair.close);
      return pair;
    };

    it('allows max hits per window across instances, then refuses with the wait in seconds', async (t) => {
      const { a, b } = await use(t);
      const rule = { windowMs: 5_000, max: 3 };
      assert.deepEqual(await a.take('k', rule), { ok: true });
      assert.deepEqual(await b.take('k', rule), { ok: true });
      assert.deepEqual(await a.take('k', rule), { ok: true });
      for (const store of [a, b]) {
        const refused = await store.take('k', rule);
        assert.equal(refused.ok, false);
        if (!refused.ok) assert.ok(refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 5, `retry after ${refused.retryAfterSeconds}`);
      }
    });

    it('counts keys and rules apart', async (t) => {
      const { a, b } = await use(t);
      const rule = { windowMs: 60_000, max: 1 };
      assert.equal((await a.take('one', rule)).ok, true);
      assert.equal((await b.take('two', rule)).ok, true);
      assert.equal((await b.take('one', { windowMs: 60_000, max: 2 })).ok, true);
      assert.equal((await a.take('one', rule)).ok, false);
    });

    it('frees a slot once the oldest hit leaves the window, and does not count refused hits', async (t) => {
      const { a, b } = await use(t);
      const rule = { windowMs: 1_000, max: 1 };
      assert.equal((await a.take('w', rule)).ok, true); // t0
      await sleep(600);
      // Refused at t0+600: if it were counted, it would still fill the window at t0+1200.
      assert.equal((await b.take('w', rule)).ok, false);
      await sleep(600);
      assert.equal((await a.take('w', rule)).ok, true);
    });

    it('lets exactly max of many concurrent hits through', async (t) => {
      const { a, b } = await use(t);
      const rule = { windowMs: 60_000, max: 5 };
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).take('busy', rule)));
      assert.equal(results.filter((r) => r.ok).length, 5);
    });

    it('refuses a rule that would allow nothing or everything', async (t) => {
      const { a } = await use(t);
      await assert.rejects(a.take('k', { windowMs: 0, max: 1 }), TypeError);
      await assert.rejects(a.take('k', { windowMs: 1_000, max: 0 }), TypeError);
    });
  });
}
