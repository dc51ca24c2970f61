import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createSupportHandler } from '../../src/backends/core/index.js';
import { toNodeListener, type FetchHandler, type NodeListener } from '../../src/node/index.js';
import { postJson, SECRET, scriptedBackend } from '../backends/core/support-test-kit.js';

type Middleware = (req: IncomingMessage & { originalUrl?: string; body?: unknown }, res: ServerResponse, next: () => void) => void;

/**
 * A tiny stand-in for Express (not a dependency): `use(prefix, middleware)` strips the prefix from
 * req.url and keeps the original in req.originalUrl, exactly as Express mounts do.
 */
async function miniExpress(mounts: [string, Middleware][]) {
  const server = createServer((req, res) => {
    const r = req as IncomingMessage & { originalUrl?: string };
    r.originalUrl = req.url;
    let i = 0;
    const next = () => {
      const mount = mounts[i++];
      if (!mount) {
        res.statusCode = 404;
        res.end('express 404');
        return;
      }
      const [prefix, mw] = mount;
      const path = r.originalUrl!;
      if (prefix !== '/' && path !== prefix && !path.startsWith(`${prefix}/`)) return next();
      req.url = prefix === '/' ? path : path.slice(prefix.length) || '/';
      mw(r, res, next);
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function plain(listener: NodeListener) {
  return miniExpress([['/', (req, res) => listener(req, res)]]);
}

const turn = { thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: false };

describe('toNodeListener under an Express-style mount', () => {
  it('routes on originalUrl, so basePath works when mounted at /api/support', async () => {
    const backend = scriptedBackend();
    const handler = createSupportHandler({ backend, basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false });
    const app = await miniExpress([['/api/support', toNodeListener(handler)]]);
    try {
      const res = await postJson(`${app.url}/api/support/runs`, turn);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { output: { content: string }[] }).output[0]!.content, 'You said: hi');
      assert.equal((await fetch(`${app.url}/api/support/session`, { method: 'POST' })).status, 200);
      assert.equal(new URL(backend.calls.runs[0]!.ctx.request.url).pathname, '/api/support/runs');
      assert.equal((await fetch(`${app.url}/elsewhere`)).status, 404);
    } finally {
      await app.close();
    }
  });

  it('works mounted anywhere without basePath', async () => {
    const handler = createSupportHandler({ backend: scriptedBackend(), cookie: { secret: SECRET }, rateLimit: false });
    const app = await miniExpress([['/help/chat', toNodeListener(handler)]]);
    try {
      assert.equal((await postJson(`${app.url}/help/chat/runs`, turn)).status, 200);
    } finally {
      await app.close();
    }
  });

  it('accepts a body an express.json()-style parser already consumed', async () => {
    const backend = scriptedBackend();
    const handler = createSupportHandler({ backend, basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false });
    const jsonParser: Middleware = (req, _res, next) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (text += d));
      req.on('end', () => {
        req.body = JSON.parse(text) as unknown;
        next();
      });
    };
    const app = await miniExpress([
      ['/', jsonParser],
      ['/api/support', toNodeListener(handler)],
    ]);
    try {
      assert.equal((await postJson(`${app.url}/api/support/runs`, turn)).status, 200);
      assert.equal(backend.calls.runs[0]!.input.thread_id, 't');
    } finally {
      await app.close();
    }
  });
});

