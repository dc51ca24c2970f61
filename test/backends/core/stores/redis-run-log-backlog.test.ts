// The Redis run log under a Redis that stops answering (a real redis-server of this test's own,
// frozen with SIGSTOP as a stalled or unreachable host would be): what waits for it is bounded, a
// run past the bound stops being logged without a hole, and the log works again once Redis does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import type { RunEvent } from '../../../../src/protocol/types.js';
import { createRedisStores, RedisUnavailableError, RunLogBacklogError, type RedisCommandClient, type RedisSubscriber } from '../../../../src/stores/redis/index.js';
import { startRedisServer, uniquePrefix } from '../../../support/redis-server.js';

const delta = (runId: string, text: string): RunEvent => ({ type: 'message.delta', v: 1, run_id: runId, delta: text });
const completed = (runId: string): RunEvent => ({ type: 'run.completed', v: 1, run_id: runId, stop_reason: 'end_turn' });
const OWNER = { owner: 'user:ada', threadId: 't' };
// ~1 KB of JSON per delta; the bound holds four and a half of them.
const TEXT = 'x'.repeat(1000);
const SIZE = JSON.stringify(delta('run_a', TEXT)).length;
const BOUND = Math.floor(SIZE * 4.5);

describe('Redis run log: a stalled Redis', () => {
  let redis: ChildProcess;
  let url: string;
  before(async () => {
    ({ url, process: redis } = await startRedisServer());
  });
  after(() => {
    redis.kill('SIGCONT');
    redis.kill('SIGKILL');
  });

  async function stores(commandTimeoutMs?: number) {
    const client = await createClient({ url }).connect();
    const subscriber = await client.duplicate().connect();
    const prefix = uniquePrefix();
    const { runLog, runBus, concurrency } = createRedisStores({
      client: client as unknown as RedisCommandClient,
      subscriber: subscriber as unknown as RedisSubscriber,
      prefix,
      runLog: { maxUnwrittenBytes: BOUND },
      ...(commandTimeoutMs ? { commandTimeoutMs } : {}),
    });
    const numsub = async (channel: string) => Number(((await client.sendCommand(['PUBSUB', 'NUMSUB', channel])) as [string, number])[1]);
    return { runLog, runBus, concurrency, prefix, numsub, close: () => Promise.allSettled([subscriber.close(), client.close()]) };
  }

  it('refuses appends past maxUnwrittenBytes while Redis is frozen, keeps no hole, and logs again once it answers', async (t) => {
    const { runLog, close } = await stores();
    t.after(close);
    await runLog.open('run_a', OWNER, 60_000);
    await runLog.open('run_b', OWNER, 60_000);

    redis.kill('SIGSTOP');
    let thawed = false;
    const thaw = () => {
      if (!thawed) redis.kill('SIGCONT');
      thawed = true;
    };
    t.after(thaw);
    // The first write goes out (and hangs); everything after it waits in this process.
    const accepted: Promise<void>[] = [];
    let refusal: Promise<void> | undefined;
    for (let seq = 1; seq <= 50 && !refusal; seq++) {
      const appended = runLog.append('run_a', seq, delta('run_a', TEXT));
      const settled = await Promise.race([
        appended.then(
          () => 'written',
          () => 'refused',
        ),
        new Promise((r) => setTimeout(() => r('waiting'), 5)),
      ]);
      if (settled === 'refused') refusal = appended;
      else {
        assert.equal(settled, 'waiting', 'nothing is written while Redis is frozen');
        accepted.push(appended);
      }
    }
    assert.ok(refusal, 'an append past the bound is refused at once');
    await assert.rejects(refusal, (err: unknown) => {
      assert.ok(err instanceof RunLogBacklogError);
      assert.match(err.message, /run_a is no longer logged \(but for its terminal event\): .* Mi characters of run events are still waiting for Redis/);
      return true;
    });
    // What waits stays within the bound: four ~1 KB events, not fifty.
    assert.equal(accepted.length, 4);
    // Every later append of that run gets the same refusal (its writer reports it once), and so does
    // another run's while the backlog is full.
    assert.equal(runLog.append('run_a', accepted.length + 2, delta('run_a', 'more')), refusal);
    await assert.rejects(runLog.append('run_b', 1, delta('run_b', TEXT)), RunLogBacklogError);

    thaw();
    await Promise.all(accepted);
    // run_a's log holds what was accepted; what came after the refusal is not logged.
    assert.deepEqual(
      (await runLog.read('run_a', 0, 100)).map((entry) => entry.seq),
      [1, 2, 3, 4],
    );
    assert.equal(runLog.append('run_a', 7, delta('run_a', 'after the thaw')), refusal);
    const lookup = await runLog.lookup('run_a');
    assert.ok(lookup.state === 'found' && lookup.lastSeq === 4 && !lookup.settled);

    // The backlog is empty again: a run that starts now is logged as usual, to its end.
    await runLog.open('run_c', OWNER, 60_000);
    await runLog.append('run_c', 1, delta('run_c', TEXT));
    await runLog.append('run_c', 2, completed('run_c'));
    const c = await runLog.lookup('run_c');
    assert.ok(c.state === 'found' && c.settled && c.lastSeq === 2);
    // run_a's terminal event is written all the same: the log is settled and its last number is the
    // run's (a continuation numbers on from 8), with a gap before it at which readers stop.
    await runLog.append('run_a', 8, completed('run_a'));
    assert.deepEqual(
      (await runLog.read('run_a', 0, 100)).map((entry) => entry.seq),
      [1, 2, 3, 4, 8],
    );
    const settled = await runLog.lookup('run_a');
    assert.ok(settled.state === 'found' && settled.lastSeq === 8 && settled.settled);
    assert.equal(await runLog.activeRun(OWNER.owner), null, 'no longer "in progress" for the session');
    await runLog.append('run_a', 9, delta('run_a', 'a continuation'));
    assert.deepEqual(
      (await runLog.read('run_a', 8, 100)).map((entry) => entry.seq),
      [9],
    );
  });

  it('commandTimeoutMs: a call Redis does not answer fails with RedisUnavailableError (503), and a subscription that answers late is undone', async (t) => {
    const { runBus, runLog, concurrency, prefix, numsub, close } = await stores(300);
    t.after(close);
    // Redis knows the script already (as in production: EVALSHA, not a NOSCRIPT that would fail late too).
    await (await concurrency.acquire('runs:warm', 1, 60_000))!.release();
    redis.kill('SIGSTOP');
    let thawed = false;
    t.after(() => void (thawed || redis.kill('SIGCONT')));
    const started = Date.now();
    await assert.rejects(
      runBus.hold('run_late', 'user:ada', 60_000, () => {}),
      (err: unknown) =>
        err instanceof RedisUnavailableError && err.status === 503 && err.code === 'unavailable' && /SUBSCRIBE within 300 ms/.test(String((err.cause as Error).message)),
    );
    await assert.rejects(runLog.lookup('run_late'), RedisUnavailableError);
    // A run this instance is still writing: the lookup waits for that write, within the deadline too.
    void runLog.append('run_open', 1, delta('run_open', 'pending')).catch(() => {});
    await assert.rejects(
      runLog.lookup('run_open'),
      (err: unknown) => err instanceof RedisUnavailableError && /pending write within 300 ms/.test(String((err.cause as Error).message)),
    );
    // A slot taken by an acquire Redis runs after its caller gave up is given back.
    await assert.rejects(concurrency.acquire('runs:user:ada', 1, 60_000), RedisUnavailableError);
    assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
    redis.kill('SIGCONT');
    thawed = true;
    // The SUBSCRIBE reached Redis after its caller gave up: it is taken back, no listener leaks.
    // (The run bus's channel is its key, `<prefix>run:<id>`.) It reached Redis: NUMSUB counted 1 before the undo.
    let count = -1;
    for (let i = 0; i < 100 && count !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      count = await numsub(`${prefix}run:run_late`);
    }
    assert.equal(count, 0);
    // The late acquire and its release ran in that order: the one slot is free for the visitor's Retry.
    const lease = await concurrency.acquire('runs:user:ada', 1, 60_000);
    assert.ok(lease, 'the slot is free');
    await lease.release();
  });

  it('commandTimeoutMs: an idempotency key claimed, or a run opened, after its caller gave up is taken back', async (t) => {
    const { runLog, close } = await stores(300);
    t.after(close);
    // Redis knows the scripts already, as in production.
    await runLog.claimKey('user:ada', 'warm', 'fp', 60_000);
    await runLog.open('run_warm', OWNER, 60_000);
    await runLog.append('run_warm', 1, completed('run_warm'));
    redis.kill('SIGSTOP');
    let thawed = false;
    t.after(() => void (thawed || redis.kill('SIGCONT')));
    await assert.rejects(runLog.claimKey('user:ada', 'turn_1', 'fp', 60_000), RedisUnavailableError);
    await assert.rejects(runLog.open('run_never', OWNER, 60_000), RedisUnavailableError);
    redis.kill('SIGCONT');
    thawed = true;
    // The late CLAIM and OPEN ran, then their undo (one connection keeps the order): the visitor's
    // retry of that turn claims its key at once, and no session names the run that never started.
    assert.deepEqual(await runLog.claimKey('user:ada', 'turn_1', 'fp', 60_000), { outcome: 'claimed' });
    assert.equal(await runLog.activeRun('user:ada'), null);
    assert.notEqual((await runLog.lookup('run_never')).state, 'found');
    // Another request's claim is never taken back by a late one's undo.
    assert.deepEqual(await runLog.claimKey('user:ada', 'turn_1', 'fp', 60_000), { outcome: 'taken', fingerprint: 'fp', runId: null });
  });

  it('refuses a maxUnwrittenBytes or a commandTimeoutMs that is not a positive number', () => {
    const client = { eval: async () => null } as RedisCommandClient;
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => createRedisStores({ client, runLog: { maxUnwrittenBytes: bad } }), /maxUnwrittenBytes must be a positive number/);
      assert.throws(() => createRedisStores({ client, commandTimeoutMs: bad }), /commandTimeoutMs must be a positive number/);
    }
  });
});
