// The contract of a RunLogStore: events numbered by their writer, read after any position and
// followed live from any instance; owner, thread and the visitor's active run known everywhere;
// bounded per run (oldest dropped) and expiring after the run ends (then "expired", for the 410);
// idempotency keys claimed once, bound to their run, released for a retry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunLogEntry, RunLogLimits, RunLogStore } from '../../../../src/backends/core/stores.js';
import type { RunEvent } from '../../../../src/protocol/types.js';
import { sleep, until, type StorePair } from './contract-kit.js';

const delta = (run_id: string, text: string): RunEvent => ({ type: 'message.delta', v: 1, run_id, delta: text });
const started = (run_id: string): RunEvent => ({ type: 'run.started', v: 1, run_id, thread_id: 'th_1' });
const completed = (run_id: string, stop_reason = 'end_turn'): RunEvent => ({ type: 'run.completed', v: 1, run_id, stop_reason });
const owner = { owner: 'user:ada', threadId: 'th_1' };

export function runLogContract(name: string, factory: (limits: RunLogLimits) => Promise<StorePair<RunLogStore>>): void {
  describe(`RunLogStore contract: ${name}`, () => {
    const use = async (t: { after(fn: () => Promise<void>): void }, limits: RunLogLimits = {}) => {
      const pair = await factory(limits);
      if (pair.close) t.after(pair.close);
      return pair;
    };

    it('reads what one instance appended from the other, after any position, in order', async (t) => {
      const { a, b } = await use(t);
      await a.open('run_r', owner, 60_000);
      const events = [started('run_r'), delta('run_r', 'Hel'), delta('run_r', 'lo'), completed('run_r')];
      await Promise.all(events.map((e, i) => a.append('run_r', i + 1, e)));
      assert.deepEqual(
        await b.read('run_r', 0, 100),
        events.map((event, i) => ({ seq: i + 1, event })),
      );
      assert.deepEqual(
        (await b.read('run_r', 2, 100)).map((e) => e.seq),
        [3, 4],
      );
      assert.deepEqual(
        (await b.read('run_r', 1, 2)).map((e) => e.seq),
        [2, 3],
      );
      assert.deepEqual(await b.read('run_r', 4, 100), []);
      assert.deepEqual(await b.read('never', 0, 100), []);
      assert.deepEqual(await b.lookup('run_r'), { state: 'found', owner: 'user:ada', threadId: 'th_1', firstSeq: 1, lastSeq: 4, settled: true });
      assert.deepEqual(await b.lookup('never'), { state: 'unknown' });
    });

    it('stores an event appended with its JSON (the recorder serialises once) as the event itself', async (t) => {
      const { a, b } = await use(t);
      await a.open('run_j', owner, 60_000);
      const events = [started('run_j'), delta('run_j', 'Hé "quoted"'), completed('run_j')];
      await Promise.all(events.map((e, i) => a.append('run_j', i + 1, e, JSON.stringify(e))));
      assert.deepEqual(
        await b.read('run_j', 0, 100),
        events.map((event, i) => ({ seq: i + 1, event })),
      );
    });

    it('announces each new entry to a watcher on another instance until it stops watching', async (t) => {
      const { a, b } = await use(t);
      await a.open('run_w', owner, 60_000);
      const seen: RunLogEntry[] = [];
      const stop = await b.watch('run_w', (e) => seen.push(e));
      await a.append('run_w', 1, started('run_w'));
      await a.append('run_w', 2, delta('run_w', 'x'));
      await until(() => seen.length === 2, 5000, 'two announcements');
      assert.deepEqual(
        seen.map((e) => [e.seq, e.event.type]),
        [
          [1, 'run.started'],
          [2, 'message.delta'],
        ],
      );
      await stop();
      await a.append('run_w', 3, completed('run_w'));
      await sleep(100);
      assert.equal(seen.length, 2);
    });

    it('knows the visitor active run until its terminal event, and reopens for a continuation', async (t) => {
      const { a, b } = await use(t);
      assert.equal(await b.activeRun('user:ada'), null);
      await a.open('run_a', owner, 60_000);
      await a.append('run_a', 1, started('run_a'));
      assert.deepEqual(await b.activeRun('user:ada'), { runId: 'run_a', threadId: 'th_1' });
      await a.append('run_a', 2, completed('run_a', 'awaiting_approval'));
      assert.equal(await b.activeRun('user:ada'), null);
      // The continuation (on the other instance) goes on numbering after the last entry.
      await b.open('run_a', owner, 60_000);
      const known = await a.lookup('run_a');
      assert.ok(known.state === 'found' && known.lastSeq === 2 && !known.settled);
      await b.append('run_a', 3, delta('run_a', 'after approval'));
      assert.deepEqual(await a.activeRun('user:ada'), { runId: 'run_a', threadId: 'th_1' });
      await b.append('run_a', 4, completed('run_a'));
      assert.deepEqual(
        (await a.read('run_a', 0, 10)).map((e) => e.seq),
        [1, 2, 3, 4],
      );
      assert.equal(await a.activeRun('user:ada'), null);
    });

    it('keeps at most maxEvents and maxBytes per run, dropping the oldest', async (t) => {
      const { a, b } = await use(t, { maxEvents: 3, maxBytes: 1_000 });
      await a.open('run_b', owner, 60_000);
      for (let seq = 1; seq <= 5; seq++) await a.append('run_b', seq, delta('run_b', `d${seq}`));
      assert.deepEqual(
        (await b.read('run_b', 0, 10)).map((e) => e.seq),
        [3, 4, 5],
      );
      const known = await b.lookup('run_b');
      assert.ok(known.state === 'found' && known.firstSeq === 3 && known.lastSeq === 5);
      await a.open('run_c', owner, 60_000);
      const big = 'x'.repeat(400);
      for (let seq = 1; seq <= 4; seq++) await a.append('run_c', seq, delta('run_c', big));
      const kept = await b.read('run_c', 0, 10);
      assert.deepEqual(
        kept.map((e) => e.seq),
        [3, 4],
        'two 450-byte events fit in 1,000 bytes',
      );
    });

    it('expires a settled run after its ttl: "expired" (owner kept) for a while, then unknown', async (t) => {
      const { a, b } = await use(t, { ttlMs: 300, expiredNoticeMs: 600 });
      await a.open('run_e', owner, 60_000);
      await a.append('run_e', 1, started('run_e'));
      await a.append('run_e', 2, completed('run_e'));
      assert.equal((await b.lookup('run_e')).state, 'found');
      await sleep(600);
      assert.deepEqual(await b.lookup('run_e'), { state: 'expired', owner: 'user:ada' });
      assert.deepEqual(await b.read('run_e', 0, 10), []);
      await sleep(700);
      assert.deepEqual(await b.lookup('run_e'), { state: 'unknown' });
    });

    it('an unsettled run lives for its maximum time plus the ttl, so a dead writer leaves nothing forever', async (t) => {
      const { a, b } = await use(t, { ttlMs: 200 });
      await a.open('run_d', owner, 200);
      await a.append('run_d', 1, started('run_d'));
      await sleep(900);
      assert.equal((await b.lookup('run_d')).state, 'expired');
      assert.equal(await b.activeRun('user:ada'), null);
    });

    it('claims an idempotency key once per visitor, binds it to its run, and releases it for a retry', async (t) => {
      const { a, b } = await use(t);
      assert.deepEqual(await a.claimKey('user:ada', 'k1', 'fp1', 60_000), { outcome: 'claimed' });
      assert.deepEqual(await b.claimKey('user:ada', 'k1', 'fp2', 60_000), { outcome: 'taken', fingerprint: 'fp1', runId: null });
      assert.deepEqual(await b.claimKey('user:bob', 'k1', 'fp1', 60_000), { outcome: 'claimed' }, 'keys are per visitor');
      await a.open('run_k', owner, 60_000);
      await a.bindKey('user:ada', 'k1', 'run_k');
      assert.deepEqual(await b.claimKey('user:ada', 'k1', 'fp1', 60_000), { outcome: 'taken', fingerprint: 'fp1', runId: 'run_k' });
      await b.releaseKey('user:ada', 'k1'); // bound: only a release naming its run frees it
      assert.equal((await b.claimKey('user:ada', 'k1', 'fp1', 60_000)).outcome, 'taken');
      await b.releaseKey('user:ada', 'k1', 'run_k');
      assert.deepEqual(await b.claimKey('user:ada', 'k1', 'fp3', 60_000), { outcome: 'claimed' });
      await a.releaseKey('user:ada', 'k1');
      assert.deepEqual(await a.claimKey('user:ada', 'k1', 'fp4', 60_000), { outcome: 'claimed' }, 'an unbound key is released for a retry');
    });
  });
}
