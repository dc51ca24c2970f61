// serve()'s timeouts and connection cap: a client that trickles its headers or its body is cut, a
// reply streamed for much longer than every timeout is not, and connections past the cap are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSupportHandler } from '../../src/backends/core/index.js';
import { serve } from '../../src/node/index.js';
import { SECRET, scriptedBackend } from '../backends/core/support-test-kit.js';
import { collect, openSocket, portOf } from './node-raw-http.js';

// Short on purpose: the defaults (10 s / 60 s) behave the same, only slower.
const SHORT = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300 };

/** Writes `parts` one by one, `everyMs` apart, while the socket is open. */
async function trickle(socket: import('node:net').Socket, parts: string[], everyMs: number): Promise<void> {
  for (const part of parts) {
    if (socket.destroyed) return;
    socket.write(part);
    await sleep(everyMs);
  }
}

describe('serve(): slow clients', () => {
  it('cuts a client that trickles its headers (slowloris) once headersTimeoutMs has passed', async () => {
    const s = await serve(() => new Response('ok'), { port: 0, ...SHORT });
    try {
      const socket = await openSocket(portOf(s.url));
      const reply = collect(socket, 8_000);
      const header = 'GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: ' + 'a'.repeat(100);
      void trickle(socket, header.split(''), 50);
      const r = await reply;
      assert.ok(r.closedByServer, 'the server closed the connection (before the 8 s the test waits)');
      assert.equal(r.status, 408, r.text);
      assert.ok(r.elapsedMs < 4_000, `cut after ${r.elapsedMs} ms`);
    } finally {
      await s.close();
    }
  });

  it('cuts a request whose body trickles in once requestTimeoutMs has passed, and logs nothing', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    const backend = scriptedBackend();
    const handler = createSupportHandler({ backend, basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false });
    const s = await serve(handler, { port: 0, ...SHORT });
    try {
      const socket = await openSocket(portOf(s.url));
      const reply = collect(socket, 8_000);
      const body = JSON.stringify({ thread_id: 't', input: [{ role: 'user', content: 'x'.repeat(200) }], stream: false });
      socket.write(`POST /api/support/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      void trickle(socket, body.match(/.{1,4}/g)!, 50);
      const r = await reply;
      assert.ok(r.closedByServer, 'the server closed the connection');
      assert.equal(r.status, 408, r.text);
      assert.ok(r.elapsedMs < 5_000, `cut after ${r.elapsedMs} ms`);
      await sleep(100);
      assert.equal(backend.calls.runs.length, 0, 'the partial turn never reached the backend');
      assert.deepEqual(errors, [], 'a cut slow client is not a server error');
    } finally {
      console.error = original;
      await s.close();
    }
  });

  it('lets a reply stream far longer than every timeout', async () => {
    const backend = scriptedBackend({
      async *run(input) {
        yield { type: 'run.started', v: 1, run_id: 'run_long', thread_id: input.thread_id };
        // 3 s of output against an 0.8 s request timeout, 0.4 s headers timeout, 0.3 s keep-alive.
        for (let i = 0; i < 30; i++) {
          await sleep(100);
          yield { type: 'message.delta', v: 1, run_id: 'run_long', delta: `${i} ` };
        }
        yield { type: 'run.completed', v: 1, run_id: 'run_long', stop_reason: 'end_turn' };
      },
    });
    const handler = createSupportHandler({ backend, basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false });
    const s = await serve(handler, { port: 0, ...SHORT });
    try {
      const res = await fetch(`${s.url}/api/support/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: true }),
      });
      const text = await res.text();
      assert.match(text, /event: run\.completed/);
      assert.equal((text.match(/event: message\.delta/g) ?? []).length, 30);
    } finally {
      await s.close();
    }
  });

  it('closes connections past maxConnections before reading them', async () => {
    let served = 0;
    const s = await serve(() => new Response(`reply ${++served}`, { headers: { 'Content-Length': String(`reply ${served}`.length) } }), {
      port: 0,
      maxConnections: 2,
    });
    const port = portOf(s.url);
    try {
      // Two connections held open (each with a request in flight, so they are not idle).
      const held = await Promise.all([openSocket(port), openSocket(port)]);
      for (const socket of held) socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
      await sleep(100);
      const third = await openSocket(port);
      const reply = collect(third, 3_000);
      third.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      const r = await reply;
      assert.equal(r.text, '', 'nothing is answered past the cap');
      assert.ok(r.closedByServer, 'the connection is closed at once');
      for (const socket of held) socket.destroy();
      await sleep(100);
      // Room again: a new connection is served.
      const again = await openSocket(port);
      const ok = collect(again, 3_000);
      again.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      assert.equal((await ok).status, 200);
    } finally {
      await s.close();
    }
  });

  it('refuses inconsistent options with a clear error', async () => {
    await assert.rejects(
      serve(() => new Response(''), { port: 0, headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 }),
      /headersTimeoutMs/,
    );
    await assert.rejects(
      serve(() => new Response(''), { port: 0, maxConnections: 0 }),
      /maxConnections/,
    );
    await assert.rejects(
      serve(() => new Response(''), { port: 0, keepAliveTimeoutMs: -1 }),
      /keepAliveTimeoutMs/,
    );
  });
});
