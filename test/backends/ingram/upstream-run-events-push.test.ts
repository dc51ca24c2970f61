// Pushed upstream events (PUSH_EVENTS): the proxy's hot path, over the real `createNodeFetch`
// reading a real HTTP server on 127.0.0.1 that writes SSE frames when the test says so.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pushEvents, type EventSink } from '../../../src/backends/core/event-push.js';
import { ManagedRunEvents } from '../../../src/backends/core/managed-run.js';
import { SupportError } from '../../../src/backends/core/support-error.js';
import { DeferredEvents, UpstreamRunEvents } from '../../../src/backends/ingram/upstream-run-events.js';
import { createNodeFetch } from '../../../src/node/index.js';
import type { RunEvent } from '../../../src/protocol/types.js';

const frame = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ v: 1, run_id: 'run_1', ...data })}\n\n`;

/** What a sink was handed, in order, and a promise for its last call. */
function recordingSink() {
  const calls: (RunEvent | 'end' | { error: unknown })[] = [];
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const sink: EventSink = {
    event(event) {
      calls.push(event);
      if (event.type === 'run.completed' || event.type === 'run.failed') settle();
    },
    end() {
      calls.push('end');
      settle();
    },
    error(err) {
      calls.push({ error: err });
      settle();
    },
  };
  return { sink, calls, settled };
}

const types = (calls: ReturnType<typeof recordingSink>['calls']) => calls.map((c) => (typeof c === 'string' ? c : 'type' in c ? c.type : 'error'));
const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

describe('UpstreamRunEvents pushed over createNodeFetch', () => {
  let url = '';
  let res!: ServerResponse;
  let connected!: Promise<void>;
  let closed!: Promise<void>;
  const server = createServer((_req, response) => {
    res = response;
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    response.flushHeaders();
  });
  const fetch = createNodeFetch({ keepAlive: false });
  // The idle timer is unref'd (a watchdog must not hold a process open); here this does.
  let keepAlive: ReturnType<typeof setInterval>;

  before(async () => {
    keepAlive = setInterval(() => {}, 1000);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/run`;
  });
  after(async () => {
    clearInterval(keepAlive);
    fetch.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Opens an upstream run; the server's response is `res` once `connected`. */
  async function open(options: { signal?: AbortSignal; idleTimeoutMs?: number } = {}) {
    let onConnect!: () => void;
    connected = new Promise((resolve) => (onConnect = resolve));
    server.once('request', (_req, response: ServerResponse) => {
      closed = new Promise((resolve) => response.on('close', () => resolve()));
      onConnect();
    });
    const response = await fetch(url, { method: 'POST' });
    await connected;
    const signal = options.signal ?? new AbortController().signal;
    return new UpstreamRunEvents(response.body!, signal, undefined, undefined, { idleTimeoutMs: options.idleTimeoutMs ?? 0 });
  }

  it('hands over the events parsed with the first one, then each chunk as it comes, and closes after the terminal event', async () => {
    const events = await open();
    res.write(frame('run.started', { thread_id: 't' }) + frame('message.delta', { delta: 'one ' }) + frame('message.delta', { delta: 'two ' }).slice(0, 25));
    assert.equal((await events.next()).value?.type, 'run.started');
    const { sink, calls, settled } = recordingSink();
    assert.equal(pushEvents(events, sink), true);
    assert.deepEqual(calls, [], 'nothing is pushed from inside the call');
    await tick();
    res.write(frame('message.delta', { delta: 'two ' }).slice(25) + frame('message.delta', { delta: 'thrée ✓' }));
    await tick();
    res.write(frame('run.completed', { stop_reason: 'end_turn' }) + frame('message.delta', { delta: 'after the end' }));
    await settled;
    await closed;
    assert.deepEqual(types(calls), ['message.delta', 'message.delta', 'message.delta', 'run.completed']);
    assert.deepEqual(
      calls.slice(0, 3).map((c) => (c as { delta: string }).delta),
      ['one ', 'two ', 'thrée ✓'],
    );
    assert.deepEqual(await events.next(), { done: true, value: undefined });
  });

  it('a reply cut short: run.failed when the body ends, upstream_error when the connection breaks, a quiet end once the visitor left', async () => {
    for (const how of ['ended', 'broken', 'left'] as const) {
      const controller = new AbortController();
      const events = await open({ signal: controller.signal });
      res.write(frame('run.started', { thread_id: 't' }));
      await events.next();
      const { sink, calls, settled } = recordingSink();
      assert.equal(pushEvents(events, sink), true);
      res.write(frame('message.delta', { delta: 'half' }));
      await tick();
      if (how === 'left') controller.abort();
      if (how === 'ended') res.end();
      else res.socket!.destroy();
      await settled;
      if (how === 'left') assert.deepEqual(types(calls), ['message.delta', 'end']);
      else if (how === 'ended') {
        assert.deepEqual(types(calls), ['message.delta', 'run.failed']);
        assert.equal((calls[1] as { error: { code: string } }).error.code, 'upstream_error');
      } else {
        assert.deepEqual(types(calls), ['message.delta', 'error']);
        const { error } = calls[1] as { error: unknown };
        assert.ok(error instanceof SupportError && error.code === 'upstream_error');
      }
    }
  });

  it('a silent upstream: upstream_timeout, and the connection closed', { timeout: 5000 }, async () => {
    const events = await open({ idleTimeoutMs: 200 });
    res.write(frame('run.started', { thread_id: 't' }));
    await events.next();
    const { sink, calls, settled } = recordingSink();
    assert.equal(pushEvents(events, sink), true);
    await settled;
    await closed;
    assert.equal(calls.length, 1);
    const { error } = calls[0] as { error: unknown };
    assert.ok(error instanceof SupportError && error.code === 'upstream_timeout');
  });

  it('return() stops the pushes and closes the connection', async () => {
    const events = await open();
    res.write(frame('run.started', { thread_id: 't' }));
    await events.next();
    const { sink, calls } = recordingSink();
    assert.equal(pushEvents(events, sink), true);
    res.write(frame('message.delta', { delta: 'seen' }));
    await tick();
    await events.return();
    await closed;
    assert.deepEqual(types(calls), ['message.delta']);
  });

  it('is refused while a next() waits on a read (the caller keeps pulling)', async () => {
    const events = await open();
    res.write(frame('run.started', { thread_id: 't' }));
    await events.next();
    const pending = events.next();
    assert.equal(pushEvents(events, recordingSink().sink), false);
    res.write(frame('run.completed', { stop_reason: 'end_turn' }));
    assert.equal((await pending).value?.type, 'run.completed');
  });

  it('passes through DeferredEvents and ManagedRunEvents; a Stop pushes its ending and closes the upstream', async () => {
    const stopBackend = new AbortController();
    let ended = 0;
    const upstream = await open({ signal: stopBackend.signal });
    const managed = new ManagedRunEvents(new DeferredEvents(async () => upstream), 'run_1', { stopBackend, maxRunMs: 60_000, onEnd: () => ended++ });
    res.write(frame('run.started', { thread_id: 't' }));
    assert.equal((await managed.next()).value?.type, 'run.started');
    const { sink, calls, settled } = recordingSink();
    assert.equal(pushEvents(managed, sink), true);
    res.write(frame('message.delta', { delta: 'before the stop' }));
    await tick();
    managed.cancel();
    await settled;
    await closed;
    assert.deepEqual(types(calls), ['message.delta', 'run.completed']);
    assert.equal((calls[1] as { stop_reason: string }).stop_reason, 'cancelled');
    assert.equal(ended, 1, 'the run ended once (its slots released)');
    assert.equal(stopBackend.signal.aborted, true);
  });
});
