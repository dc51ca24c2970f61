// Identity minting on the Ingram backend: an anonymous visitor's smith is created on its first
// turn, never on POST /session, so page views, bots and cookie-less requests cost no upstream
// smith. Real handler and emulator over HTTP; the emulator's own smith list is the count.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createIngramBackend, listAllSmiths, type IngramBackend } from '../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../src/node/index.js';
import { Browser, recordingFetch, SECRET, serveHandler, writes } from '../backends/ingram/http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';

let emu: EmulatorServer;
let backend: IngramBackend;
let app: ServeHandle;
const calls: string[] = [];

before(async () => {
  emu = await startEmulator();
  backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, fetch: recordingFetch(calls) });
  app = await serveHandler({ backend, onError: () => {} });
});
after(async () => {
  await app.close();
  await emu.close();
});
beforeEach(() => {
  calls.length = 0;
});

/** Every smith the emulator holds (asked with the test's own client: not recorded). */
async function upstreamSmiths(): Promise<number> {
  let n = 0;
  for await (const _ of listAllSmiths(emu.client)) n++;
  return n;
}

describe('anonymous identities cost nothing upstream until they chat', () => {
  it('200 cookie-less POST /session make zero upstream smiths and zero upstream calls', async () => {
    const before = await upstreamSmiths();
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const res = await fetch(`${app.url}/api/support/session`, { method: 'POST' });
          assert.equal(res.status, 200);
          assert.ok(res.headers.get('set-cookie'), 'each still gets an identity (a cookie)');
          await res.body?.cancel();
        }),
      );
    }
    assert.equal(await upstreamSmiths(), before);
    assert.deepEqual(calls, [], 'not one upstream call');
  });

  it('the first turn creates the smith (one), later turns and sessions reuse it', async () => {
    const before = await upstreamSmiths();
    const v = new Browser(app.url);
    await v.json('/session');
    await v.json('/session');
    assert.equal(await upstreamSmiths(), before);
    await v.run('chat_first', 'hello');
    assert.equal(await upstreamSmiths(), before + 1);
    await v.json('/session');
    await v.run('chat_first', 'again');
    assert.equal(await upstreamSmiths(), before + 1);
    assert.equal(writes(calls).filter((c) => c === 'POST /v1/smiths').length, 1, 'one upsert, then the cached id');
  });

  it('a retired identity on /session still gets a fresh cookie, without an upstream smith', async () => {
    const v = new Browser(app.url);
    await v.run('chat_r', 'hello');
    const result = await backend.claim(new Request(`${app.url}/login`, { headers: { cookie: v.cookie! } }), { user_id: 'user_min' });
    assert.equal(result.outcome, 'carried_over');
    const count = await upstreamSmiths();
    const old = v.cookie;
    const session = await v.json('/session');
    assert.equal(session.status, 200);
    assert.notEqual(v.cookie, old);
    assert.equal(await upstreamSmiths(), count);
  });
});
