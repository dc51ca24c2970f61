import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serve } from '../../src/node/index.js';

describe('serve', () => {
  it('listens on 127.0.0.1 with port 0 and reports its URL', async () => {
    const s = await serve((request) => new Response(`hello ${new URL(request.url).pathname}`), { port: 0 });
    try {
      assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(s.url, 'http://127.0.0.1:0');
      assert.equal(await (await fetch(`${s.url}/x`)).text(), 'hello /x');
    } finally {
      await s.close();
    }
  });

  it('close() ends open streams and stops listening', async () => {
    const s = await serve(() => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(': open\n\n')) })), { port: 0 });
    const reader = (await fetch(s.url)).body!.getReader();
    await reader.read();
    await s.close();
    await assert.rejects(fetch(s.url));
    await reader.read().then(
      (r) => assert.equal(r.done, true),
      () => {},
    );
  });

  it('rejects when the port is taken', async () => {
    const a = await serve(() => new Response(''), { port: 0 });
    try {
      const port = Number(new URL(a.url).port);
      await assert.rejects(
        serve(() => new Response(''), { port }),
        /EADDRINUSE/,
      );
    } finally {
      await a.close();
    }
  });
});
