// A Redis that stops answering mid-reply (its own redis-server, frozen with SIGSTOP as a stalled
// host would be) costs the reply nothing: the visitor connected to the instance gets every event,
// the instance reports the unlogged run once, and a resume from the log afterwards stops at the gap
// (the widget then offers Retry) instead of skipping over it.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { createIngramEmulator } from '../../src/backends/ingram/emulator/index.js';
import { serve, type ServeHandle } from '../../src/node/index.js';
import { createRedisStores, RedisUnavailableError, RunLogBacklogError, type RedisCommandClient, type RedisSubscriber } from '../../src/stores/redis/index.js';
import { ingramOnRedis, TOKEN } from './ingram-on-redis.js';
import { completeFrames, deltasOf, readUntilCut } from '../backends/core/resume-kit.js';
import { startRedisServer, uniquePrefix } from '../support/redis-server.js';

const SECRET = 'redis-stall-secret-0123456789abcdef0123456789';

let redis: ChildProcess;
let frozen = false;
let emulator: ServeHandle;
let app: ServeHandle;
let closeRedis: () => Promise<unknown>;
let connections: { client: RedisCommandClient; subscriber: RedisSubscriber };
const errors: unknown[] = [];

const freeze = () => {
  frozen = redis.kill('SIGSTOP');
};
const thaw = () => {
  if (frozen) redis.kill('SIGCONT');
  frozen = false;
};

before(async () => {
  const server = await startRedisServer();
  redis = server.process;
  const client = await createClient({ url: server.url }).connect();
  const subscriber = await client.duplicate().connect();
  closeRedis = () => Promise.allSettled([subscriber.close(), client.close()]);
  connections = { client: client as unknown as RedisCommandClient, subscriber: subscriber as unknown as RedisSubscriber };
  // A bound that a healthy Redis never reaches, even on a loaded machine (a write answers within a
  // few deltas), and a reply long enough to pass it once Redis stops answering.
  const stores = createRedisStores({ ...connections, prefix: uniquePrefix(), runLog: { maxUnwrittenBytes: 6000 } });
  const reply = () => Array.from({ length: 120 }, (_, i) => ({ type: 'delta' as const, text: `Step ${i + 1} of the answer, in a few words. ` }));
  emulator = await serve(createIngramEmulator({ token: TOKEN, deltaDelayMs: 10, reply }), { port: 0 });
  const handler = ingramOnRedis({ stores, emulatorUrl: emulator.url, secret: SECRET, onError: (err) => errors.push(err) });
  app = await serve(handler, { port: 0 });
});

after(async () => {
  thaw();
  await app.close();
  await emulator.close();
  await closeRedis();
  redis.kill('SIGKILL');
});

