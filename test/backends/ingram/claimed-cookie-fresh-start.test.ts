// After claim() and a logout, the browser still holds the old anonymous cookie (HttpOnly: the page
// cannot clear it). On the next POST /session it gets a fresh anonymous identity — new cookie, new
// smith, empty conversation — instead of a 401 on every page load; the claimed smith stays closed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIngramBackend, type IngramBackend } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../../src/node/index.js';
import { Browser, replyText, SECRET, serveHandler } from './http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

let emu: EmulatorServer;
let backend: IngramBackend;
let app: ServeHandle;

before(async () => {
  emu = await startEmulator();
  backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET } });
  app = await serveHandler({ backend, onError: () => {} });
});
after(async () => {
  await app.close();
  await emu.close();
});

describe('a claimed anonymous cookie after logout', () => {
  it('gets a fresh anonymous identity on /session, and never the account’s conversation', async () => {
    const v = new Browser(app.url);
    assert.equal((await v.json('/session')).status, 200);
    await v.run('chat_claim', 'first question about billing');
    const oldCookie = v.cookie!;
    const oldToken = v.token;
    const claimedSmith = (await backend.claim(new Request(`${app.url}/login`, { headers: { cookie: oldCookie } }), { user_id: 'user_123', display_name: 'Ada' })).smithId;

    // Signed in: the account's conversation continues.
    v.user = { id: 'user_123', name: 'Ada' };
    assert.equal((await v.json('/session')).status, 200);
    assert.match(replyText(await v.run('chat_claim', 'second')), /\(turn 2 in this thread\)/);
    assert.equal(v.cookie, oldCookie, 'nothing rotated the cookie (the host forgot to)');

    // Logged out, page reloaded: /session with the old cookie.
    v.user = null;
    const session = await v.json('/session');
    assert.equal(session.status, 200, JSON.stringify(session.body));
    assert.deepEqual(session.body['visitor'], { kind: 'anonymous' });
    assert.notEqual(v.cookie, oldCookie, 'a new cookie was set');
    assert.notEqual(v.token, oldToken);

    // The new identity gets its own smith on its first turn, and an empty conversation, even on the same thread id.
    assert.equal(await backend.findSmithId({ kind: 'anonymous', id: v.token }), null, 'no smith before the first turn');
    const fresh = replyText(await v.run('chat_claim', 'what did I ask?'));
    assert.match(fresh, /\(turn 1 in this thread\)/);
    assert.doesNotMatch(fresh, /billing/);
    const newSmith = await backend.findSmithId({ kind: 'anonymous', id: v.token });
    assert.ok(newSmith && newSmith !== claimedSmith);
    assert.equal((await emu.client.getSmith(newSmith)).external_id, `anon:${v.token}`);

    // The old cookie still opens nothing: 401 on a run, the account's smith untouched.
    const stale = new Browser(app.url);
    stale.cookie = oldCookie;
    const res = await stale.request('/runs', { body: { thread_id: 'chat_claim', input: [{ role: 'user', content: 'peek' }], stream: false } });
    assert.equal(res.status, 401);
    assert.doesNotMatch(await res.text(), /billing/);
    const account = await emu.client.listRuns({ external_id_prefix: `anon:${oldToken}` });
    assert.equal(account.data.length, 2, 'only the two runs before and after login');
  });
});
