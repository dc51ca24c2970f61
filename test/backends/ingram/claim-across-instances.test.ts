// Two server processes sharing one SmithDirectory: a claim on one retires the anonymous cookie on
// the other at once, even where that identity's smith id is still in the per-process cache.
// Real handlers and the emulator over HTTP; the shared memory directory stands in for Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIngramBackend, InMemorySmithDirectory, type IngramBackend } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../../src/node/index.js';
import { Browser, replyText, SECRET, serveHandler } from './http-browser.js';
import { PNG_DATA_URL, startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

let emu: EmulatorServer;
const directory = new InMemorySmithDirectory();
let backendA: IngramBackend;
let backendB: IngramBackend;
let appA: ServeHandle;
let appB: ServeHandle;

before(async () => {
  emu = await startEmulator();
  const make = () => createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, directory });
  backendA = make();
  backendB = make();
  appA = await serveHandler({ backend: backendA, onError: () => {} });
  appB = await serveHandler({ backend: backendB, onError: () => {} });
});
after(async () => {
  await appA.close();
  await appB.close();
  await emu.close();
});

describe('claim with several servers sharing a directory', () => {
  it('the old cookie reaches nothing on the other server, whose cache still knew its smith', async () => {
    // The visitor chats on server B, which caches their smith id: a run, a file, a pending approval.
    const onB = new Browser(appB.url);
    assert.equal((await onB.json('/session')).status, 200);
    const withFile = await onB.run('chat_x', [
      { type: 'text', text: 'my invoice for order #42' },
      { type: 'image', image: PNG_DATA_URL },
    ]);
    const fileId = (withFile[0]!.data['files'] as { file_id: string }[])[0]!.file_id;
    const ticket = await onB.run('chat_ticket', 'please open a ticket');
    const runId = String(ticket[0]!.data['run_id']);
    const approvalId = String(ticket.find((e) => e.event === 'approval.requested')!.data['approval_id']);
    const oldCookie = onB.cookie!;
    const oldToken = onB.token;
    assert.equal((await onB.request(`/files/${fileId}`, { method: 'GET' })).status, 200, 'B serves it before the claim');

    // They sign in; the login request lands on server A, which claims the anonymous smith.
    const claim = await backendA.claim(new Request(`${appA.url}/login`, { headers: { cookie: oldCookie } }), { user_id: 'user_multi' });
    assert.equal(claim.outcome, 'carried_over');
    const claimed = claim.smithId;
    const runsBefore = (await emu.client.listRuns({ external_id_prefix: `anon:${oldToken}` })).data.length;

    // Logged out on a shared computer, the old cookie is sent to server B.
    const stale = new Browser(appB.url);
    stale.cookie = oldCookie;
    const run = await stale.request('/runs', { body: { thread_id: 'chat_x', input: [{ role: 'user', content: 'what did I send?' }], stream: false } });
    const runText = await run.text();
    assert.equal(run.status, 401, runText);
    assert.doesNotMatch(runText, /invoice/);
    assert.equal((await stale.request(`/files/${fileId}`, { method: 'GET' })).status, 404);
    assert.equal((await stale.json(`/runs/${runId}/approvals/${approvalId}`, { decision: 'approve', stream: false })).status, 404);
    assert.equal((await stale.json(`/runs/${runId}/cancel`, {})).status, 404);
    assert.equal(await backendB.findSmithId({ kind: 'anonymous', id: oldToken }), null);
    assert.equal((await emu.client.listRuns({ external_id_prefix: `anon:${oldToken}` })).data.length, runsBefore, 'no run on the account’s smith');

    // On /session B hands out a fresh identity instead.
    const session = await stale.json('/session');
    assert.equal(session.status, 200);
    assert.notEqual(stale.cookie, oldCookie);
    assert.match(replyText(await stale.run('chat_x', 'hello')), /\(turn 1 in this thread\)/);

    // The account itself, signed in on B, continues the conversation.
    const user = new Browser(appB.url);
    user.user = { id: 'user_multi' };
    assert.equal(await backendB.findSmithId({ kind: 'user', id: 'user_multi' }), claimed);
    assert.match(replyText(await user.run('chat_x', 'and now?')), /\(turn 2 in this thread\)/);
  });
});
