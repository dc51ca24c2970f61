// The Ingram backend behind the real support handler, over real HTTP, against the emulator over
// real HTTP: the security properties of issue 5 (one smith per visitor, no cross-visitor reads,
// no client-chosen smith, no token in anything the browser receives, claim on login).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { createIngramBackend, type IngramBackend } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import { createNodeFetch, serve, type ServeHandle } from '../../../src/node/index.js';
import { PNG_BYTES, PNG_DATA_URL, startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';
import { BASE, Browser, parseSse, replyText, SECRET } from './http-browser.js';

// IC_TEST_UPSTREAM_FETCH=node runs this suite with createNodeFetch as the upstream transport
// (ingram-backend-node-fetch.test.ts); otherwise the built-in fetch.
const nodeFetch = process.env['IC_TEST_UPSTREAM_FETCH'] === 'node' ? createNodeFetch() : undefined;
const upstream = nodeFetch ? { fetch: nodeFetch } : {};

/** Everything the "browser" received, scanned for the token at the end. */
const received: string[] = [];

let emu: EmulatorServer;
let backend: IngramBackend;
let app: ServeHandle;

before(async () => {
  emu = await startEmulator();
  backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, ...upstream });
  const handler = createSupportHandler({
    backend,
    basePath: BASE,
    cookie: { secret: SECRET },
    rateLimit: false,
    onError: () => {},
    identify: (request) => {
      const raw = request.headers.get('x-test-user');
      if (!raw) return null;
      const u = JSON.parse(raw) as { id: string; name?: string };
      return { user_id: u.id, ...(u.name ? { display_name: u.name } : {}) };
    },
  });
  app = await serve(handler, { port: 0 });
});

after(async () => {
  await app.close();
  await emu.close();
  nodeFetch?.close();
  // Whatever happened above, the token never reached the browser.
  assert.ok(received.length > 50, 'the scan saw the traffic');
  for (const chunk of received) assert.ok(!chunk.includes(TOKEN), `token leaked in: ${chunk.slice(0, 200)}`);
});

async function anonSmiths(): Promise<string[]> {
  const ids: string[] = [];
  for await (const s of backend.listAnonymousSmiths()) ids.push(s.id);
  return ids;
}

