// `npm start` twice on one Redis: two demo processes (the real demo server, as `npm start` runs it,
// on two ports) sharing REDIS_URL, IC_COOKIE_SECRET and one upstream (the emulator over HTTP)
// behave as one service for sign-in and its claim, the rate limit, and Stop.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { EMULATOR_AGENT_ID } from '../../src/backends/ingram/emulator/index.js';
import { parseSse } from '../backends/ingram/http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';
import { redisUrl, uniquePrefix } from '../support/redis-server.js';

let emu: EmulatorServer;
const demos: { url: string; process: ChildProcess }[] = [];

async function startDemoProcess(env: Record<string, string>): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], { env: { ...process.env, ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^Demo: (http:\/\/\S+?)\/?$/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`demo exited with ${code}`)));
  });
  return { url, process: child };
}

before(async () => {
  emu = await startEmulator({ deltaDelayMs: 20 });
  const env = {
    IC_TOKEN: TOKEN,
    IC_BASE_URL: emu.url,
    IC_AGENT_ID: EMULATOR_AGENT_ID,
    REDIS_URL: await redisUrl(),
    IC_REDIS_PREFIX: uniquePrefix(),
    IC_COOKIE_SECRET: 'two-processes-secret-0123456789abcdef0123',
  };
  demos.push(await startDemoProcess(env), await startDemoProcess(env));
});
after(async () => {
  for (const d of demos) d.process.kill('SIGKILL');
  await emu.close();
});

/** A browser that keeps its cookies and is told which process to talk to. */
class Browser {
  readonly jar = new Map<string, string>();
  async post(at: number, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${demos[at]!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}

const turn = (text: string) => ({ thread_id: 'chat_two', input: [{ role: 'user', content: text }], stream: true });

describe('two npm start processes sharing REDIS_URL', () => {
  it('sign in on one, and the other knows the user, continues the claimed thread, and refuses the old anonymous cookie', async () => {
    const b = new Browser();
    assert.equal((await b.post(0, '/api/support/session')).status, 200);
    await (await b.post(1, '/api/support/runs', turn('My invoice is wrong'))).text();
    const anonymous = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const login = await b.post(0, '/demo/login', { user_id: `dana_${Date.now()}`, display_name: 'Dana' });
    assert.equal(login.status, 200);
    assert.equal(((await login.json()) as { carried_over: boolean }).carried_over, true);
    const me = await fetch(`${demos[1]!.url}/demo/me`, { headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(((await me.json()) as { user: { display_name: string } | null }).user?.display_name, 'Dana', 'the other process sees the sign-in');
    const reply = parseSse(await (await b.post(1, '/api/support/runs', turn('And the refund?'))).text());
    assert.match(
      reply
        .filter((e) => e.event === 'message.delta')
        .map((e) => e.data['delta'])
        .join(''),
      /turn 2 in this thread/,
    );
    const replay = await fetch(`${demos[1]!.url}/api/support/runs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: anonymous
          .split('; ')
          .filter((c) => !c.startsWith('ic_demo_session'))
          .join('; '),
      },
      body: JSON.stringify(turn('what did I ask?')),
    });
    assert.equal(replay.status, 401, 'the retired anonymous cookie is refused on the other process');
  });

  it('the rate limit counts both processes together', async () => {
    const b = new Browser();
    const statuses = [];
    for (let i = 0; i < 34; i++) {
      const res = await b.post(i % 2, '/api/support/session');
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.equal(statuses.filter((s) => s === 200).length, 30, 'the default 30 a minute, across both');
  });

  it('Stop sent to the other process ends the reply', async () => {
    const b = new Browser();
    await (await b.post(0, '/api/support/session')).text();
    const res = await b.post(0, '/api/support/runs', turn('Tell me a long story about the sea and its lighthouses'));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('message.delta')) text += decoder.decode((await reader.read()).value, { stream: true });
    const runId = parseSse(text)[0]!.data['run_id'] as string;
    assert.equal((await b.post(1, `/api/support/runs/${runId}/cancel`)).status, 200);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    assert.equal(parseSse(text).find((e) => e.event === 'run.completed')?.data['stop_reason'], 'cancelled');
  });
});
