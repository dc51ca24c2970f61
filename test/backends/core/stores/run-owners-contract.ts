// What every RunOwnerStore must do, in memory or on Redis: the owner recorded on one instance is
// read on another, a run nobody recorded (or one past its TTL) has none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunOwnerStore } from '../../../../src/backends/core/stores.js';

export function runOwnersContract(name: string, make: () => Promise<{ a: RunOwnerStore; b: RunOwnerStore; close?: () => Promise<void> }>): void {
  describe(`RunOwnerStore contract: ${name}`, () => {
    it('reads on one instance the owner recorded on another', async () => {
      const { a, b, close } = await make();
      try {
        await a.remember('run_1', 'anonymous:tok', 60_000);
        assert.equal(await b.owner('run_1'), 'anonymous:tok');
        assert.equal(await b.owner('run_2'), null);
        await b.remember('run_1', 'user:ada', 60_000);
        assert.equal(await a.owner('run_1'), 'user:ada');
      } finally {
        await close?.();
      }
    });

    it('forgets a run once its TTL passed', async () => {
      const { a, b, close } = await make();
      try {
        await a.remember('run_short', 'user:ada', 30);
        await new Promise((resolve) => setTimeout(resolve, 80));
        assert.equal(await b.owner('run_short'), null);
      } finally {
        await close?.();
      }
    });
  });
}
