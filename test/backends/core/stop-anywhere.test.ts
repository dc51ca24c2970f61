// A Stop reaches the run wherever it streams: two handlers (two instances) share one run bus; the
// run streams from A, the cancel arrives at B. The backend here has no cancel of its own and ignores
// its signal, as an upstream without a cancel endpoint would: the holding instance still ends it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryRunBus } from '../../../src/backends/core/memory-stores.js';
import type { SupportBackend } from '../../../src/backends/core/index.js';
import type { RunEvent } from '../../../src/protocol/types.js';
import { errorOf, parseFrames, postJson, startSupport, visitorCookie } from './support-test-kit.js';

/** A run that streams a delta every 20 ms for ever, deaf to its signal. */
function endlessBackend(withCancel: boolean): SupportBackend & { cancelled: string[]; stopped: () => number } {
  const cancelled: string[] = [];
  let stopped = 0;
  let n = 0;
  return {
    cancelled,
    stopped: () => stopped,
    async *run(input): AsyncGenerator<RunEvent> {
      const run_id = `run_endless_${++n}`;
      yield { type: 'run.started', v: 1, run_id, thread_id: input.thread_id };
      try {
        for (;;) {
          await new Promise((r) => setTimeout(r, 20));
          yield { type: 'message.delta', v: 1, run_id, delta: 'la ' };
        }
      } finally {
        stopped++;
      }
    },
    ...(withCancel
      ? {
          async cancel(runId: string) {
            cancelled.push(runId);
          },
        }
      : {}),
  };
}

/** The generator closes once its pending await settles (it ignores its signal): wait for that. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

const turnBody = { thread_id: 't1', input: [{ role: 'user', content: 'sing' }], stream: true };
const SECRET = 'shared-secret-0123456789abcdef0123456789';

async function twoInstances(withCancel: boolean, extra: Record<string, unknown> = {}) {
  const runBus = new InMemoryRunBus();
  const backend = endlessBackend(withCancel);
  const a = await startSupport({ backend, stores: { runBus }, cookie: { secret: SECRET }, cancelGraceMs: 100, ...extra });
  const b = await startSupport({ backend, stores: { runBus }, cookie: { secret: SECRET }, cancelGraceMs: 100, ...extra });
  return { a, b, backend, close: () => Promise.all([a.close(), b.close()]) };
}

async function firstRunId(res: Response): Promise<{ runId: string; rest: Promise<string> }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value, { stream: true });
  const started = parseFrames(text)[0]!.data as { run_id: string };
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return { runId: started.run_id, rest };
}

describe('Stop on another instance', () => {
  it('ends the run where it streams, with run.completed cancelled, even when the upstream cannot cancel', async () => {
    const t = await twoInstances(false);
    try {
      const cookie = await visitorCookie(t.a.endpoint);
      const res = await postJson(`${t.a.endpoint}/runs`, turnBody, { cookie });
      const { runId, rest } = await firstRunId(res);
      const cancel = await fetch(`${t.b.endpoint}/runs/${runId}/cancel`, { method: 'POST', headers: { cookie } });
      assert.equal(cancel.status, 200);
      assert.deepEqual(await cancel.json(), { v: 1, run_id: runId, cancelled: true });
      const frames = parseFrames(await rest).filter((f) => f.event);
      assert.deepEqual(frames.at(-1), { event: 'run.completed', data: { v: 1, run_id: runId, stop_reason: 'cancelled' } });
      await until(() => t.backend.stopped() === 1, "the backend's iterator was closed");
    } finally {
      await t.close();
    }
  });

  it("asks the backend's own cancel on the instance that holds the run", async () => {
    const t = await twoInstances(true);
    try {
      const cookie = await visitorCookie(t.a.endpoint);
      const { runId, rest } = await firstRunId(await postJson(`${t.a.endpoint}/runs`, turnBody, { cookie }));
      assert.equal((await fetch(`${t.b.endpoint}/runs/${runId}/cancel`, { method: 'POST', headers: { cookie } })).status, 200);
      await rest;
      assert.deepEqual(t.backend.cancelled, [runId]);
    } finally {
      await t.close();
    }
  });

  it("someone else's run is 404 on every instance, and keeps streaming", async () => {
    const t = await twoInstances(true);
    try {
      const owner = await visitorCookie(t.a.endpoint);
      const stranger = await visitorCookie(t.b.endpoint);
      const res = await postJson(`${t.a.endpoint}/runs`, turnBody, { cookie: owner });
      const { runId, rest } = await firstRunId(res);
      for (const s of [t.a, t.b]) {
        const e = await errorOf(await fetch(`${s.endpoint}/runs/${runId}/cancel`, { method: 'POST', headers: { cookie: stranger } }));
        assert.deepEqual([e.status, e.code], [404, 'not_found']);
      }
      assert.deepEqual(t.backend.cancelled, []);
      await fetch(`${t.b.endpoint}/runs/${runId}/cancel`, { method: 'POST', headers: { cookie: owner } });
      await rest;
    } finally {
      await t.close();
    }
  });
});

describe('maximum run time', () => {
  it('a run past maxRunMs ends with run.failed run_timeout and the backend is stopped', async () => {
    const backend = endlessBackend(false);
    const s = await startSupport({ backend, maxRunMs: 150 });
    try {
      const res = await postJson(`${s.endpoint}/runs`, turnBody, { cookie: await visitorCookie(s.endpoint) });
      const frames = parseFrames(await res.text()).filter((f) => f.event);
      const last = frames.at(-1)!;
      assert.equal(last.event, 'run.failed');
      assert.equal((last.data as { error: { code: string } }).error.code, 'run_timeout');
      await until(() => backend.stopped() === 1, "the backend's iterator was closed");
    } finally {
      await s.close();
    }
  });
});
