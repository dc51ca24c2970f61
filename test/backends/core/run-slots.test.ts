// A run's slots (maxConcurrentRuns) are not left taken by a store that failed: the visitor's slot is
// given back when the address's could not be taken, so a Retry is not refused with 429 for ttlMs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryConcurrencyStore } from '../../../src/backends/core/memory-stores.js';
import { RequestGuards } from '../../../src/backends/core/request-guards.js';
import type { ConcurrencyStore } from '../../../src/backends/core/stores.js';

describe('run slots', () => {
  it("the visitor's slot is released when taking the address's slot throws (a store outage)", async () => {
    const memory = new InMemoryConcurrencyStore();
    let down = true;
    const flaky: ConcurrencyStore = {
      acquire: (key, max, ttlMs) => (down && key.startsWith('runs:addr:') ? Promise.reject(new Error('store not answering')) : memory.acquire(key, max, ttlMs)),
    };
    const guards = new RequestGuards({ maxConcurrentRuns: { perVisitor: 1, perAddress: 5 } }, { concurrency: flaky });
    await assert.rejects(guards.startRun('user:ada', '203.0.113.7', 60_000), /store not answering/);
    down = false;
    const release = await guards.startRun('user:ada', '203.0.113.7', 60_000);
    release();
  });
});
