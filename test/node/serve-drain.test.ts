// Deploys that cut nothing: serve(handler).close({ graceMs }) drains the support handler. Open
// replies finish within the grace, the rest end with run.failed `unavailable`, new runs get 503.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSupportHandler, type SupportBackend, type SupportHandler } from '../../src/backends/core/index.js';
import { serve, type ServeHandle } from '../../src/node/index.js';
import type { RunEvent } from '../../src/protocol/types.js';
import { SECRET, postJson, scriptedBackend } from '../backends/core/support-test-kit.js';
import { collect, openSocket, portOf } from '../abuse/node-raw-http.js';

/** `event:` / `data:` frames of an SSE text (comments skipped). */
function frames(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1], data: /^data: (.*)$/m.exec(block)?.[1] }))
    .filter((f): f is { event: string; data: string } => f.event !== undefined && f.data !== undefined)
    .map((f) => ({ event: f.event, data: JSON.parse(f.data) as Record<string, unknown> }));
}

const turn = (content: string, stream = true) => ({ thread_id: 't', input: [{ role: 'user', content }], stream });

/**
 * A run that says `words` deltas `everyMs` apart; `ctx.signal` stops it (as an upstream fetch
 * would). `words: Infinity` never ends by itself.
 */
function paced(words: number, everyMs: number, seen: { aborted: number }): SupportBackend['run'] {
  return async function* (input, ctx): AsyncGenerator<RunEvent> {
    ctx.signal.addEventListener('abort', () => seen.aborted++, { once: true });
    const run_id = `run_${Math.random().toString(36).slice(2, 8)}`;
    yield { type: 'run.started', v: 1, run_id, thread_id: input.thread_id };
    for (let i = 0; i < words; i++) {
      await sleep(everyMs, undefined, { signal: ctx.signal }).catch(() => undefined);
      if (ctx.signal.aborted) return;
      yield { type: 'message.delta', v: 1, run_id, delta: `w${i} ` };
    }
    yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' };
  };
}

interface Started {
  handler: SupportHandler;
  server: ServeHandle;
  errors: unknown[];
  seen: { aborted: number };
}

async function start(run: (seen: { aborted: number }) => SupportBackend['run']): Promise<Started> {
  const seen = { aborted: 0 };
  const errors: unknown[] = [];
  const handler = createSupportHandler({
    backend: scriptedBackend({ run: run(seen) }),
    basePath: '/api/support',
    cookie: { secret: SECRET },
    rateLimit: false,
    onError: (err) => errors.push(err),
  });
  return { handler, server: await serve(handler, { port: 0 }), errors, seen };
}

/** Opens a streaming run and reads until its first delta. */
async function openStream(server: ServeHandle, content = 'hi') {
  const res = await postJson(`${server.url}/api/support/runs`, turn(content));
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('message.delta')) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return {
    /** The rest of the stream, parsed. */
    async events(): Promise<{ event: string; data: Record<string, unknown> }[]> {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return frames(text);
    },
  };
}

