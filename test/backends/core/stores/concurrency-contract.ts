// The contract of a ConcurrencyStore: at most `max` slots per key across instances, atomic under
// concurrent acquires, released once however often release() is called, and freed by expiry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConcurrencyStore } from '../../../../src/backends/core/stores.js';
import { sleep, type StoreFactory } from './contract-kit.js';

export function concurrencyContract(name: string, factory: StoreFactory<ConcurrencyStore>): void {
  describe(`ConcurrencyStore contract: ${name}`, () => {
    const use = async (t: { after(fn: () => Promise<void>): void }) => {
      const pair = await factory();
      if (pair.close) t.after(pair.close);
      return pair;
    };

    it('gives out max slots per key across instances; a released slot can be taken again', async (t) => {
      const { a, b } = await use(t);
      const first = await a.acquire('k', 2, 60_000);
      const second = await b.acquire('k', 2, 60_000);
      assert.ok(first && second);
      assert.equal(await a.acquire('k', 2, 60_000), null);
      assert.ok(await a.acquire('other', 2, 60_000), 'another key has its own slots');
      await first.release();
      const third = await b.acquire('k', 2, 60_000);
      assert.ok(third);
      assert.equal(await a.acquire('k', 2, 60_000), null);
    });

    it('frees a slot once, however often it is released', async (t) => {
      const { a, b } = await use(t);
      const one = await a.acquire('k', 2, 60_000);
      assert.ok(one);
      assert.ok(await b.acquire('k', 2, 60_000));
      await one.release();
      await one.release();
      assert.ok(await a.acquire('k', 2, 60_000));
      assert.equal(await b.acquire('k', 2, 60_000), null);
    });

    it('frees a slot nobody released once its ttl has passed', async (t) => {
      const { a, b } = await use(t);
      assert.ok(await a.acquire('k', 1, 300));
      assert.equal(await b.acquire('k', 1, 60_000), null);
      await sleep(700);
      assert.ok(await b.acquire('k', 1, 60_000));
    });

    it('gives exactly max slots to many concurrent acquires', async (t) => {
      const { a, b } = await use(t);
      const leases = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquire('busy', 3, 60_000)));
      assert.equal(leases.filter(Boolean).length, 3);
    });

    it('refuses a max below 1 or a ttl of 0', async (t) => {
      const { a } = await use(t);
      await assert.rejects(a.acquire('k', 0, 1_000), TypeError);
      await assert.rejects(a.acquire('k', 1, 0), TypeError);
    });
  });
}
