// Three instances of one support service — separate processes sharing one Redis and one upstream
// (the Ingram emulator) — with every request of a visitor sent to the next instance in turn, as a
// round-robin load balancer would. They must behave as one service.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { listAllSmiths } from '../../src/backends/ingram/index.js';
import { parseSse, replyText, type SseEvent } from '../backends/ingram/http-browser.js';
import { startEmulator, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';
import { redisUrl, uniquePrefix } from '../support/redis-server.js';

const RATE_MAX = 8;
let emu: EmulatorServer;
let instances: { url: string; process: ChildProcess }[] = [];
let nextAddress = 1;

async function startInstance(env: Record<string, string>): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/multi-instance/instance.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`instance exited with ${code} before listening`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, process: child };
}

before(async () => {
  emu = await startEmulator({ deltaDelayMs: 15 });
  const env = { REDIS_URL: await redisUrl(), EMULATOR_URL: emu.url, KEY_PREFIX: uniquePrefix(), RATE_MAX: String(RATE_MAX), DRAIN_GRACE_MS: '150' };
  instances = await Promise.all([0, 1, 2].map(() => startInstance(env)));
});

after(async () => {
  for (const i of instances) i.process.kill('SIGKILL');
  await emu.close();
});

/** A browser whose every request goes to the next instance; it has its own client address. */
class RoundRobinVisitor {
  cookie: string | null = null;
  user: { user_id: string; display_name?: string } | null = null;
  readonly address = `198.51.100.${nextAddress++}`;
  #turn = 0;

