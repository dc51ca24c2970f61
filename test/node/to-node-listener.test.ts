import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
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

/** A support handler on the Node adapter, and a raw socket to it: for reading the wire itself. */
async function rawSupportApp() {
  const handler = createSupportHandler({ backend: scriptedBackend(), basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false });
  const app = await plain(toNodeListener(handler));
  return { app, socket: connect(Number(new URL(app.url).port), '127.0.0.1') };
}

/** A streamed `POST /runs` as bytes, in HTTP/`version`. */
function rawStreamRequest(version: string, text: string): string {
  const body = JSON.stringify({ thread_id: 'chat_1', input: [{ role: 'user', content: text }], stream: true });
  return `POST /api/support/runs HTTP/${version}\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

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

  it('writes each frame as one chunk of valid HTTP/1.1 chunked framing, and keeps the connection alive', async () => {
    const { app, socket } = await rawSupportApp();
    try {
      socket.setEncoding('latin1');
      let received = '';
      socket.on('data', (text: string) => (received += text));
      const ask = (text: string) => socket.write(rawStreamRequest('1.1', text));
      // Reads one whole chunked response off the connection, checking every chunk's size in bytes.
      const response = async (): Promise<{ head: string; chunks: string[] }> => {
        for (;;) {
          const headEnd = received.indexOf('\r\n\r\n');
          if (headEnd !== -1) {
            const head = received.slice(0, headEnd);
            const chunks: string[] = [];
            let pos = headEnd + 4;
            for (;;) {
              const sizeEnd = received.indexOf('\r\n', pos);
              if (sizeEnd === -1) break;
              const size = parseInt(received.slice(pos, sizeEnd), 16);
              assert.ok(Number.isInteger(size), `a chunk size line, got ${JSON.stringify(received.slice(pos, sizeEnd))}`);
              if (received.length < sizeEnd + 2 + size + 2) break;
              assert.equal(received.slice(sizeEnd + 2 + size, sizeEnd + 4 + size), '\r\n', 'CRLF after the chunk data');
              if (size === 0) {
                received = received.slice(sizeEnd + 4);
                return { head, chunks };
              }
              chunks.push(Buffer.from(received.slice(sizeEnd + 2, sizeEnd + 2 + size), 'latin1').toString('utf8'));
              pos = sizeEnd + 4 + size;
            }
          }
          await new Promise((resolve) => socket.once('data', resolve));
        }
      };
      ask('héllo ✓ "quoted"');
      const first = await response();
      assert.match(first.head, /^HTTP\/1\.1 200/);
      assert.match(first.head, /\r\ntransfer-encoding: chunked/i);
      assert.doesNotMatch(first.head, /\r\nconnection: close/i);
      // One frame per chunk: each a whole SSE event, multi-byte text counted in bytes.
      assert.deepEqual(
        first.chunks.map((c) => c.match(/^event: (.+)$/m)?.[1]),
        ['run.started', 'message.delta', 'message.delta', 'run.completed'],
      );
      assert.ok(first.chunks.every((c) => c.endsWith('\n\n')));
      assert.match(first.chunks[2]!, /"delta":"héllo ✓ \\"quoted\\""/);
      // The same connection serves the next turn.
      ask('again');
      const second = await response();
      assert.match(second.head, /^HTTP\/1\.1 200/);
      assert.match(second.chunks[2]!, /"delta":"again"/);
      socket.destroy();
    } finally {
      await app.close();
    }
  });

  it('answers an HTTP/1.0 client with the frames unframed, ended by closing the connection', async () => {
    const { app, socket } = await rawSupportApp();
    try {
      socket.write(rawStreamRequest('1.0', 'old client'));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      await new Promise((resolve) => socket.on('close', resolve));
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, payload] = [text.slice(0, text.indexOf('\r\n\r\n')), text.slice(text.indexOf('\r\n\r\n') + 4)];
      assert.match(head, /^HTTP\/1\.1 200/);
      assert.doesNotMatch(head, /transfer-encoding/i);
      assert.match(payload, /^id: 1\nevent: run\.started\n/);
      assert.match(payload, /"delta":"old client"/);
      assert.match(payload, /event: run\.completed\ndata: [^\n]+\n\n$/);
    } finally {
      await app.close();
    }
  });

  it('sends every frame through res.write when a middleware wraps it (compression, say)', async () => {
    const handler = createSupportHandler({ backend: scriptedBackend(), basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false });
    const seen: string[] = [];
    const listener = toNodeListener(handler);
    const app = await plain((req, res) => {
      const write = res.write.bind(res) as (chunk: unknown) => boolean;
      res.write = ((chunk: unknown) => {
        seen.push(String(chunk));
        return write(chunk);
      }) as typeof res.write;
      listener(req, res);
    });
    try {
      const res = await postJson(`${app.url}/api/support/runs`, { thread_id: 'chat_1', input: [{ role: 'user', content: 'wrapped' }], stream: true });
      const text = await res.text();
      assert.match(text, /"delta":"wrapped"/);
      assert.equal(seen.join(''), text);
    } finally {
      await app.close();
    }
  });

  it('gives a reader that stops for a while every frame once its socket drains', async () => {
    const big = 'x'.repeat(16 * 1024);
    const backend = scriptedBackend({
      async *run(input) {
        yield { type: 'run.started', v: 1, run_id: 'run_big', thread_id: input.thread_id };
        for (let i = 0; i < 400; i++) yield { type: 'message.delta', v: 1, run_id: 'run_big', delta: `${i}:${big}` };
        yield { type: 'run.completed', v: 1, run_id: 'run_big', stop_reason: 'end_turn' };
      },
    });
    const handler = createSupportHandler({ backend, basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false });
    const app = await plain(toNodeListener(handler));
    try {
      const body = JSON.stringify({ thread_id: 'chat_1', input: [{ role: 'user', content: 'big' }], stream: true });
      const text = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(`${app.url}/api/support/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
          // 6.4 MB, far past the socket buffers: the server has to wait for 'drain' many times.
          res.pause();
          setTimeout(() => {
            const parts: Buffer[] = [];
            res.on('data', (chunk: Buffer) => parts.push(chunk));
            res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
            res.resume();
          }, 300);
        });
        req.on('error', reject);
        req.end(body);
      });
      const deltas = [...text.matchAll(/"delta":"(\d+):x+"/g)].map((m) => Number(m[1]));
      assert.deepEqual(
        deltas,
        Array.from({ length: 400 }, (_, i) => i),
      );
      assert.match(text, /event: run\.completed/);
    } finally {
      await app.close();
    }
  });
});
