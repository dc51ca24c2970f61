// The contract of a RunBus: a held run's owner is known on every instance, a command sent from any
// instance reaches the holder (and `send` says whether it did), and a hold ends on release or expiry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunBus, RunCommand } from '../../../../src/backends/core/stores.js';
import { sleep, until, type StoreFactory } from './contract-kit.js';

export function runBusContract(name: string, factory: StoreFactory<RunBus>): void {
  describe(`RunBus contract: ${name}`, () => {
    const use = async (t: { after(fn: () => Promise<void>): void }) => {
      const pair = await factory();
      if (pair.close) t.after(pair.close);
      return pair;
    };

    it('tells every instance who owns a held run, and delivers a command to its holder only', async (t) => {
      const { a, b } = await use(t);
      const gotOne: RunCommand[] = [];
      const gotTwo: RunCommand[] = [];
      const one = await a.hold('run_1', 'user:ada', 60_000, (c) => gotOne.push(c));
      const two = await a.hold('run_2', 'anonymous:x', 60_000, (c) => gotTwo.push(c));
      assert.equal(await b.owner('run_1'), 'user:ada');
      assert.equal(await a.owner('run_2'), 'anonymous:x');
      assert.equal(await b.send('run_1', { type: 'cancel' }), true);
      await until(() => gotOne.length === 1, 5000, 'the command');
      assert.deepEqual(gotOne, [{ type: 'cancel' }]);
      await sleep(50);
      assert.deepEqual(gotTwo, []);
      await one.release();
      await two.release();
    });

    it('forgets a released run: no owner, and a command reaches nobody', async (t) => {
      const { a, b } = await use(t);
      const got: RunCommand[] = [];
      const hold = await a.hold('run_r', 'user:ada', 60_000, (c) => got.push(c));
      await hold.release();
      await hold.release(); // idempotent
      assert.equal(await b.owner('run_r'), null);
      assert.equal(await b.send('run_r', { type: 'cancel' }), false);
      assert.equal(await a.owner('never'), null);
      assert.equal(await a.send('never', { type: 'cancel' }), false);
      await sleep(50);
      assert.deepEqual(got, []);
    });

    it('lets a hold expire after its ttl, so a dead instance holds nothing', async (t) => {
      const { a, b } = await use(t);
      const hold = await a.hold('run_t', 'user:ada', 300, () => {});
      assert.equal(await b.owner('run_t'), 'user:ada');
      await sleep(700);
      assert.equal(await b.owner('run_t'), null);
      assert.equal(await b.send('run_t', { type: 'cancel' }), false);
      await hold.release();
    });

    it('keeps a newer hold of the same run when an older one is released', async (t) => {
      const { a, b } = await use(t);
      const got: RunCommand[] = [];
      const older = await a.hold('run_s', 'user:ada', 60_000, () => {});
      const newer = await b.hold('run_s', 'user:ada', 60_000, (c) => got.push(c));
      await older.release();
      assert.equal(await a.owner('run_s'), 'user:ada');
      assert.equal(await a.send('run_s', { type: 'cancel' }), true);
      await until(() => got.length === 1, 5000, 'the command');
      await newer.release();
    });
  });
}
