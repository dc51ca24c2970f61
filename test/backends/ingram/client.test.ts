// IngramClient's request shape and error mapping. A scripted vendor API stands in for Ingram
// Cloud here (the only thing faked), so each upstream failure can be produced exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from 'node:net';
import { IngramApiError, IngramClient } from '../../../src/backends/ingram/index.js';
import { SupportError } from '../../../src/backends/core/index.js';
import { serve } from '../../../src/node/index.js';

const TOKEN = 'ic_secret_token_ABC123';

async function withApi(handler: (request: Request) => Response | Promise<Response>, fn: (client: IngramClient, seen: Request[]) => Promise<void>, timeoutMs = 2000) {
  const seen: Request[] = [];
  const server = await serve(
    async (request) => {
      seen.push(request.clone());
      return handler(request);
    },
    { port: 0 },
  );
  try {
    await fn(new IngramClient({ token: TOKEN, baseUrl: server.url + '/', timeoutMs }), seen);
  } finally {
    await server.close();
  }
}

const jsonError = (status: number, message = 'nope', extra: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code: 'x', message } }), { status, headers: { 'Content-Type': 'application/json', ...Object.fromEntries(new Headers(extra)) } });

describe('IngramClient requests', () => {
  it('sends Authorization Bearer, IC-Api-Version and JSON on every call', async () => {
    await withApi(
      () => Response.json({ id: 'smt_1', external_id: 'u' }),
      async (client, seen) => {
        await client.upsertSmith({ external_id: 'u', display_name: 'Ada' });
        await client.listSmiths({ external_id_prefix: 'anon:' });
        const [post, get] = seen;
        assert.equal(post!.method, 'POST');
        assert.equal(new URL(post!.url).pathname, '/v1/smiths');
        assert.equal(post!.headers.get('authorization'), `Bearer ${TOKEN}`);
        assert.equal(post!.headers.get('ic-api-version'), '2026-05-01');
        assert.equal(post!.headers.get('content-type'), 'application/json');
        assert.deepEqual(await post!.json(), { external_id: 'u', display_name: 'Ada' });
        assert.equal(get!.headers.get('authorization'), `Bearer ${TOKEN}`);
        assert.equal(new URL(get!.url).search, '?external_id_prefix=anon%3A');
      },
    );
  });

  it('escapes ids in paths, so an id cannot reach another endpoint', async () => {
    await withApi(
      () => Response.json({}),
      async (client, seen) => {
        await client.getSmith('../agents/agt_1');
        assert.equal(new URL(seen[0]!.url).pathname, '/v1/smiths/..%2Fagents%2Fagt_1');
      },
    );
  });

  it('never shows the token through JSON.stringify or util.inspect', async () => {
    const client = new IngramClient({ token: TOKEN });
    const { inspect } = await import('node:util');
    assert.ok(!JSON.stringify(client).includes(TOKEN));
    assert.ok(!inspect(client, { showHidden: true, depth: 5 }).includes(TOKEN));
  });
});

describe('IngramClient error mapping', () => {
  const cases: [number, string, number][] = [
    [401, 'upstream_error', 502],
    [403, 'upstream_error', 502],
    [404, 'not_found', 404],
    [400, 'invalid_request', 400],
    [413, 'payload_too_large', 413],
    [500, 'upstream_error', 502],
    [502, 'upstream_error', 502],
    [503, 'unavailable', 503],
  ];
  for (const [status, code, httpStatus] of cases) {
    it(`maps upstream ${status} onto ${code} (${httpStatus})`, async () => {
      await withApi(
        () => jsonError(status, `upstream said: bad token ${TOKEN}`),
        async (client) => {
          await assert.rejects(client.listSmiths(), (err: unknown) => {
            assert.ok(err instanceof IngramApiError && err instanceof SupportError);
            assert.equal(err.code, code);
            assert.equal(err.status, httpStatus);
            assert.equal(err.upstreamStatus, status);
            // The token never survives, even when the API echoes it.
            assert.ok(!err.message.includes(TOKEN), err.message);
            assert.ok(!String(err.upstreamMessage).includes(TOKEN));
            assert.ok(!JSON.stringify({ ...err, message: err.message }).includes(TOKEN));
            return true;
          });
        },
      );
    });
  }

  it('passes Retry-After on with 429 rate_limited', async () => {
    await withApi(
      () => jsonError(429, 'slow down', { 'Retry-After': '7' }),
      async (client) => {
        await assert.rejects(
          client.listRuns(),
          (err: unknown) => err instanceof IngramApiError && err.code === 'rate_limited' && err.status === 429 && err.retryAfterSeconds === 7,
        );
      },
    );
  });

  it('maps an HTML error page without reading it into the message', async () => {
    await withApi(
      () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }),
      async (client) => {
        await assert.rejects(client.listSmiths(), (err: unknown) => err instanceof IngramApiError && err.code === 'upstream_error' && !err.message.includes('<html>'));
      },
    );
  });

  it('times out waiting for headers → unavailable', async () => {
    await withApi(
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({})), 1000)),
      async (client) => {
        await assert.rejects(client.listSmiths(), (err: unknown) => err instanceof IngramApiError && err.code === 'unavailable');
      },
      100,
    );
  });

  it('a refused connection → unavailable', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const client = new IngramClient({ token: TOKEN, baseUrl: `http://127.0.0.1:${port}` });
    await assert.rejects(client.listSmiths(), (err: unknown) => err instanceof IngramApiError && err.code === 'unavailable' && !err.message.includes(TOKEN));
  });

  it("the caller's abort is passed on as an abort, not turned into an API error", async () => {
    await withApi(
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({})), 500)),
      async (client) => {
        const abort = new AbortController();
        setTimeout(() => abort.abort(new Error('visitor left')), 30);
        await assert.rejects(client.listSmiths({}, { signal: abort.signal }), (err: unknown) => !(err instanceof IngramApiError) && (err as Error).message === 'visitor left');
      },
    );
  });

  it('refuses a streamed run answered with something other than text/event-stream', async () => {
    await withApi(
      () => Response.json({ id: 'run_1' }),
      async (client) => {
        await assert.rejects(
          client.createRun('smt_1', { input: [{ role: 'user', content: 'x' }], stream: true }),
          (err: unknown) => err instanceof IngramApiError && err.code === 'upstream_error',
        );
      },
    );
  });

  it('cancelRun tolerates an API without the endpoint (404/405) and reports other failures', async () => {
    await withApi(
      () => jsonError(405),
      async (client) => assert.equal(await client.cancelRun('smt_1', 'run_1'), false),
    );
    await withApi(
      () => jsonError(500),
      async (client) => {
        await assert.rejects(client.cancelRun('smt_1', 'run_1'), IngramApiError);
      },
    );
  });
});
