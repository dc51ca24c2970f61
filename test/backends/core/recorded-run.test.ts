// The recorder's memory: what a run keeps in this process for the streams reading it here, and
// that every stream still gets every event in order (from memory, or from the log for what
// memory let go). Real RecordedRun, real in-memory run log; the backend is a hand-fed iterator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryRunLogStore } from '../../../src/backends/core/memory-run-log.js';
import { RecordedRun } from '../../../src/backends/core/recorded-run.js';
import type { FrameEntry } from '../../../src/backends/core/event-stream-response.js';
import type { RunEvent } from '../../../src/protocol/types.js';

const RUN = 'run_mem';

/** A backend's events, pushed by the test; `next()` waits for the next push. */
class HandFed implements AsyncIterator<RunEvent> {
  #queue: RunEvent[] = [];
  #waiting: ((r: IteratorResult<RunEvent>) => void) | undefined;
  push(event: RunEvent): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) waiting({ done: false, value: event });
    else this.#queue.push(event);
  }
  next(): Promise<IteratorResult<RunEvent>> {
    const event = this.#queue.shift();
    if (event) return Promise.resolve({ done: false, value: event });
    return new Promise((resolve) => (this.#waiting = resolve));
  }
  return(): Promise<IteratorResult<RunEvent>> {
    return Promise.resolve({ done: true, value: undefined });
  }
}

const delta = (i: number): RunEvent => ({ type: 'message.delta', v: 1, run_id: RUN, delta: `${i},` });
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function recorded() {
  const log = new InMemoryRunLogStore();
  await log.open(RUN, { owner: 'anonymous:a', threadId: 'th_1' }, 60_000);
  const backend = new HandFed();
  const run = new RecordedRun({ type: 'run.started', v: 1, run_id: RUN, thread_id: 'th_1' }, backend, {
    runId: RUN,
    afterSeq: 0,
    log,
    report: (err) => assert.fail(String(err)),
    onSettled: () => {},
  });
  return { run, backend };
}

/** Reads a cursor to its end, one `next()` at a time as a stream does. */
async function readAll(cursor: AsyncIterator<FrameEntry>): Promise<number[]> {
  const seqs: number[] = [];
  for (;;) {
    const next = await cursor.next();
    if (next.done) return seqs;
    seqs.push(next.value.seq);
  }
}

describe('RecordedRun memory', () => {
  it('lets go of the entries every stream here has passed, and still hands each stream every event', async () => {
    const { run, backend } = await recorded();
    const reading = readAll(run.cursor(0));
    for (let i = 0; i < 100; i++) {
      backend.push(delta(i));
      await turn();
    }
    // Caught up: nothing stays in memory once the stream has taken it, not the whole reply.
    assert.equal(run.firstKept, run.lastSeq + 1);
    assert.equal(run.entry(50), undefined);
    backend.push({ type: 'run.completed', v: 1, run_id: RUN, stop_reason: 'end_turn' });
    assert.deepEqual(
      await reading,
      Array.from({ length: 102 }, (_, i) => i + 1),
    );
  });

  it('keeps what a slower stream has still to read; a stream joining late reads the rest from the log', async () => {
    const { run, backend } = await recorded();
    const fast = readAll(run.cursor(0));
    const slow = run.cursor(0);
    assert.equal((await slow.next()).value?.seq, 1);
    for (let i = 0; i < 40; i++) {
      backend.push(delta(i));
      await turn();
    }
    // The slow stream is at event 2: everything from there is still here.
    assert.equal(run.firstKept, 2);
    assert.equal(run.entry(2)?.seq, 2);
    const late = readAll(run.cursor(0));
    await turn();
    backend.push({ type: 'run.completed', v: 1, run_id: RUN, stop_reason: 'end_turn' });
    const all = Array.from({ length: 42 }, (_, i) => i + 1);
    assert.deepEqual(await fast, all);
    assert.deepEqual([1, ...(await readAll(slow))], all);
    assert.deepEqual(await late, all);
  });

  it('keeps the entries until a first stream attaches, and lets them go once the last stream has left', async () => {
    const { run, backend } = await recorded();
    for (let i = 0; i < 5; i++) backend.push(delta(i));
    await turn();
    // The request that started the run has not read yet: nothing was dropped for it.
    assert.equal(run.firstKept, 1);
    const cursor = run.cursor(0);
    assert.equal((await cursor.next()).value?.seq, 1);
    await cursor.return!();
    backend.push(delta(5));
    await turn();
    // No stream reads here any more: nothing is kept, a resume reads the log.
    assert.equal(run.firstKept, run.lastSeq + 1);
    const resumed = readAll(run.cursor(2));
    backend.push({ type: 'run.completed', v: 1, run_id: RUN, stop_reason: 'end_turn' });
    assert.deepEqual(await resumed, [3, 4, 5, 6, 7, 8]);
  });

  it('hands a caught-up stream each entry as it is recorded, until it is full, ends or leaves', async () => {
    const { run, backend } = await recorded();
    const cursor = run.cursor(0);
    assert.equal((await cursor.next()).value?.seq, 1);
    const taken: number[] = [];
    let room = 2;
    const following = cursor.follow((entry) => (taken.push(entry.seq), --room > 0));
    assert.ok(following, 'caught up: follows');
    for (let i = 0; i < 4; i++) backend.push(delta(i));
    await following;
    await turn();
    // Full after two: the rest waits in memory for next() (or a new follow).
    assert.deepEqual(taken, [2, 3]);
    assert.equal(
      cursor.follow(() => true),
      undefined,
      'not caught up any more',
    );
    assert.equal((await cursor.next()).value?.seq, 4);
    assert.equal((await cursor.next()).value?.seq, 5);
    const rest: number[] = [];
    const again = cursor.follow((entry) => (rest.push(entry.seq), true))!;
    backend.push(delta(4));
    backend.push({ type: 'run.completed', v: 1, run_id: RUN, stop_reason: 'end_turn' });
    await again;
    // The terminal entry ends the stream.
    assert.deepEqual(rest, [6, 7]);
    assert.equal((await cursor.next()).done, true);
  });

  it('stops following when the stream leaves; the run goes on', async () => {
    const { run, backend } = await recorded();
    const cursor = run.cursor(0);
    await cursor.next();
    const taken: number[] = [];
    const following = cursor.follow((entry) => (taken.push(entry.seq), true))!;
    backend.push(delta(0));
    await turn();
    await cursor.return!();
    await following;
    backend.push(delta(1));
    await turn();
    assert.deepEqual(taken, [2]);
    assert.equal(run.lastSeq, 3);
  });
});