describe('toNodeListener request conversion', () => {
  it('passes method, URL, headers and a streamed body', async () => {
    let seen: { method: string; url: string; header: string | null; cookies: string | null; body: string } | undefined;
    const app = await plain(
      toNodeListener(async (request) => {
        seen = {
          method: request.method,
          url: request.url,
          header: request.headers.get('x-custom'),
          cookies: request.headers.get('cookie'),
          body: await request.text(),
        };
        return new Response('ok');
      }),
    );
    try {
      const res = await fetch(`${app.url}/a/b?c=d`, {
        method: 'PUT',
        headers: { 'x-custom': 'yes', cookie: 'a=1; b=2' },
        body: new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode('chunk1 '));
            c.enqueue(new TextEncoder().encode('chunk2'));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(await res.text(), 'ok');
      assert.deepEqual(seen, { method: 'PUT', url: `${app.url}/a/b?c=d`, header: 'yes', cookies: 'a=1; b=2', body: 'chunk1 chunk2' });
    } finally {
      await app.close();
    }
  });

  it('aborts request.signal when the client goes away', async () => {
    let resolveAborted!: () => void;
    const aborted = new Promise<void>((r) => (resolveAborted = r));
    const app = await plain(
      toNodeListener(async (request) => {
        request.signal.addEventListener('abort', () => resolveAborted());
        return new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('x')) }));
      }),
    );
    try {
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${app.url}/`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.end();
      });
      await aborted;
    } finally {
      await app.close();
    }
  });

  it('builds the URL from X-Forwarded-* only when trustProxy is on', async () => {
    const urls: string[] = [];
    const record: FetchHandler = (request) => {
      urls.push(request.url);
      return new Response('');
    };
    const trusting = await plain(toNodeListener(record, { trustProxy: true }));
    const strict = await plain(toNodeListener(record));
    try {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example.com' };
      await fetch(`${trusting.url}/p`, { headers });
      await fetch(`${strict.url}/p`, { headers });
      assert.equal(urls[0], 'https://shop.example.com/p');
      assert.equal(urls[1], `${strict.url}/p`);
    } finally {
      await trusting.close();
      await strict.close();
    }
  });
});

describe('toNodeListener response writing', () => {
  it('keeps several Set-Cookie headers and the status', async () => {
    const app = await plain(
      toNodeListener(() => {
        const headers = new Headers({ 'content-type': 'text/plain' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        return new Response('created', { status: 201, headers });
      }),
    );
    try {
      const res = await fetch(app.url);
      assert.equal(res.status, 201);
      assert.deepEqual(res.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(await res.text(), 'created');
    } finally {
      await app.close();
    }
  });

  it('flushes each chunk as it is produced', async () => {
    let sendSecond!: () => void;
    const app = await plain(
      toNodeListener(
        () =>
          new Response(
            new ReadableStream({
              async start(c) {
                c.enqueue(new TextEncoder().encode('first'));
                await new Promise<void>((r) => (sendSecond = r));
                c.enqueue(new TextEncoder().encode('second'));
                c.close();
              },
            }),
          ),
      ),
    );
    try {
      const reader = (await fetch(app.url)).body!.getReader();
      assert.equal(new TextDecoder().decode((await reader.read()).value), 'first');
      sendSecond();
      assert.equal(new TextDecoder().decode((await reader.read()).value), 'second');
      assert.equal((await reader.read()).done, true);
    } finally {
      await app.close();
    }
  });

  it('respects backpressure: a client that stops reading stops the producer', async () => {
    const chunk = new Uint8Array(64 * 1024);
    let pulled = 0;
    const total = 1024; // 64 MB if nothing held it back
    const app = await plain(
      toNodeListener(
        () =>
          new Response(
            new ReadableStream({
              pull(c) {
                if (pulled++ >= total) c.close();
                else c.enqueue(chunk);
              },
            }),
          ),
      ),
    );
    try {
      let res!: IncomingMessage;
      const req = httpRequest(app.url);
      await new Promise<void>((resolve) => {
        req.on('response', (r) => {
          res = r;
          r.pause();
          resolve();
        });
        req.end();
      });
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(pulled < total / 4, `only socket buffers' worth was produced (${pulled} chunks)`);
      res.destroy();
    } finally {
      await app.close();
    }
  });

  it('cancels the response body when the client closes early', async () => {
    let resolveCancelled!: (reason: unknown) => void;
    const cancelled = new Promise<unknown>((r) => (resolveCancelled = r));
    const app = await plain(
      toNodeListener(
        () =>
          new Response(
            new ReadableStream({
              start: (c) => c.enqueue(new TextEncoder().encode('data: 1\n\n')),
              cancel: (reason) => resolveCancelled(reason ?? 'cancelled'),
            }),
          ),
      ),
    );
    try {
      await new Promise<void>((resolve) => {
        const req = httpRequest(app.url, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.end();
      });
      assert.ok(await cancelled);
    } finally {
      await app.close();
    }
  });

  it('answers a JSON 500 when the handler throws', async () => {
    const original = console.error;
    console.error = () => {};
    const app = await plain(
      toNodeListener(() => {
        throw new Error('boom');
      }),
    );
    try {
      const res = await fetch(app.url);
      assert.equal(res.status, 500);
      assert.deepEqual(await res.json(), { error: { code: 'internal_error', message: 'Something went wrong on the server.' } });
    } finally {
      console.error = original;
      await app.close();
    }
  });

  it('streams a support event stream the same whether it writes the frames itself or reads the body', async () => {
    const handler = createSupportHandler({ backend: scriptedBackend(), basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false });
    // Wrapping the Response (as a middleware might) drops the frames the adapter would claim: body path.
    const wrapped: FetchHandler = async (request) => {
      const res = await handler(request);
      return new Response(res.body, res);
    };
    const direct = await plain(toNodeListener(handler));
    const viaBody = await plain(toNodeListener(wrapped));
    try {
      const stream = { thread_id: 'chat_1', input: [{ role: 'user', content: 'héllo ✓ "quoted"' }], stream: true };
      const a = await postJson(`${direct.url}/api/support/runs`, stream);
      const b = await postJson(`${viaBody.url}/api/support/runs`, stream);
      assert.equal(a.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(b.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const text = await a.text();
      assert.match(text, /"delta":"héllo ✓ \\"quoted\\""/);
      assert.equal(await b.text(), text);
    } finally {
      await direct.close();
      await viaBody.close();
    }
  });
});