describe('serve().close({ graceMs }) drains the support handler', () => {
  it('a reply that ends within the grace finishes normally, and close resolves when it has', async () => {
    const s = await start((seen) => paced(8, 100, seen));
    const stream = await openStream(s.server);
    const t0 = Date.now();
    const closed = s.server.close({ graceMs: 20_000 });
    const events = await stream.events();
    assert.deepEqual(events.at(-1)?.event, 'run.completed');
    assert.equal(events.filter((e) => e.event === 'message.delta').length, 8, 'every delta arrived');
    await closed;
    assert.ok(Date.now() - t0 < 10_000, 'close did not wait out the whole grace');
    assert.equal(s.seen.aborted, 0, 'the run was not stopped');
    assert.deepEqual(s.errors, []);
  });

  it('a reply that would outlast the grace ends with run.failed unavailable, and the backend is stopped', async () => {
    const s = await start((seen) => paced(Infinity, 50, seen));
    const stream = await openStream(s.server);
    const closed = s.server.close({ graceMs: 600 });
    const events = await stream.events();
    const last = events.at(-1)!;
    assert.equal(last.event, 'run.failed');
    assert.equal((last.data.error as { code: string }).code, 'unavailable');
    assert.equal(last.data.run_id, events[0]!.data.run_id, 'the failure names the run');
    assert.ok(events.filter((e) => e.event === 'message.delta').length >= 3, 'the reply went on during the grace');
    await closed;
    await sleep(50);
    assert.equal(s.seen.aborted, 1, 'the backend was told to stop');
    assert.deepEqual(s.errors, [], 'a drain is not reported as an error');
    await assert.rejects(fetch(s.server.url), 'no longer listening');
  });

  it('a backend stuck awaiting its upstream cannot hold the stream past the grace', async () => {
    const s = await start(
      () =>
        async function* (input) {
          yield { type: 'run.started', v: 1, run_id: 'run_stuck', thread_id: input.thread_id };
          yield { type: 'message.delta', v: 1, run_id: 'run_stuck', delta: 'Hel' };
          await new Promise(() => {}); // ignores its signal
        },
    );
    const stream = await openStream(s.server);
    const t0 = Date.now();
    await s.server.close({ graceMs: 300 });
    const events = await stream.events();
    assert.equal(events.at(-1)?.event, 'run.failed');
    assert.ok(Date.now() - t0 < 5_000);
  });

  it('close() with no grace ends open replies at once, still with run.failed unavailable', async () => {
    const s = await start((seen) => paced(Infinity, 50, seen));
    const stream = await openStream(s.server);
    const first = s.server.close();
    assert.equal(s.server.close({ graceMs: 10_000 }), first, 'a second close() is the same close');
    const events = await stream.events();
    assert.equal(events.at(-1)?.event, 'run.failed');
    await first;
  });

  it('a non-streamed run (stream:false) cut by the drain answers status failed, code unavailable', async () => {
    const s = await start((seen) => paced(Infinity, 50, seen));
    const pending = postJson(`${s.server.url}/api/support/runs`, turn('hi', false));
    await sleep(300);
    const closed = s.server.close({ graceMs: 200 });
    const res = await pending;
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; error: { code: string } };
    assert.equal(body.status, 'failed');
    assert.equal(body.error.code, 'unavailable');
    await closed;
  });

  it('a run that has produced nothing by the end of the grace is answered 503 with Retry-After', async () => {
    const s = await start(
      () =>
        // A run that never yields: it is still a generator, as a backend's run is.
        // eslint-disable-next-line require-yield
        async function* (): AsyncGenerator<RunEvent> {
          await new Promise(() => {});
        },
    );
    const pending = postJson(`${s.server.url}/api/support/runs`, turn('hi'));
    await sleep(200);
    const closed = s.server.close({ graceMs: 200 });
    const res = await pending;
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'unavailable');
    await closed;
    assert.deepEqual(s.errors, []);
  });

  it('a run request still arriving on an open connection during the drain gets 503, Retry-After and Connection: close', async () => {
    const s = await start((seen) => paced(Infinity, 50, seen));
    const stream = await openStream(s.server);
    // A request in transit when the drain starts: its headers are on the wire, the rest follows.
    const socket = await openSocket(portOf(s.server.url));
    const body = JSON.stringify(turn('another question'));
    socket.write(`POST /api/support/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n`);
    await sleep(100);
    const closed = s.server.close({ graceMs: 1_500 });
    await sleep(100);
    const reply = collect(socket, 5_000);
    socket.write(`Content-Length: ${body.length}\r\n\r\n${body}`);
    const r = await reply;
    assert.equal(r.status, 503, r.text);
    assert.match(r.text, /\r\nretry-after: 5\r\n/i);
    assert.match(r.text, /\r\nconnection: close\r\n/i);
    assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'unavailable');
    assert.ok(r.closedByServer);
    assert.equal((await stream.events()).at(-1)?.event, 'run.failed');
    await closed;
  });
});

describe('handler.drain(graceMs) on its own (any runtime)', () => {
  it('refuses new runs and approval decisions with 503 + Retry-After; session and cancel still work', async () => {
    const s = await start((seen) => paced(2, 10, seen));
    try {
      const done = s.handler.drain(1_000);
      await done; // nothing open: resolves at once
      const run = await postJson(`${s.server.url}/api/support/runs`, turn('hi'));
      assert.equal(run.status, 503);
      assert.equal(run.headers.get('retry-after'), '5');
      assert.deepEqual(await run.json(), {
        error: { code: 'unavailable', message: 'This server is restarting. Please try again in a few seconds.' },
      });
      const approval = await postJson(`${s.server.url}/api/support/runs/run_1/approvals/ap_1`, { decision: 'approve', stream: true });
      assert.equal(approval.status, 503);
      assert.equal(approval.headers.get('retry-after'), '5');
      const session = await postJson(`${s.server.url}/api/support/session`, {});
      assert.equal(session.status, 200);
      // A cancel needs the identity that started the run (a cookie-less one is a 404 by design).
      const cookie = session.headers.getSetCookie()[0]!.split(';')[0]!;
      assert.equal((await postJson(`${s.server.url}/api/support/runs/run_1/cancel`, {}, { cookie })).status, 200);
      assert.deepEqual(s.errors, []);
    } finally {
      await s.server.close();
    }
  });

  it('refuses a negative or non-finite grace', async () => {
    const s = await start((seen) => paced(1, 1, seen));
    try {
      assert.throws(() => s.handler.drain(-1), RangeError);
      assert.throws(() => s.handler.drain(Number.NaN), RangeError);
      await assert.rejects(s.server.close({ graceMs: -5 }), RangeError);
    } finally {
      await s.server.close();
    }
  });
});
