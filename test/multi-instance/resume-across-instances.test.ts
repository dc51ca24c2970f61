// With the Redis stores, a reply started on one instance resumes on another: two real handlers on
// their own HTTP servers and Redis connections, the Ingram backend on the emulator (which counts
// the runs it was asked for), a real redis-server. The first instance's stream is cut by a proxy
// at every frame boundary and mid-frame; the visitor resumes through the second instance.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SupportHandler } from '../../src/backends/core/index.js';
import { createIngramEmulator } from '../../src/backends/ingram/emulator/index.js';
import { serve, type ServeHandle } from '../../src/node/index.js';
import { createRedisStores, type RedisStores } from '../../src/stores/redis/index.js';
import { ingramOnRedis, TOKEN } from './ingram-on-redis.js';
import { completeFrames, cutPoints, deltasOf, readUntilCut, type Frame } from '../backends/core/resume-kit.js';
import { startCuttingProxy, type CuttingProxy } from '../support/cutting-proxy.js';
import { connectRedis, uniquePrefix, type RedisConnection } from '../support/redis-server.js';

const SECRET = 'resume-across-instances-secret-0123456789abcdef';

let emulator: ServeHandle;
let upstreamRuns = 0;
let upstreamDecisions = 0;
const connections: RedisConnection[] = [];
const instances: { handle: ServeHandle; stores: RedisStores; handler: SupportHandler }[] = [];
let proxyA: CuttingProxy;

before(async () => {
  const emu = createIngramEmulator({ token: TOKEN, deltaDelayMs: 2 });
  emulator = await serve(
    (request: Request) => {
      if (request.method === 'POST' && /\/smiths\/[^/]+\/runs$/.test(new URL(request.url).pathname)) upstreamRuns++;
      if (request.method === 'POST' && /\/approvals\/[^/]+$/.test(new URL(request.url).pathname)) upstreamDecisions++;
      return emu(request);
    },
    { port: 0 },
  );
  const prefix = uniquePrefix();
  for (let i = 0; i < 2; i++) {
    const conn = await connectRedis();
    connections.push(conn);
    const stores = createRedisStores({ client: conn.client, subscriber: conn.subscriber, prefix });
    const handler = ingramOnRedis({ stores, emulatorUrl: emulator.url, secret: SECRET });
    instances.push({ handle: await serve(handler, { port: 0 }), stores, handler });
  }
  proxyA = await startCuttingProxy(instances[0]!.handle.url);
});

after(async () => {
  await proxyA.close();
  for (const { handle } of instances) await handle.close();
  await emulator.close();
  for (const conn of connections) await conn.close();
});

const endpoint = (i: number) => `${instances[i]!.handle.url}/api/support`;

async function visitor(): Promise<string> {
  const res = await fetch(`${endpoint(0)}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe('resume across instances (Redis stores, Ingram emulator)', () => {
  it('a reply cut anywhere on instance A finishes on instance B with the same text and one upstream run', { timeout: 120_000 }, async () => {
    const cookie = await visitor();
    const post = (base: string, body: unknown, key: string) =>
      fetch(`${base}/runs`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'idempotency-key': key }, body: JSON.stringify(body) });
    const question = (n: number) => ({ thread_id: `th_${n}`, input: [{ role: 'user', content: 'How do I reset my password?' }] });
    const reference = await readUntilCut(await post(endpoint(0), question(0), 'ref'));
    const expected = completeFrames(reference);
    assert.equal(expected.at(-1)!.event, 'run.completed');
    const text = deltasOf(expected);
    assert.ok(text.length > 20, text);
    const points = cutPoints(reference);
    for (const [n, cut] of points.entries()) {
      const runsBefore = upstreamRuns;
      proxyA.cutNext(cut);
      const first = completeFrames(await readUntilCut(await post(`${proxyA.url}/api/support`, question(n + 1), `k${n}`)));
      const last = first.at(-1);
      let rest: Frame[] = [];
      if (!last) rest = completeFrames(await readUntilCut(await post(endpoint(1), question(n + 1), `k${n}`)));
      else if (last.event !== 'run.completed') {
        const res = await fetch(`${endpoint(1)}/runs/${last.data['run_id'] as string}/events`, { headers: { cookie, 'last-event-id': last.id! } });
        assert.equal(res.status, 200, `resume on B after the cut at ${cut}`);
        rest = completeFrames(await readUntilCut(res));
      }
      const all = [...first, ...rest];
      assert.deepEqual(
        all.map((f) => f.id),
        all.map((_, i) => String(i + 1)),
        `ids after the cut at ${cut}`,
      );
      assert.equal(deltasOf(all), text, `text after the cut at byte ${cut}`);
      assert.equal(all.at(-1)!.event, 'run.completed');
      assert.equal(upstreamRuns, runsBefore + 1, `one upstream run for the cut at byte ${cut}`);
    }
  });

  it("instance B answers 404 for another visitor's run and tells the owner about a run in progress on A", async () => {
    const cookie = await visitor();
    const res = await fetch(`${endpoint(0)}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ thread_id: 'th_x', input: [{ role: 'user', content: 'hello there' }] }),
    });
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('\n\n')) seen += new TextDecoder().decode((await reader.read()).value);
    const runId = completeFrames(seen)[0]!.data['run_id'] as string;
    const session = (await (await fetch(`${endpoint(1)}/session`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}' })).json()) as {
      active_run?: { run_id: string };
    };
    assert.equal(session.active_run?.run_id, runId);
    const stranger = await visitor();
    assert.equal((await fetch(`${endpoint(1)}/runs/${runId}/events`, { headers: { cookie: stranger } })).status, 404);
    while (!(await reader.read()).done);
    const replay = completeFrames(await readUntilCut(await fetch(`${endpoint(1)}/runs/${runId}/events`, { headers: { cookie } })));
    assert.equal(replay.at(-1)!.event, 'run.completed');
  });

  it('an approval decision whose reply was cut before its first event, sent again on instance B, gets the same continuation', async () => {
    const cookie = await visitor();
    const asked = completeFrames(
      await readUntilCut(
        await fetch(`${endpoint(0)}/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ thread_id: 'th_ticket', input: [{ role: 'user', content: 'please open a ticket' }] }),
        }),
      ),
    );
    const request = asked.find((f) => f.event === 'approval.requested')!;
    assert.ok(request, asked.map((f) => f.event).join(', '));
    const path = `/api/support/runs/${request.data['run_id'] as string}/approvals/${request.data['approval_id'] as string}`;
    const decide = (base: string, decision: string) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ decision }) });
    const before = upstreamDecisions;
    proxyA.cutNext(1, /approvals/);
    assert.deepEqual(completeFrames(await readUntilCut(await decide(proxyA.url, 'approve'))), [], 'no event reached the browser');
    const repeated = await decide(instances[1]!.handle.url, 'approve');
    assert.equal(repeated.status, 200);
    const continuation = completeFrames(await readUntilCut(repeated));
    assert.deepEqual(
      continuation.map((f) => Number(f.id)),
      continuation.map((_, i) => Number(asked.at(-1)!.id) + 1 + i),
      'the continuation from its first event, numbered after the first segment',
    );
    assert.equal(continuation.at(-1)!.event, 'run.completed');
    assert.equal(upstreamDecisions, before + 1, 'one decision upstream');
    const other = await decide(instances[1]!.handle.url, 'deny');
    assert.equal(other.status, 409);
  });
});