describe('Ingram backend: one smith per visitor', () => {
  it('two anonymous visitors get two smiths on their first turn, with auto_memory off', async () => {
    const before = new Set(await anonSmiths());
    const a = new Browser(app.url, received);
    const b = new Browser(app.url, received);
    assert.equal((await a.json('/session')).status, 200);
    assert.equal((await b.json('/session')).status, 200);
    assert.ok(a.cookie && b.cookie && a.cookie !== b.cookie);
    assert.equal((await anonSmiths()).length, before.size, '/session creates no smith');
    await a.run('chat_first', 'hello');
    await b.run('chat_first', 'hello');
    const created = [];
    for await (const s of backend.listAnonymousSmiths()) if (!before.has(s.id)) created.push(s);
    assert.equal(created.length, 2);
    assert.ok(created.every((s) => s.auto_memory === false && s.agent_id === EMULATOR_AGENT_ID && s.external_id.startsWith('anon:')));
    // A returning visitor (same cookie) lands on the same smith.
    await a.json('/session');
    await a.run('chat_first', 'again');
    assert.equal((await anonSmiths()).length, before.size + 2);
  });

  it('streams a run through: run.started, deltas, run.completed, no smith id shown', async () => {
    const a = new Browser(app.url, received);
    const events = await a.run('chat_stream', 'How do I reset my password?');
    assert.deepEqual([events[0]!.event, events.at(-1)!.event], ['run.started', 'run.completed']);
    assert.ok(events.filter((e) => e.event === 'message.delta').length > 3);
    assert.match(replyText(events), /\(turn 1 in this thread\)/);
    assert.ok(!JSON.stringify(events).includes('smt_'), 'the browser never sees a smith id');
  });

  it('answers stream:false as one JSON reply', async () => {
    const a = new Browser(app.url, received);
    const { status, body } = await a.json('/runs', { thread_id: 'chat_json', input: [{ role: 'user', content: 'hello there' }], stream: false });
    assert.equal(status, 200);
    assert.equal(body['status'], 'completed');
    assert.match(JSON.stringify(body['output']), /You said: “hello there”/);
  });

  it('two visitors can never read each other’s threads, files, approvals or runs', async () => {
    const a = new Browser(app.url, received);
    const b = new Browser(app.url, received);
    const aEvents = await a.run('chat_shared_id', [
      { type: 'text', text: 'my secret question' },
      { type: 'image', image: PNG_DATA_URL },
    ]);
    const fileId = (aEvents[0]!.data['files'] as { file_id: string }[])[0]!.file_id;
    // A can read its own file.
    const own = await a.request(`/files/${fileId}`, { method: 'GET' });
    assert.equal(own.status, 200);
    assert.deepEqual(new Uint8Array(await own.arrayBuffer()), PNG_BYTES);
    // B cannot, nor can a visitor without a cookie.
    const theirs = await b.request(`/files/${fileId}`, { method: 'GET' });
    received.push(await theirs.text());
    assert.equal(theirs.status, 404);
    const nobody = await new Browser(app.url, received).request(`/files/${fileId}`, { method: 'GET' });
    received.push(await nobody.text());
    assert.equal(nobody.status, 404);
    // The same thread_id from B is B's own, empty conversation.
    const bEvents = await b.run('chat_shared_id', 'what did I ask before?');
    assert.match(replyText(bEvents), /\(turn 1 in this thread\)/);
    assert.doesNotMatch(replyText(bEvents), /secret question/);
    // A's pending approval cannot be decided by B.
    const ticket = await a.run('chat_ticket', 'please open a ticket');
    const req = ticket.find((e) => e.event === 'approval.requested')!;
    const runId = String(req.data['run_id']);
    const stolen = await b.json(`/runs/${runId}/approvals/${req.data['approval_id']}`, { decision: 'approve', stream: true });
    assert.equal(stolen.status, 404);
    // …and B's cancel does not touch A's run: A can still approve it.
    await b.json(`/runs/${runId}/cancel`, {});
    const res = await a.request(`/runs/${runId}/approvals/${req.data['approval_id']}`, { body: { decision: 'approve', stream: true } });
    const cont = parseSse(await res.text());
    assert.match(replyText(cont), /opened ticket T-\d+/);
  });

  it('a forged, missing or malformed cookie gets a fresh identity, never someone else’s', async () => {
    const a = new Browser(app.url, received);
    await a.run('chat_forge', 'private words');
    const [name, value] = a.cookie!.split('=') as [string, string];
    const [token] = value.split('.');
    const forgeries = [
      `${name}=${token}.${'A'.repeat(43)}`, // right token, forged signature
      `${name}=${token}`, // no signature
      `${name}=not-a-token`,
      `${name}=`,
      null,
    ];
    for (const cookie of forgeries) {
      const m = new Browser(app.url, received);
      m.cookie = cookie;
      const events = await m.run('chat_forge', 'what did I say?');
      assert.ok(m.cookie && m.cookie !== cookie && !m.cookie.includes(token!), `fresh cookie for ${cookie}`);
      assert.match(replyText(events), /\(turn 1 in this thread\)/);
      assert.doesNotMatch(replyText(events), /private words/);
    }
  });

  it('a smith_id or external_id supplied in the body is ignored (or refused), never used', async () => {
    const victim = new Browser(app.url, received);
    await victim.run('chat_victim', 'victim question');
    const victimSmith = (await anonSmithsWithRuns()).find((r) => r.thread_id === 'chat_victim')!.smith_id;
    const externalId = (await emu.client.getSmith(victimSmith)).external_id;
    const attacker = new Browser(app.url, received);
    const res = await attacker.request('/runs', {
      body: {
        thread_id: 'chat_victim',
        smith_id: victimSmith,
        external_id: externalId,
        input: [{ role: 'user', content: 'hijack', smith_id: victimSmith, external_id: externalId }],
        stream: true,
      },
    });
    const text = await res.text();
    received.push(text);
    if (res.status === 200) {
      assert.match(replyText(parseSse(text)), /\(turn 1 in this thread\)/);
      assert.doesNotMatch(text, /victim question/);
    } else {
      assert.equal(res.status, 400);
    }
    const victimRuns = (await anonSmithsWithRuns()).filter((r) => r.smith_id === victimSmith);
    assert.equal(victimRuns.length, 1, 'nothing ran on the victim’s smith');
    await attacker.json('/session', { smith_id: victimSmith, external_id: externalId });
    const attackerSmith = await backend.smithIdFor({ kind: 'anonymous', id: attacker.cookie!.split('=')[1]!.split('.')[0]! });
    assert.notEqual(attackerSmith, victimSmith);
  });
});

