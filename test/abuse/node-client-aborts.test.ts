// A browser closing mid-upload or mid-reply is an everyday event: the server logs nothing as an
// error (no stacks in the logs for what a visitor's tab did). A reply goes on without its browser
// (it can be resumed); Stop or the maximum run time end it, quietly too.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSupportHandler, type SupportBackend } from '../../src/backends/core/index.js';
import { serve, type ServeHandle } from '../../src/node/index.js';
import type { RunEvent } from '../../src/protocol/types.js';
import { SECRET, scriptedBackend } from '../backends/core/support-test-kit.js';
import { openSocket, portOf } from './node-raw-http.js';

/** A run that, like an upstream fetch, throws an AbortError when the visitor's signal aborts. */
function upstreamLike(beforeFirst: boolean): SupportBackend['run'] {
  return async function* (input, ctx): AsyncGenerator<RunEvent> {
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(new DOMException('This operation was aborted', 'AbortError'));
      if (ctx.signal.aborted) fail();
      else ctx.signal.addEventListener('abort', fail, { once: true });
    });
    if (beforeFirst) await aborted;
    yield { type: 'run.started', v: 1, run_id: 'run_a', thread_id: input.thread_id };
    yield { type: 'message.delta', v: 1, run_id: 'run_a', delta: 'Hello' };
    await aborted;
  };
}

describe('client aborts (Node adapter + handler)', () => {
  let logged: unknown[][];
  let reported: unknown[];
  const original = console.error;
  let server: ServeHandle;
  let aborts: number;

  async function start(run: SupportBackend['run'], withOnError: boolean, maxRunMs?: number): Promise<void> {
    const backend = scriptedBackend({
      run: (input, ctx) => {
        ctx.signal.addEventListener('abort', () => aborts++, { once: true });
        return run(input, ctx);
      },
    });
    const handler = createSupportHandler({
      backend,
      basePath: '/api/support',
      cookie: { secret: SECRET },
      rateLimit: false,
      ...(maxRunMs ? { maxRunMs } : {}),
      // The scripted backend's own cancel does nothing: the core stops the run after this grace.
      cancelGraceMs: 100,
      // Without onError the handler logs with console.error, which is captured too.
      ...(withOnError ? { onError: (err: unknown) => reported.push(err) } : {}),
    });
    server = await serve(handler, { port: 0 });
  }

  beforeEach(() => {
    logged = [];
    reported = [];
    aborts = 0;
    console.error = (...args: unknown[]) => logged.push(args);
  });
  afterEach(async () => {
    console.error = original;
    await server?.close();
  });

  for (const withOnError of [false, true]) {
    const how = withOnError ? 'onError' : 'console.error';
    it(`an upload cut mid-body reaches neither ${how} nor the backend`, async () => {
      await start(upstreamLike(false), withOnError);
      const socket = await openSocket(portOf(server.url));
      socket.on('error', () => {});
      socket.write(
        'POST /api/support/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n' +
          '{"thread_id":"t","input":[{"role":"user","content":"' +
          'x'.repeat(20_000),
      );
      await sleep(150);
      socket.destroy();
      await sleep(300);
      assert.deepEqual(logged, []);
      assert.deepEqual(reported, []);
    });

    it(`a reply stream closed by the client leaves the run going, its Stop ends it, and neither reaches ${how}`, async () => {
      await start(upstreamLike(false), withOnError);
      const ac = new AbortController();
      const session = await fetch(`${server.url}/api/support/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const cookie = session.headers.getSetCookie()[0]!.split(';')[0]!;
      const res = await fetch(`${server.url}/api/support/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: true }),
        signal: ac.signal,
      });
      const reader = res.body!.getReader();
      assert.match(new TextDecoder().decode((await reader.read()).value), /run\.started/);
      ac.abort();
      await sleep(300);
      assert.equal(aborts, 0, 'the run goes on without its browser');
      const stop = await fetch(`${server.url}/api/support/runs/run_a/cancel`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}' });
      assert.equal(stop.status, 200);
      await sleep(300);
      assert.equal(aborts, 1, 'Stop told the backend to stop');
      assert.deepEqual(logged, []);
      assert.deepEqual(reported, []);
    });

    it(`a client gone before the first event leaves the run to its maximum time, and reaches no ${how}`, async () => {
      await start(upstreamLike(true), withOnError, 700);
      const ac = new AbortController();
      const pending = fetch(`${server.url}/api/support/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: true }),
        signal: ac.signal,
      }).catch(() => undefined);
      await sleep(200);
      ac.abort();
      await pending;
      await sleep(100);
      assert.equal(aborts, 0, 'the run goes on without its browser');
      await sleep(800);
      assert.equal(aborts, 1, 'the maximum run time stopped the backend');
      assert.deepEqual(logged, []);
      assert.deepEqual(reported, []);
    });
  }
});