  /** The instance the next request goes to (or a fixed one). */
  next(): string {
    return instances[this.#turn++ % instances.length]!.url;
  }

  async request(path: string, init: { body?: unknown; at?: number; method?: string } = {}): Promise<Response> {
    const base = init.at === undefined ? this.next() : instances[init.at]!.url;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': this.address };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.user) headers['x-test-user'] = JSON.stringify(this.user);
    const res = await fetch(base + path, { method: init.method ?? 'POST', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    for (const c of res.headers.getSetCookie()) this.cookie = c.split(';')[0]!;
    return res;
  }

  async run(base: string, thread_id: string, text: string, at?: number): Promise<SseEvent[]> {
    const res = await this.request(`${base}/runs`, { body: { thread_id, input: [{ role: 'user', content: text }], stream: true }, ...(at === undefined ? {} : { at }) });
    const body = await res.text();
    assert.equal(res.status, 200, body);
    return parseSse(body);
  }
}

const stopReason = (events: SseEvent[]) => events.find((e) => e.event === 'run.completed')?.data['stop_reason'];

describe('three instances, one Redis, round-robin', () => {
  it('a signed-in user resolves to the same smith on every instance: one thread, turn after turn', async () => {
    const v = new RoundRobinVisitor();
    v.user = { user_id: `user_rr_${Date.now()}` };
    const replies: string[] = [];
    for (const word of ['one', 'two', 'three']) replies.push(replyText(await v.run('/api/support', 'chat_rr', word)));
    assert.match(replies[2]!, /turn 3 in this thread/);
    const smiths = [];
    for await (const s of listAllSmiths(emu.client, { prefix: v.user.user_id })) if (s.external_id === v.user.user_id) smiths.push(s.id);
    assert.equal(smiths.length, 1);
  });

  it('a claim on one instance retires the anonymous cookie on the others', async () => {
    const v = new RoundRobinVisitor();
    await v.request('/api/support/session');
    await v.run('/api/support', 'chat_claim', 'I need help with my invoice');
    const anonymous = v.cookie!;
    const login = await v.request('/login', { body: { user_id: `user_claim_${Date.now()}` }, at: 0 });
    assert.deepEqual(((await login.json()) as { outcome: string }).outcome, 'carried_over');
    assert.notEqual(v.cookie, anonymous, 'the claim rotated the cookie');
    // Someone replays the retired cookie (a shared computer after logout) on the other instances.
    for (const at of [1, 2]) {
      const res = await fetch(`${instances[at]!.url}/api/support/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: anonymous, 'x-forwarded-for': v.address },
        body: JSON.stringify({ thread_id: 'chat_claim', input: [{ role: 'user', content: 'what did I ask?' }], stream: true }),
      });
      assert.equal(res.status, 401, `instance ${at}`);
      const session = await fetch(`${instances[at]!.url}/api/support/session`, { method: 'POST', headers: { cookie: anonymous, 'x-forwarded-for': v.address } });
      assert.equal(session.status, 200);
      assert.equal(session.headers.getSetCookie().length, 1, 'a retired cookie gets a fresh identity, not the account');
    }
  });

  it('the rate limit is shared: the instances together allow it once, not three times', async () => {
    const v = new RoundRobinVisitor();
    const statuses = [];
    for (let i = 0; i < RATE_MAX + 4; i++) {
      const res = await v.request('/api/support/session');
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.equal(statuses.filter((s) => s === 200).length, RATE_MAX);
    assert.deepEqual(statuses.slice(RATE_MAX), [429, 429, 429, 429]);
  });

  it('Stop sent to another instance ends the run where it streams', async () => {
    const v = new RoundRobinVisitor();
    await v.request('/api/support/session');
    const res = await v.request('/api/support/runs', {
      body: { thread_id: 'chat_stop', input: [{ role: 'user', content: 'Tell me a long story about lighthouses and the sea' }], stream: true },
      at: 0,
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('message.delta')) text += decoder.decode((await reader.read()).value, { stream: true });
    const runId = (parseSse(text)[0]!.data as { run_id: string }).run_id;
    const cancel = await v.request(`/api/support/runs/${runId}/cancel`, { at: 2 });
    assert.equal(cancel.status, 200, await cancel.clone().text());
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    assert.equal(stopReason(parseSse(text)), 'cancelled');
  });

  it("someone else's run is 404 on every instance", async () => {
    const owner = new RoundRobinVisitor();
    const stranger = new RoundRobinVisitor();
    await stranger.request('/api/support/session');
    const events = await owner.run('/api/support', 'chat_mine', 'hello');
    const runId = events[0]!.data['run_id'] as string;
    for (const at of [0, 1, 2]) assert.equal((await stranger.request(`/api/support/runs/${runId}/cancel`, { at })).status, 404);
  });

  it('an approval decided on another instance continues the run', async () => {
    const v = new RoundRobinVisitor();
    const events = await v.run('/api/support', 'chat_ticket', 'please open a ticket', 0);
    const approval = events.find((e) => e.event === 'approval.requested')!;
    assert.ok(approval, 'the emulator asks for approval');
    const res = await v.request(`/api/support/runs/${approval.data['run_id']}/approvals/${approval.data['approval_id']}`, {
      body: { decision: 'approve', stream: true },
      at: 1,
    });
    assert.equal(res.status, 200);
    const continuation = parseSse(await res.text());
    assert.match(replyText(continuation), /opened ticket T-\d+/);
  });

  it('an AI SDK conversation continues across instances', async () => {
    const v = new RoundRobinVisitor();
    let last = '';
    for (const word of ['alpha', 'beta', 'gamma']) last = replyText(await v.run('/api/ai', 'chat_ai', word));
    assert.equal(last, 'You said 3 thing(s): alpha | beta | gamma');
  });

  // Last: it takes an instance away.
  it('an instance stopped mid-reply ends the reply with run.failed (unavailable), and the next turn continues the thread elsewhere', async () => {
    const v = new RoundRobinVisitor();
    v.user = { user_id: `user_deploy_${Date.now()}` };
    const question = 'Tell me everything about lighthouses, keepers, lenses and the sea, in detail';
    const res = await v.request('/api/support/runs', { body: { thread_id: 'chat_deploy', input: [{ role: 'user', content: question }], stream: true }, at: 2 });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('message.delta')) text += decoder.decode((await reader.read()).value, { stream: true });
    instances[2]!.process.kill('SIGTERM');
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        assert.fail(`the stream was cut instead of ended: ${String(err)}; received:\n${text.slice(-400)}`);
      }
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    const events = parseSse(text);
    const last = events.at(-1)!;
    assert.equal(last.event, 'run.failed', text.slice(-300));
    assert.equal((last.data['error'] as { code: string }).code, 'unavailable');
    // The widget keeps the question and offers Retry; the retried turn lands on a live instance,
    // in the same thread (the upstream kept the question).
    instances = instances.slice(0, 2);
    const again = replyText(await v.run('/api/support', 'chat_deploy', question));
    assert.match(again, /turn 2 in this thread/);
  });
});
