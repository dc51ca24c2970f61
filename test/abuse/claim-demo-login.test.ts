// `/demo/login` with the Ingram backend (in-process emulator, as `IC_BASE_URL=emulator npm start`),
// over real HTTP: a bounded body (413), a retired anonymous cookie answered correctly (not 500),
// `carried_over` in the answer and a fresh anonymous cookie.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createBackendFromEnv, createDemoHandler, LOGIN_BODY_BYTES } from '../../demo/server.js';
import { serve, type ServeHandle } from '../../src/node/index.js';
import { parseSse } from '../backends/ingram/http-browser.js';

let app: ServeHandle;

before(async () => {
  const demo = await createBackendFromEnv({ IC_TOKEN: 'demo-token', IC_BASE_URL: 'emulator', IC_DEMO_DELAY_MS: '0', IC_COOKIE_SECRET: 'demo-login-test-secret-0123456789abcdef' });
  app = await serve(createDemoHandler(demo), { port: 0 });
});
after(async () => {
  await app.close();
});

/** A cookie jar per "browser". */
class Jar {
  cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/Max-Age=0/.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async post(path: string, body: unknown): Promise<Response> {
    const res = await fetch(app.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: this.header() }, body: JSON.stringify(body) });
    this.take(res);
    return res;
  }
  async chat(thread: string, text: string): Promise<string> {
    const res = await this.post('/api/support/runs', { thread_id: thread, input: [{ role: 'user', content: text }], stream: true });
    assert.equal(res.status, 200);
    return parseSse(await res.text())
      .filter((e) => e.event === 'message.delta')
      .map((e) => e.data['delta'])
      .join('');
  }
}

describe('/demo/login with the Ingram backend', () => {
  it('carries an anonymous conversation over, answers carried_over:true and rotates the anonymous cookie', async () => {
    const b = new Jar();
    await b.chat('chat_demo', 'where is my order?');
    const anonBefore = b.cookies.get('ic_visitor');
    const login = await b.post('/demo/login', { user_id: 'user_demo1', display_name: 'Demo' });
    assert.equal(login.status, 200);
    assert.deepEqual(await login.json(), { user: { user_id: 'user_demo1', display_name: 'Demo' }, carried_over: true });
    assert.ok(b.cookies.get('ic_visitor') && b.cookies.get('ic_visitor') !== anonBefore, 'a fresh anonymous cookie');
    assert.match(await b.chat('chat_demo', 'and now?'), /\(turn 2 in this thread\)/);
  });

  it('an account that already has a conversation: carried_over:false, its own conversation continues', async () => {
    const owner = new Jar();
    await owner.post('/demo/login', { user_id: 'user_demo2' });
    await owner.chat('chat_own', 'the account’s own question');
    const shared = new Jar();
    await shared.chat('chat_own', 'someone else’s question');
    const login = await shared.post('/demo/login', { user_id: 'user_demo2' });
    assert.equal(login.status, 200);
    assert.equal(((await login.json()) as { carried_over: boolean }).carried_over, false);
    const reply = await shared.chat('chat_own', 'what did I ask?');
    assert.match(reply, /the account’s own question/);
    assert.doesNotMatch(reply, /someone else/);
  });

  it('a retired anonymous cookie signs in normally (200, carried_over:false), not a 500', async () => {
    const b = new Jar();
    await b.chat('chat_ret', 'private question');
    const oldAnon = b.cookies.get('ic_visitor')!;
    assert.equal((await b.post('/demo/login', { user_id: 'user_demo3' })).status, 200);
    await b.post('/demo/logout', {});
    // A browser that kept the old (now retired) cookie signs in as someone else.
    const stale = new Jar();
    stale.cookies.set('ic_visitor', oldAnon);
    const login = await stale.post('/demo/login', { user_id: 'user_demo4' });
    const text = await login.text();
    assert.equal(login.status, 200, text);
    assert.equal((JSON.parse(text) as { carried_over: boolean }).carried_over, false);
    assert.doesNotMatch(await stale.chat('chat_ret', 'what did I ask?'), /private question/);
  });

  it('refuses a body over the cap with 413, without reading it all', async () => {
    const big = JSON.stringify({ user_id: 'user_big', display_name: 'x'.repeat(LOGIN_BODY_BYTES) });
    const res = await fetch(app.url + '/demo/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'payload_too_large');

    // Chunked, no Content-Length, far larger than the cap: refused once the cap is passed.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(app.url + '/demo/login');
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"user_id":"u","display_name":"');
      const chunk = 'y'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 64 && req.write(chunk)) sent++;
        if (sent < 64) req.once('drain', pump);
        else req.end('"}');
      };
      pump();
    }).catch((err: NodeJS.ErrnoException) => {
      // The server may answer 413 and close before the client has written everything.
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') return 413;
      throw err;
    });
    assert.equal(status, 413);
  });
});
