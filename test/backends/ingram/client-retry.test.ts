// IngramClient's retries against the emulator over real HTTP, made to fail with its `faults`
// rules: idempotent calls survive a 429, 5xx and a dropped connection; run POSTs are never retried.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { IngramApiError, IngramClient, type RetryOptions } from '../../../src/backends/ingram/index.js';
import { MAX_RETRY_AFTER_SECONDS } from '../../../src/backends/core/support-error.js';
import { EMULATOR_AGENT_ID, type EmulatorFaultRule } from '../../../src/backends/ingram/emulator/index.js';
import { startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

/** The rules the emulator applies; each test sets its own. */
const faults: EmulatorFaultRule[] = [];
let emu: EmulatorServer;
let smithId: string;

/** A client with quick backoff (the policy's shape is under test, not its default pauses). */
const fastClient = (retry: RetryOptions = {}) => new IngramClient({ token: TOKEN, baseUrl: emu.url, timeoutMs: 5000, retry: { baseDelayMs: 5, maxDelayMs: 20, ...retry } });

function rule(r: EmulatorFaultRule): EmulatorFaultRule {
  faults.length = 0;
  faults.push(r);
  return r;
}

before(async () => {
  emu = await startEmulator({ faults });
  smithId = (await emu.client.upsertSmith({ external_id: 'retry-test', agent_id: EMULATOR_AGENT_ID })).id;
});
after(() => emu.close());

describe('IngramClient retries idempotent calls', () => {
  it('a GET answered 503 twice, then OK: succeeds on the third attempt', async () => {
    const r = rule({ kind: 'error', status: 503, times: 2, method: 'GET' });
    const smith = await fastClient().getSmith(smithId);
    assert.equal(smith.id, smithId);
    assert.equal(r.hits, 2);
  });

  it('an upsert (idempotent on external_id), a PATCH and a DELETE are retried on 500/502/504', async () => {
    const client = fastClient();
    for (const [status, method] of [
      [500, 'POST'],
      [502, 'PATCH'],
      [504, 'DELETE'],
    ] as const) {
      const r = rule({ kind: 'error', status, times: 1, method, path: /^\/v1\/smiths/ });
      if (method === 'POST') assert.equal((await client.upsertSmith({ external_id: 'retry-test' })).id, smithId);
      if (method === 'PATCH') assert.equal((await client.updateSmith(smithId, { display_name: 'R' })).display_name, 'R');
      if (method === 'DELETE') {
        const other = await emu.client.upsertSmith({ external_id: 'retry-delete' });
        assert.ok((await client.archiveSmith(other.id)).archived_at);
      }
      assert.equal(r.hits, 1, `${method} ${status}`);
    }
  });

  it('a JSON reply cut mid-body (connection dropped) is retried', async () => {
    const r = rule({ kind: 'drop', times: 1, method: 'GET' });
    assert.equal((await fastClient().getSmith(smithId)).id, smithId);
    assert.equal(r.hits, 1);
  });

  it('a 429 waits out its Retry-After (never sooner) and then succeeds', async () => {
    rule({ kind: 'error', status: 429, times: 1, retryAfter: '1', method: 'GET' });
    const started = Date.now();
    await fastClient().getSmith(smithId);
    assert.ok(Date.now() - started >= 950, `came back after ${Date.now() - started} ms`);
  });

  it('a Retry-After longer than the policy allows is not waited for; the visitor gets it clamped', async () => {
    // 73 years, as a real upstream once sent.
    const r = rule({ kind: 'error', status: 429, retryAfter: String(73 * 365 * 24 * 3600), method: 'GET' });
    const started = Date.now();
    await assert.rejects(fastClient().getSmith(smithId), (err: unknown) => {
      assert.ok(err instanceof IngramApiError);
      assert.equal(err.code, 'rate_limited');
      assert.equal(err.retryAfterSeconds, MAX_RETRY_AFTER_SECONDS);
      return true;
    });
    assert.equal(r.hits, 1, 'no retry');
    assert.ok(Date.now() - started < 3000);
  });

  it('attempts are bounded (maxAttempts), and the last error is passed on', async () => {
    const r = rule({ kind: 'error', status: 503, method: 'GET' });
    await assert.rejects(fastClient({ maxAttempts: 4 }).getSmith(smithId), (err: unknown) => err instanceof IngramApiError && err.code === 'unavailable');
    assert.equal(r.hits, 4);
    r.hits = 0;
    await assert.rejects(new IngramClient({ token: TOKEN, baseUrl: emu.url, retry: false }).getSmith(smithId));
    assert.equal(r.hits, 1, 'retry: false is one attempt');
  });

  it('the total time is bounded (maxElapsedMs), whatever the attempts', async () => {
    const r = rule({ kind: 'error', status: 503, retryAfter: '1', method: 'GET' });
    await assert.rejects(fastClient({ maxAttempts: 50, maxElapsedMs: 1500 }).getSmith(smithId));
    assert.ok(r.hits! >= 1 && r.hits! <= 2, `hits ${r.hits}`);
  });

  it('4xx other than 429 are not retried', async () => {
    const r = rule({ kind: 'error', status: 400, method: 'GET' });
    await assert.rejects(fastClient().getSmith(smithId));
    assert.equal(r.hits, 1);
  });

  it("the caller's signal ends the backoff at once", async () => {
    rule({ kind: 'error', status: 503, retryAfter: '4', method: 'GET' });
    const controller = new AbortController();
    const reason = new Error('visitor left');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await assert.rejects(fastClient().getSmith(smithId, { signal: controller.signal }), (err: unknown) => err === reason);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });
});

describe('IngramClient never retries a run POST', () => {
  for (const status of [429, 500, 503]) {
    it(`creating a run answered ${status}: one attempt, the error passed on`, async () => {
      const r = rule({ kind: 'error', status, retryAfter: '0', method: 'POST', path: /\/runs$/ });
      const client = fastClient();
      await assert.rejects(client.createRun(smithId, { input: [{ role: 'user', content: 'hi' }], stream: false }));
      await assert.rejects(client.openEventStream({ smithId, run: { input: [{ role: 'user', content: 'hi' }], stream: true } }));
      assert.equal(r.hits, 2, 'one attempt per call');
    });
  }

  it('an approval decision answered 503: one attempt', async () => {
    const r = rule({ kind: 'error', status: 503, method: 'POST', path: /\/approvals\// });
    await assert.rejects(fastClient().decideApproval(smithId, 'run_x', 'apr_x', { decision: 'approve', stream: false }));
    assert.equal(r.hits, 1);
  });
});

describe('IngramClient retries a connection that fails before any answer', () => {
  it('a server that drops the first two connections, then answers', async () => {
    faults.length = 0;
    let connections = 0;
    const sockets = new Set<Socket>();
    // A TCP front that cuts the first two connections and pipes the rest to the emulator.
    const front = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      if (++connections <= 2) return socket.destroy();
      const url = new URL(emu.url);
      import('node:net').then(({ connect }) => {
        const upstream = connect(Number(url.port), url.hostname);
        socket.pipe(upstream).pipe(socket);
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const port = (front.address() as { port: number }).port;
    try {
      const client = new IngramClient({ token: TOKEN, baseUrl: `http://127.0.0.1:${port}`, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } });
      assert.equal((await client.getSmith(smithId)).id, smithId);
      assert.equal(connections >= 3, true);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });
});