async function anonSmithsWithRuns() {
  const runs = [];
  for await (const r of backend.listAnonymousRuns()) runs.push(r);
  return runs;
}

describe('Ingram backend: signed-in visitors and claim', () => {
  it('keys a signed-in visitor’s smith to their user id', async () => {
    const u = new Browser(app.url, received);
    u.user = { id: 'user_42', name: 'Grace Hopper' };
    const { body } = await u.json('/session');
    assert.deepEqual(body['visitor'], { kind: 'user', display_name: 'Grace Hopper' });
    const smiths = (await emu.client.listSmiths({ external_id_prefix: 'user_42' })).data.filter((s) => s.external_id === 'user_42');
    assert.equal(smiths.length, 1);
    assert.equal(smiths[0]!.display_name, 'Grace Hopper');
    const events = await u.run('chat_u', 'hello');
    assert.match(replyText(events), /Hi Grace Hopper\./);
  });

  it('after claim, the same thread continues on the same smith, and the next login resolves it', async () => {
    const v = new Browser(app.url, received);
    await v.run('chat_claim', 'Where is my order #123?');
    const anonCookie = v.cookie!;
    const anonToken = anonCookie.split('=')[1]!.split('.')[0]!;
    const anonSmith = await backend.smithIdFor({ kind: 'anonymous', id: anonToken });
    // The host app's login route calls claim with the visitor's request (its anon cookie).
    const loginRequest = new Request(app.url + '/demo/login', { method: 'POST', headers: { Cookie: anonCookie } });
    const claim = await backend.claim(loginRequest, { user_id: 'user_ada', display_name: 'Ada Lovelace', customer_id: 'cus_1' });
    assert.equal(claim.outcome, 'carried_over');
    assert.equal(claim.smithId, anonSmith);
    const smith = await emu.client.getSmith(anonSmith);
    assert.deepEqual([smith.display_name, smith.customer_id, smith.auto_memory, smith.external_id], ['Ada Lovelace', 'cus_1', true, `anon:${anonToken}`]);
    assert.equal(await backend.directory.get('user:user_ada'), anonSmith);

    v.user = { id: 'user_ada', name: 'Ada Lovelace' };
    const events = await v.run('chat_claim', 'Any news?');
    const reply = replyText(events);
    assert.match(reply, /\(turn 2 in this thread\)/);
    assert.match(reply, /Where is my order #123\?/);
    assert.match(reply, /Hi Ada Lovelace/);
    // No smith was keyed to the user id: the claimed one is theirs.
    assert.equal((await emu.client.listSmiths({ external_id_prefix: 'user_ada' })).data.length, 0);

    // Next login, from another device (no anon cookie at all): same smith, same thread.
    const other = new Browser(app.url, received);
    other.user = { id: 'user_ada' };
    const again = await other.run('chat_claim', 'Still there?');
    assert.match(replyText(again), /\(turn 3 in this thread\)/);

    // Logged out on the shared computer, the old anonymous cookie no longer opens that smith.
    v.user = null;
    const res = await v.request('/runs', { body: { thread_id: 'chat_claim', input: [{ role: 'user', content: 'peek' }], stream: true } });
    const text = await res.text();
    received.push(text);
    assert.equal(res.status, 401);
    assert.doesNotMatch(text, /order #123/);
  });

  it('claim refuses user ids in the anonymous namespace', async () => {
    await assert.rejects(backend.claim({ kind: 'anonymous', id: 'x'.repeat(43) }, { user_id: 'anon:evil' }), TypeError);
  });
});

describe('Ingram backend: lifecycle', () => {
  it('re-upserts once when the smith was archived behind its back', async () => {
    const a = new Browser(app.url, received);
    await a.run('chat_arch', 'first');
    const token = a.cookie!.split('=')[1]!.split('.')[0]!;
    const archived = await backend.archiveVisitor({ kind: 'anonymous', id: token });
    assert.equal(archived.length, 1);
    // The backend's cache is cleared by archiveVisitor; archive directly too, to hit the 404 path.
    const smithNow = await backend.smithIdFor({ kind: 'anonymous', id: token });
    await emu.client.archiveSmith(smithNow);
    const events = await a.run('chat_arch', 'second');
    assert.equal(events.at(-1)!.event, 'run.completed');
    assert.match(replyText(events), /\(turn 1 in this thread\)/, 'a new smith starts afresh');
    assert.notEqual(await backend.smithIdFor({ kind: 'anonymous', id: token }), smithNow);
  });

  it('the browser closing the stream leaves the upstream run going to its end (only Stop cancels it)', async () => {
    const slowEmu = await startEmulator({ deltaDelayMs: 40 });
    const slowBackend = createIngramBackend({ token: TOKEN, baseUrl: slowEmu.url, agentId: EMULATOR_AGENT_ID, ...upstream });
    const slowApp = await serve(createSupportHandler({ backend: slowBackend, basePath: BASE, cookie: { secret: SECRET }, onError: () => {} }), { port: 0 });
    try {
      const v = new Browser(slowApp.url);
      const abort = new AbortController();
      const res = await v.request('/runs', { body: { thread_id: 'chat_abort', input: [{ role: 'user', content: 'a long answer please' }], stream: true }, signal: abort.signal });
      const reader = res.body!.getReader();
      await reader.read();
      abort.abort();
      let status = '';
      for (let i = 0; i < 200 && status !== 'completed' && status !== 'cancelled'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const runs = await slowEmu.client.listRuns({ external_id_prefix: 'anon:' });
        status = runs.data[0]?.status ?? '';
      }
      assert.equal(status, 'completed');
    } finally {
      await slowApp.close();
      await slowEmu.close();
    }
  });

  it('Stop: POST /runs/{id}/cancel cancels the visitor’s own run upstream', async () => {
    const slowEmu = await startEmulator({ deltaDelayMs: 40 });
    const slowBackend = createIngramBackend({ token: TOKEN, baseUrl: slowEmu.url, agentId: EMULATOR_AGENT_ID, ...upstream });
    const slowApp = await serve(createSupportHandler({ backend: slowBackend, basePath: BASE, cookie: { secret: SECRET }, onError: () => {} }), { port: 0 });
    try {
      const v = new Browser(slowApp.url);
      await v.json('/session');
      const res = await v.request('/runs', { body: { thread_id: 'chat_stop', input: [{ role: 'user', content: 'a long answer please' }], stream: true } });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      const runId = String(parseSse(first)[0]!.data['run_id']);
      const cancel = await v.json(`/runs/${runId}/cancel`, {});
      assert.equal(cancel.status, 200);
      let rest = first;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        rest += new TextDecoder().decode(value);
      }
      received.push(rest);
      assert.equal(parseSse(rest).at(-1)!.data['stop_reason'], 'cancelled');
    } finally {
      await slowApp.close();
      await slowEmu.close();
    }
  });

  it('a wrong server token reaches the browser as upstream_error without the token', async () => {
    const badBackend = createIngramBackend({ token: `${TOKEN}-wrong`, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, ...upstream });
    const badApp = await serve(createSupportHandler({ backend: badBackend, basePath: BASE, cookie: { secret: SECRET }, onError: () => {} }), { port: 0 });
    try {
      const v = new Browser(badApp.url);
      // A turn: an anonymous visitor's /session makes no upstream call at all.
      const { status, body } = await v.json('/runs', { thread_id: 'chat_bad', input: [{ role: 'user', content: 'hi' }], stream: false });
      assert.equal(status, 502);
      assert.equal((body['error'] as { code: string }).code, 'upstream_error');
    } finally {
      await badApp.close();
    }
  });
});
