import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SupportError } from '../../../src/backends/core/support-error.js';
import { DeferredEvents, UpstreamRunEvents } from '../../../src/backends/ingram/upstream-run-events.js';
import type { RunEvent } from '../../../src/protocol/types.js';

const enc = new TextEncoder();
const frame = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ v: 1, run_id: 'run_1', ...data })}\n\n`;

/** A body that hands out `chunks` one per pull, then ends (or fails with `error`), recording a cancel. */
function body(chunks: (string | Uint8Array)[], end: { error?: Error } = {}) {
  const state = { cancelled: false, pulls: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.pulls++;
        const next = chunks.shift();
        if (next !== undefined) controller.enqueue(typeof next === 'string' ? enc.encode(next) : next);
        else if (end.error) controller.error(end.error);
        else controller.close();
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

async function all(it: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('UpstreamRunEvents', () => {
  it('maps upstream events one by one, whatever the chunking, and stops at the terminal event', async () => {
    const text =
      frame('run.started', { thread_id: 't', smith_id: 'smith_secret' }) +
      frame('message.delta', { delta: 'héllo ✓' }) +
      'event: vendor.thing\ndata: {}\n\n' +
      'event: message.delta\ndata: not json\n\n' +
      frame('run.completed', { stop_reason: 'end_turn' }) +
      frame('message.delta', { delta: 'after the end' });
    const bytes = enc.encode(text);
    // Split everywhere awkward: mid-line, mid-character (é and ✓ are multi-byte).
    const cut = [5, 40, text.indexOf('é') + 2, bytes.length - 30];
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (const c of [...cut, bytes.length]) chunks.push(bytes.subarray(at, (at = c)));
    const { stream, state } = body(chunks);
    const seen: string[] = [];
    const events = await all(new UpstreamRunEvents(stream, new AbortController().signal, (e) => seen.push(e.type)));
    assert.deepEqual(events, [
      { type: 'run.started', v: 1, run_id: 'run_1', thread_id: 't' },
      { type: 'message.delta', v: 1, run_id: 'run_1', delta: 'héllo ✓' },
      { type: 'run.completed', v: 1, run_id: 'run_1', stop_reason: 'end_turn' },
    ]);
    assert.deepEqual(seen, ['run.started', 'message.delta', 'run.completed']);
    assert.equal(state.cancelled, true, 'the upstream connection is closed after the terminal event');
  });

  it('hands out every event of one chunk before reading again', async () => {
    const { stream, state } = body([frame('run.started', { thread_id: 't' }) + frame('message.delta', { delta: 'a' }) + frame('message.delta', { delta: 'b' })]);
    const it = new UpstreamRunEvents(stream, new AbortController().signal);
    await it.next();
    const pulls = state.pulls;
    assert.equal(((await it.next()).value as { delta: string }).delta, 'a');
    assert.equal(((await it.next()).value as { delta: string }).delta, 'b');
    assert.equal(state.pulls, pulls, 'no read while events were queued');
  });

  it('a reply cut short ends with run.failed (upstream_error), unless the visitor left', async () => {
    const cut = () => body([frame('run.started', { thread_id: 't' }) + frame('message.delta', { delta: 'a' })]).stream;
    const events = await all(new UpstreamRunEvents(cut(), new AbortController().signal));
    assert.deepEqual(events.at(-1), { type: 'run.failed', v: 1, run_id: 'run_1', error: { code: 'upstream_error', message: 'The reply was interrupted. Please try again.' } });
    const aborted = new AbortController();
    aborted.abort();
    assert.deepEqual(
      (await all(new UpstreamRunEvents(cut(), aborted.signal))).map((e) => e.type),
      ['run.started', 'message.delta'],
    );
  });

  it('a broken connection is an upstream_error (or a quiet end once aborted)', async () => {
    const broken = () => body([frame('run.started', { thread_id: 't' })], { error: new TypeError('socket hang up') }).stream;
    const it = new UpstreamRunEvents(broken(), new AbortController().signal);
    await it.next();
    await assert.rejects(it.next(), (err: unknown) => err instanceof SupportError && err.code === 'upstream_error');
    const aborted = new AbortController();
    const quiet = new UpstreamRunEvents(broken(), aborted.signal);
    await quiet.next();
    aborted.abort();
    assert.deepEqual(await quiet.next(), { done: true, value: undefined });
  });

  it('return() closes the upstream connection, even while a read is pending', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode(frame('run.started', { thread_id: 't' })));
      },
      cancel() {
        cancelled = true;
      },
    });
    const it = new UpstreamRunEvents(stream, new AbortController().signal);
    await it.next();
    const pending = it.next(); // waits for bytes that never come
    await it.return();
    assert.equal(cancelled, true);
    assert.deepEqual(await pending, { done: true, value: undefined });
  });
});

describe('UpstreamRunEvents: BODY_CHUNKS fast path (createNodeFetch bodies)', () => {
  /** A body whose chunks are also offered under `Symbol.for('ic-support-chat.body-chunks')`, as createNodeFetch does. */
  function offered(chunks: string[], claimable = true) {
    const state = { claimed: 0, cancelled: false };
    const { stream } = body(['never read through the web stream']);
    Object.defineProperty(stream, Symbol.for('ic-support-chat.body-chunks'), {
      value: {
        claim() {
          state.claimed++;
          if (!claimable) return undefined;
          return {
            read: async () => (chunks.length ? { done: false, value: enc.encode(chunks.shift()!) } : { done: true, value: undefined }),
            cancel: async () => {
              state.cancelled = true;
            },
            releaseLock: () => {},
          };
        },
      },
    });
    return { stream, state };
  }

  it('reads the claimed chunks instead of the web stream, and closes them after the terminal event', async () => {
    const { stream, state } = offered([
      frame('run.started', { thread_id: 't' }) + frame('message.delta', { delta: 'fast' }).slice(0, 20),
      frame('message.delta', { delta: 'fast' }).slice(20) + frame('run.completed', { stop_reason: 'end_turn' }),
    ]);
    const events = await all(new UpstreamRunEvents(stream, new AbortController().signal));
    assert.deepEqual(
      events.map((e) => e.type),
      ['run.started', 'message.delta', 'run.completed'],
    );
    assert.equal((events[1] as { delta: string }).delta, 'fast');
    assert.equal(state.claimed, 1);
    assert.equal(stream.locked, false, 'the web stream was not read');
    assert.equal(state.cancelled, true);
  });

  it('falls back to the web stream when the chunks cannot be claimed', async () => {
    const { stream, state } = offered([], false);
    const it = new UpstreamRunEvents(stream, new AbortController().signal);
    assert.equal(state.claimed, 1);
    assert.equal(stream.locked, true, 'read through its reader');
    await it.return();
  });
});

describe('DeferredEvents', () => {
  it('opens its source on the first next(), not before, and passes its failure on', async () => {
    let opened = 0;
    const ok = new DeferredEvents(async () => {
      opened++;
      return (async function* (): AsyncGenerator<RunEvent> {
        yield { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' };
      })();
    });
    assert.equal(opened, 0);
    assert.deepEqual(
      (await all(ok)).map((e) => e.type),
      ['run.completed'],
    );
    assert.equal(opened, 1);
    const failing = new DeferredEvents(async () => {
      throw new SupportError('not_found', 'Not found.');
    });
    await assert.rejects(failing.next(), (err: unknown) => err instanceof SupportError && err.code === 'not_found');
  });

  it('return() before the source opened closes it as soon as it is there', async () => {
    let closed = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const it = new DeferredEvents(async () => {
      await gate;
      // Like an opened upstream body: returning it closes the connection.
      return {
        next: async () => ({ done: false as const, value: { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' } as RunEvent }),
        return: async () => {
          closed = true;
          return { done: true as const, value: undefined };
        },
      };
    });
    const first = it.next();
    await it.return();
    release();
    assert.deepEqual(await first, { done: true, value: undefined });
    assert.equal(closed, true);
  });
});

describe('UpstreamRunEvents: idle timeout', () => {
  // The idle timer is unref'd (a watchdog must not hold a process open); in a server the sockets
  // keep the loop alive, here this does.
  let keepAlive: ReturnType<typeof setInterval>;
  before(() => (keepAlive = setInterval(() => {}, 1000)));
  after(() => clearInterval(keepAlive));

  /** A body that sends `first`, then nothing at all (or `: ping` comments every `pingMs`) until cancelled. */
  function stalled(first: string, pingMs?: number) {
    const state = { cancelled: false };
    let timer: ReturnType<typeof setInterval> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode(first));
        if (pingMs) timer = setInterval(() => controller.enqueue(enc.encode(': ping\n\n')), pingMs);
      },
      cancel() {
        state.cancelled = true;
        clearInterval(timer);
      },
    });
    return { stream, state, stop: () => clearInterval(timer) };
  }

  it('a silent upstream: upstream_timeout (status 504) and the connection closed', { timeout: 5000 }, async () => {
    const { stream, state } = stalled(frame('run.started', { thread_id: 't' }));
    const it = new UpstreamRunEvents(stream, new AbortController().signal, undefined, undefined, { idleTimeoutMs: 200 });
    assert.equal((await it.next()).value?.type, 'run.started');
    await assert.rejects(it.next(), (err: unknown) => err instanceof SupportError && err.code === 'upstream_timeout' && err.status === 504);
    assert.equal(state.cancelled, true);
    assert.equal((await it.next()).done, true);
  });

  it('upstream keep-alive comments count as life: no timeout', async () => {
    const { stream, stop } = stalled(frame('run.started', { thread_id: 't' }), 40);
    const it = new UpstreamRunEvents(stream, new AbortController().signal, undefined, undefined, { idleTimeoutMs: 200 });
    await it.next();
    const pending = it.next();
    const outcome = await Promise.race([
      pending.then(
        () => 'settled',
        () => 'failed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 700)),
    ]);
    assert.equal(outcome, 'waiting');
    stop();
    await it.return();
  });

  it('a consumer slower than the timeout does not time the upstream out', async () => {
    const { stream } = body([frame('run.started', { thread_id: 't' }), frame('message.delta', { delta: 'a' }), frame('run.completed', { stop_reason: 'end_turn' })]);
    const it = new UpstreamRunEvents(stream, new AbortController().signal, undefined, undefined, { idleTimeoutMs: 100 });
    const types: string[] = [];
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      types.push(next.value.type);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.deepEqual(types, ['run.started', 'message.delta', 'run.completed']);
  });
});
