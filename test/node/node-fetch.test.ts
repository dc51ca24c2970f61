// createNodeFetch against real node:http servers on 127.0.0.1: what a fetch must do for the
// Ingram client (status, headers, bodies, streaming, abort, errors) and the keep-alive pool.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { BODY_CHUNKS, createNodeFetch, type BodyChunkSource } from '../../src/node/index.js';

const nodeFetch = createNodeFetch({ keepAlive: true });
after(() => nodeFetch.close());

async function listen(handler: RequestListener): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

const chunksOf = (body: ReadableStream<Uint8Array> | null) => (body as unknown as Record<symbol, BodyChunkSource>)[BODY_CHUNKS]!;

describe('createNodeFetch', () => {
  it('round-trips status, status text, headers (repeated ones too), url and body', async () => {
    const s = await listen((req, res) => {
      res.writeHead(201, 'Made It', { 'Content-Type': 'application/json', 'X-Path': req.url ?? '', 'Set-Cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ method: req.method, custom: req.headers['x-custom'] }));
    });
    try {
      const res = await nodeFetch(`${s.url}/p?q=1`, { headers: { 'X-Custom': 'yes' } });
      assert.ok(res instanceof Response);
      assert.equal(res.status, 201);
      assert.equal(res.statusText, 'Made It');
      assert.equal(res.ok, true);
      assert.equal(res.url, `${s.url}/p?q=1`);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(res.headers.get('x-path'), '/p?q=1');
      assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
      assert.deepEqual(await res.json(), { method: 'GET', custom: 'yes' });
    } finally {
      await s.close();
    }
  });

  it('sends string and byte request bodies with their length (and a default text type)', async () => {
    const seen: { method?: string; type?: string; length?: string; body: string }[] = [];
    const s = await listen(async (req, res) => {
      seen.push({ method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], body: (await readAll(req)).toString('utf8') });
      res.end('ok');
    });
    try {
      await (await nodeFetch(s.url, { method: 'POST', body: '{"a":"é"}', headers: { 'Content-Type': 'application/json' } })).text();
      await (await nodeFetch(s.url, { method: 'PUT', body: new TextEncoder().encode('bytes!') })).text();
      await (await nodeFetch(new Request(s.url, { method: 'POST', body: 'from a Request' }))).text();
      await (await nodeFetch(s.url, { method: 'POST', body: 'plain' })).text();
      assert.deepEqual(seen, [
        { method: 'POST', type: 'application/json', length: '10', body: '{"a":"é"}' },
        { method: 'PUT', type: undefined, length: '6', body: 'bytes!' },
        { method: 'POST', type: 'text/plain;charset=UTF-8', length: '14', body: 'from a Request' },
        { method: 'POST', type: 'text/plain;charset=UTF-8', length: '5', body: 'plain' },
      ]);
    } finally {
      await s.close();
    }
  });

  it('streams: the first chunk arrives before the server ends the response', async () => {
    let finish!: () => void;
    const s = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: first\n\n');
      finish = () => res.end('data: last\n\n');
    });
    try {
      const res = await nodeFetch(s.url);
      const reader = res.body!.getReader();
      const first = await reader.read();
      assert.equal(new TextDecoder().decode(first.value), 'data: first\n\n');
      finish();
      let rest = '';
      for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
      assert.equal(rest, 'data: last\n\n');
    } finally {
      await s.close();
    }
  });

  it('BODY_CHUNKS: the same chunks without the web stream, for one reader only', async () => {
    let finish!: () => void;
    const s = await listen((_req, res) => {
      res.write('one;');
      finish = () => res.end('two');
    });
    try {
      const res = await nodeFetch(s.url);
      const reader = chunksOf(res.body).claim()!;
      assert.ok(reader, 'claimed');
      assert.equal(chunksOf(res.body).claim(), undefined, 'only once');
      await assert.rejects(res.body!.getReader().read(), TypeError, 'the web stream no longer has them');
      assert.equal(Buffer.from((await reader.read()).value!).toString(), 'one;');
      finish();
      let rest = '';
      for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
      assert.equal(rest, 'two');
      assert.equal((await reader.read()).done, true);

      // Once the web stream reads, the fast path is refused.
      const res2 = await nodeFetch(s.url);
      const webReader = res2.body!.getReader();
      await webReader.read();
      assert.equal(chunksOf(res2.body).claim(), undefined);
      finish();
      await webReader.cancel();
    } finally {
      await s.close();
    }
  });

  for (const path of ['web stream', 'BODY_CHUNKS'] as const) {
    it(`aborting mid-stream (${path}) errors the read with the reason and closes the connection`, async () => {
      let serverSawClose!: Promise<void>;
      const s = await listen((req, res) => {
        serverSawClose = new Promise((resolve) => res.on('close', () => resolve()));
        res.write('chunk');
      });
      try {
        const abort = new AbortController();
        const res = await nodeFetch(s.url, { signal: abort.signal });
        const reader = path === 'web stream' ? res.body!.getReader() : chunksOf(res.body).claim()!;
        await reader.read();
        const pending = reader.read();
        abort.abort(new Error('stop now'));
        await assert.rejects(pending, /stop now/);
        await serverSawClose;
      } finally {
        await s.close();
      }
    });

    it(`a body cut short (${path}) fails with TypeError('terminated')`, async () => {
      const s = await listen((req, res) => {
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('partial');
        setTimeout(() => req.socket.destroy(), 20);
      });
      try {
        const res = await nodeFetch(s.url);
        const reader = path === 'web stream' ? res.body!.getReader() : chunksOf(res.body).claim()!;
        await reader.read();
        await assert.rejects(reader.read(), (err: unknown) => err instanceof TypeError && err.message === 'terminated');
      } finally {
        await s.close();
      }
    });
  }

  it('cancelling the body closes the connection', async () => {
    let serverSawClose!: Promise<void>;
    const s = await listen((_req, res) => {
      serverSawClose = new Promise((resolve) => res.on('close', () => resolve()));
      res.write('chunk');
    });
    try {
      const res = await nodeFetch(s.url);
      const reader = chunksOf(res.body).claim()!;
      await reader.read();
      await reader.cancel();
      assert.equal((await reader.read().catch(() => ({ done: true }))).done, true);
      await serverSawClose;
    } finally {
      await s.close();
    }
  });

  it('an abort before the response rejects with the reason; an aborted signal rejects at once', async () => {
    let serverSawClose!: Promise<void>;
    const s = await listen((req) => {
      serverSawClose = new Promise((resolve) => req.on('close', () => resolve()));
    });
    try {
      const abort = new AbortController();
      const pending = nodeFetch(s.url, { signal: abort.signal });
      await new Promise((r) => setTimeout(r, 30));
      abort.abort(new Error('gave up'));
      await assert.rejects(pending, /gave up/);
      await serverSawClose;
      await assert.rejects(nodeFetch(s.url, { signal: AbortSignal.abort() }), { name: 'AbortError' });
      await assert.rejects(nodeFetch(s.url, { signal: AbortSignal.timeout(20) }), { name: 'TimeoutError' });
    } finally {
      await s.close();
    }
  });

  it('rejects with a TypeError (cause: the Node error) when the connection is refused', async () => {
    const s = await listen(() => {});
    const url = s.url;
    await s.close();
    await assert.rejects(nodeFetch(url), (err: unknown) => err instanceof TypeError && (err.cause as { code?: string }).code === 'ECONNREFUSED');
  });

  it('refuses what fetch refuses: other protocols, a GET with a body', async () => {
    await assert.rejects(nodeFetch('file:///etc/passwd'), TypeError);
    await assert.rejects(nodeFetch('http://127.0.0.1:1/', { body: 'x' }), TypeError);
  });

  it('does not follow redirects; redirect: "error" rejects', async () => {
    const s = await listen((req, res) => {
      if (req.url === '/from') res.writeHead(302, { Location: '/to' }).end();
      else res.end('target');
    });
    try {
      const res = await nodeFetch(`${s.url}/from`);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/to');
      await assert.rejects(nodeFetch(`${s.url}/from`, { redirect: 'error' }), TypeError);
    } finally {
      await s.close();
    }
  });

  it('gives 204 a null body and decodes a gzip body', async () => {
    const s = await listen((req, res) => {
      if (req.url === '/empty') res.writeHead(204).end();
      else res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync('squeezed'));
    });
    try {
      const empty = await nodeFetch(`${s.url}/empty`);
      assert.equal(empty.status, 204);
      assert.equal(empty.body, null);
      assert.equal(await (await nodeFetch(`${s.url}/zip`)).text(), 'squeezed');
    } finally {
      await s.close();
    }
  });

  it('keeps connections alive: sequential requests reuse one socket', async () => {
    let connections = 0;
    const s = await listen((_req, res) => res.end('x'));
    s.server.on('connection', () => connections++);
    try {
      for (let i = 0; i < 5; i++) assert.equal(await (await nodeFetch(s.url)).text(), 'x');
      const stream = await nodeFetch(s.url);
      const reader = chunksOf(stream.body).claim()!;
      while (!(await reader.read()).done);
      assert.equal(await (await nodeFetch(s.url)).text(), 'x');
      // A reader that stops once it has what it needs (the upstream reader after run.completed)
      // does not cost the connection when the whole response had already arrived.
      for (const path of ['web stream', 'BODY_CHUNKS']) {
        const early = await nodeFetch(s.url);
        const r = path === 'web stream' ? early.body!.getReader() : chunksOf(early.body).claim()!;
        await r.read();
        await new Promise((resolve) => setTimeout(resolve, 10));
        await r.cancel();
        assert.equal(await (await nodeFetch(s.url)).text(), 'x', path);
      }
      assert.equal(connections, 1);
    } finally {
      await s.close();
    }
  });

  it('keepAlive: false opens a connection per request', async () => {
    const once = createNodeFetch({ keepAlive: false });
    let connections = 0;
    const s = await listen((_req, res) => res.end('x'));
    s.server.on('connection', () => connections++);
    try {
      for (let i = 0; i < 3; i++) await (await once(s.url)).text();
      assert.equal(connections, 3);
    } finally {
      once.close();
      await s.close();
    }
  });
});
