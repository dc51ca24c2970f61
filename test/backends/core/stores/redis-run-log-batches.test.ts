// The Redis run log writes the appends of one turn of the event loop together (one script call for
// many runs' entries). What that must not change: each run's entries land in order, a follower on
// another instance that attaches while a batch is still unwritten sees every event exactly once,
// and the writing instance reads its own appends (a continuation's open and lookup see the segment
// before it settled).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RemoteCursor } from '../../../../src/backends/core/remote-follow.js';
import type { RedisCommandClient, RedisScriptArgs } from '../../../../src/stores/redis/client.js';
import { createRedisStores } from '../../../../src/stores/redis/index.js';
import type { RunEvent } from '../../../../src/protocol/types.js';
import { connectRedis, uniquePrefix } from '../../../support/redis-server.js';

const delta = (run_id: string, text: string): RunEvent => ({ type: 'message.delta', v: 1, run_id, delta: text });
const completed = (run_id: string, stop_reason = 'end_turn'): RunEvent => ({ type: 'run.completed', v: 1, run_id, stop_reason });
const owner = { owner: 'user:ada', threadId: 'th_1' };

/** Two instances on one Redis; instance a's script calls are counted. */
async function twoInstances(t: { after(fn: () => Promise<void>): void }) {
  const prefix = uniquePrefix();
  const [one, two] = await Promise.all([connectRedis(), connectRedis()]);
  t.after(async () => void (await Promise.all([one.close(), two.close()])));
  const client = one.client as RedisCommandClient;
  const calls = { count: 0 };
  const counted: RedisCommandClient = {
    eval: (script: string, options: RedisScriptArgs) => (calls.count++, client.eval(script, options)),
    evalSha: (sha: string, options: RedisScriptArgs) => (calls.count++, client.evalSha!(sha, options)),
  };
  const a = createRedisStores({ client: counted, subscriber: one.subscriber, prefix });
  const b = createRedisStores({ client: two.client, subscriber: two.subscriber, prefix });
  return { a, b, calls };
}

describe('Redis run log: appends written in batches', () => {
  it('writes one turn of many runs in a few calls, each run complete and in order', async (t) => {
    const { a, b, calls } = await twoInstances(t);
    const runs = Array.from({ length: 40 }, (_, i) => `run_batch_${i}`);
    for (const id of runs) await a.runLog.open(id, owner, 60_000);
    const before = calls.count;
    const appended: Promise<void>[] = [];
    for (let seq = 1; seq <= 25; seq++) for (const id of runs) appended.push(a.runLog.append(id, seq, delta(id, `${id}:${seq}`)));
    await Promise.all(appended);
    // 1,000 entries: one call each would be 1,000.
    assert.ok(calls.count - before <= 4, `${calls.count - before} script calls for 1,000 entries`);
    for (const id of runs) {
      const read = await b.runLog.read(id, 0, 100);
      assert.deepEqual(
        read.map((e) => [e.seq, (e.event as { delta: string }).delta]),
        Array.from({ length: 25 }, (_, i) => [i + 1, `${id}:${i + 1}`]),
      );
    }
  });

  it('the writing instance reads its own appends at once, and a continuation opens after its segment settled', async (t) => {
    const { a } = await twoInstances(t);
    await a.runLog.open('run_own', owner, 60_000);
    // Not awaited: the writer's own read and lookup must still see them.
    void a.runLog.append('run_own', 1, delta('run_own', 'a'));
    void a.runLog.append('run_own', 2, completed('run_own', 'awaiting_approval'));
    assert.deepEqual(
      (await a.runLog.read('run_own', 0, 10)).map((e) => e.seq),
      [1, 2],
    );
    void a.runLog.append('run_own', 3, delta('run_own', 'b')); // never happens after a terminal without open; here: a later batch
    const again = await a.runLog.lookup('run_own');
    assert.ok(again.state === 'found' && again.lastSeq === 3);
    void a.runLog.append('run_own', 4, completed('run_own', 'awaiting_approval'));
    // The approval's continuation: the terminal event above is still unwritten when it reopens.
    await a.runLog.open('run_own', owner, 60_000);
    const known = await a.runLog.lookup('run_own');
    assert.ok(known.state === 'found', known.state);
    assert.equal(known.lastSeq, 4);
    assert.equal(known.settled, false, 'the reopened log is not settled by the segment written after it');
    assert.deepEqual(await a.runLog.activeRun('user:ada'), { runId: 'run_own', threadId: 'th_1' });
  });

  it('a follower on another instance that attaches in the middle of a batch sees every event once', async (t) => {
    const { a, b } = await twoInstances(t);
    const total = 30;
    // Attach after every k-th append: before, inside and after the batches of the writer.
    for (const attachAt of [0, 1, 7, 15, 29]) {
      const id = `run_mid_${attachAt}`;
      await a.runLog.open(id, owner, 60_000);
      let follower: RemoteCursor | undefined;
      const seen: number[] = [];
      let reading: Promise<void> | undefined;
      for (let seq = 1; seq <= total; seq++) {
        if (seq - 1 === attachAt) {
          follower = new RemoteCursor(id, 0, { log: b.runLog, runBus: b.runBus, checkAfterMs: 5_000 });
          const started = follower.start();
          const cursor = follower;
          reading = (async () => {
            await started;
            for (;;) {
              const next = await cursor.next();
              if (next.done) return;
              seen.push(next.value.seq);
            }
          })();
        }
        void a.runLog.append(id, seq, seq === total ? completed(id) : delta(id, `d${seq}`));
        // Some appends share a turn, some do not.
        if (seq % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await reading;
      assert.deepEqual(
        seen,
        Array.from({ length: total }, (_, i) => i + 1),
        `attached after ${attachAt} appends`,
      );
    }
  });
});