describe('a Redis stalled mid-reply', () => {
  it('the connected visitor gets the whole reply; the run is reported once; a resume from the log ends in run.failed, no hole', { timeout: 60_000 }, async () => {
    const endpoint = `${app.url}/api/support`;
    const session = await fetch(`${endpoint}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = session.headers.getSetCookie()[0]!.split(';')[0]!;
    const ask = (thread: string) =>
      fetch(`${endpoint}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ thread_id: thread, input: [{ role: 'user', content: 'How do I reset my password?' }] }),
      });
    const reference = completeFrames(await readUntilCut(await ask('th_reference')));
    assert.equal(reference.at(-1)!.event, 'run.completed');
    assert.equal(errors.length, 0, 'a healthy Redis never reaches the bound');

    // The next reply: Redis freezes once its first events are out.
    const res = await ask('th_stalled');
    const reader = res.body!.getReader();
    let body = '';
    while (completeFrames(body).length < 3) body += new TextDecoder().decode((await reader.read()).value);
    freeze();
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) body += new TextDecoder().decode(chunk.value);
    } finally {
      thaw();
    }
    const frames = completeFrames(body);
    assert.equal(frames.at(-1)!.event, 'run.completed', 'the reply finished while Redis was frozen');
    assert.equal(deltasOf(frames), deltasOf(reference));
    assert.deepEqual(
      frames.map((f) => f.id),
      frames.map((_, i) => String(i + 1)),
    );
    const refused = errors.filter((err) => err instanceof RunLogBacklogError);
    assert.deepEqual(
      refused.map((err) => (err as Error).message.split(' ')[1]),
      [frames[0]!.data['run_id'] as string],
      'reported once for the run, not once per event',
    );

    // Redis answers again: a resume of that reply (a reload, another instance) reads its log, which
    // has what was written before the refusal and the terminal event after a gap. It stops at the
    // gap, and a resume from there finds nothing to follow (204): the widget offers Retry.
    const runId = frames[0]!.data['run_id'] as string;
    const read = (after: number) => fetch(`${endpoint}/runs/${runId}/events?after=${after}`, { headers: { cookie } });
    const logged = completeFrames(await readUntilCut(await read(0)));
    assert.ok(logged.length >= 3 && logged.length < frames.length - 1, `the log stops part-way: ${logged.length} of ${frames.length} events`);
    assert.deepEqual(
      logged.map((f) => f.id),
      logged.map((_, i) => String(i + 1)),
      'nothing skipped',
    );
    assert.ok(deltasOf(frames).startsWith(deltasOf(logged)));
    assert.equal((await read(logged.length)).status, 204);
    // The log is settled at the run's own last number (so a continuation numbers on from it).
    assert.equal((await read(frames.length)).status, 204);

    // And the next reply is logged whole again.
    const next = completeFrames(await readUntilCut(await ask('th_after')));
    const nextId = next[0]!.data['run_id'] as string;
    const replay = completeFrames(await readUntilCut(await fetch(`${endpoint}/runs/${nextId}/events?after=0`, { headers: { cookie } })));
    assert.deepEqual(
      replay.map((f) => f.id),
      next.map((f) => f.id),
    );
    assert.equal(replay.at(-1)!.event, 'run.completed');
  });
  it('a request while Redis is not answering gets 503 unavailable with Retry-After once commandTimeoutMs passes, not a hung connection', { timeout: 60_000 }, async (t) => {
    const seen: unknown[] = [];
    const stores = createRedisStores({ ...connections, prefix: uniquePrefix(), commandTimeoutMs: 400 });
    const quick = await serve(ingramOnRedis({ stores, emulatorUrl: emulator.url, secret: SECRET, onError: (err) => seen.push(err) }), { port: 0 });
    t.after(() => quick.close());
    const endpoint = `${quick.url}/api/support`;
    const session = () => fetch(`${endpoint}/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: '{}' });
    let cookie = '';
    cookie = (await session()).headers.getSetCookie()[0]!.split(';')[0]!;
    const ask = () =>
      fetch(`${endpoint}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ thread_id: 'th_timeout', input: [{ role: 'user', content: 'Are you there?' }] }),
      });

    freeze();
    try {
      for (const [what, request] of [
        ['POST /session', session],
        ['POST /runs', ask],
      ] as const) {
        const started = Date.now();
        const res = await request();
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.deepEqual([res.status, body.error.code, res.headers.get('retry-after')], [503, 'unavailable', '5'], what);
        assert.match(body.error.message, /not answering just now/);
        assert.ok(Date.now() - started < 4000, `${what} answered after ${Date.now() - started} ms`);
      }
    } finally {
      thaw();
    }
    const timedOut = seen.find((err): err is RedisUnavailableError => err instanceof RedisUnavailableError);
    assert.ok(timedOut, 'onError heard why');
    assert.match(String((timedOut.cause as Error).message), /Redis did not answer EVAL(SHA)? within 400 ms/);
    // Redis answers again: the same visitor's turn goes through, nothing left stuck.
    const frames = completeFrames(await readUntilCut(await ask()));
    assert.equal(frames.at(-1)!.event, 'run.completed');
  });
});
