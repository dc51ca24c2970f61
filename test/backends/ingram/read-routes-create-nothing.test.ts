// GET /files/{id}, POST /runs/{id}/cancel and approval decisions only act on what a visitor already
// has: a cookie-less request there mints a visitor in the core, and that visitor must not get a
// smith upstream (only /session and /runs create one for a logged-out visitor; a signed-in user's
// is upserted). Real handler and emulator over HTTP.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createIngramBackend, type IngramBackend } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../../src/node/index.js';
import { Browser, recordingFetch, serveHandler, SECRET, writes } from './http-browser.js';
import { PNG_BYTES, PNG_DATA_URL, startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

let emu: EmulatorServer;
let backend: IngramBackend;
let app: ServeHandle;
const calls: string[] = [];

function newBackend(): IngramBackend {
  return createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, fetch: recordingFetch(calls) });
}

before(async () => {
  emu = await startEmulator();
  backend = newBackend();
  app = await serveHandler({ backend, onError: () => {} });
});
after(async () => {
  await app.close();
  await emu.close();
});
beforeEach(() => {
  calls.length = 0;
});

async function smithCount(): Promise<number> {
  let n = 0;
  for await (const _ of backend.listAnonymousSmiths()) n++;
  return n;
}

describe('routes that read do not create smiths', () => {
  it('20 cookie-less GET /files/{id} answer 404 and leave no smith upstream', async () => {
    const before = await smithCount();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${app.url}/api/support/files/file_nope`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'not_found');
    }
    assert.equal(await smithCount(), before);
    assert.deepEqual(writes(calls), [], 'no upstream write');
  });

  it('a cookie-less cancel or approval decision answers 404 and leaves no smith', async () => {
    const before = await smithCount();
    for (let i = 0; i < 5; i++) {
      const v = new Browser(app.url);
      const cancel = await v.json('/runs/run_nope/cancel', {});
      assert.equal(cancel.status, 404);
      assert.equal((cancel.body['error'] as { code: string }).code, 'not_found');
      const decision = await new Browser(app.url).json('/runs/run_nope/approvals/apr_nope', { decision: 'approve', stream: true });
      assert.equal(decision.status, 404);
      // The cookie minted by that request does not get a smith on its next read either.
      assert.equal((await v.request('/files/file_nope', { method: 'GET' })).status, 404);
    }
    assert.equal(await smithCount(), before);
    assert.deepEqual(writes(calls), []);
  });

  it('a visitor with a smith still reads its file and stops its run after a restart (lookup, no upsert)', async () => {
    const a = new Browser(app.url);
    const events = await a.run('chat_files', [
      { type: 'text', text: 'see attached' },
      { type: 'image', image: PNG_DATA_URL },
    ]);
    const fileId = (events[0]!.data['files'] as { file_id: string }[])[0]!.file_id;
    const ticket = await a.run('chat_ticket', 'please open a ticket');
    const runId = String(ticket[0]!.data['run_id']);
    const approvalId = String(ticket.find((e) => e.event === 'approval.requested')!.data['approval_id']);
    const smiths = await smithCount();

    // A second process: empty caches, same emulator, same cookie secret.
    const restarted = await serveHandler({ backend: newBackend(), onError: () => {} });
    try {
      const b = new Browser(restarted.url);
      b.cookie = a.cookie;
      calls.length = 0;
      const file = await b.request(`/files/${fileId}`, { method: 'GET' });
      assert.equal(file.status, 200);
      assert.deepEqual(new Uint8Array(await file.arrayBuffer()), PNG_BYTES);
      const decision = await b.request(`/runs/${runId}/approvals/${approvalId}`, { body: { decision: 'deny', stream: false } });
      assert.equal(decision.status, 200, await decision.clone().text());
      assert.equal(((await decision.json()) as { status: string }).status, 'completed');
      assert.equal((await b.json(`/runs/${runId}/cancel`, {})).status, 200);
      assert.ok(!calls.includes('POST /v1/smiths'), `no upsert: ${calls.join(', ')}`);
      // Someone else, also fresh, gets nothing and creates nothing.
      const stranger = new Browser(restarted.url);
      assert.equal((await stranger.request(`/files/${fileId}`, { method: 'GET' })).status, 404);
      assert.equal((await stranger.json(`/runs/${runId}/cancel`, {})).status, 404);
      assert.equal(await smithCount(), smiths);
    } finally {
      await restarted.close();
    }
  });

  // A user is the host's account, not a drive-by: their smith is upserted as on /session (one
  // call), rather than looked up by a prefix listing that a short user id makes long.
  it('a signed-in user without a smith gets 404 on reads, after one upsert of their own smith', async () => {
    const u = new Browser(app.url);
    u.user = { id: 'user_reader' };
    assert.equal((await u.request('/files/file_nope', { method: 'GET' })).status, 404);
    assert.equal((await u.json('/runs/run_nope/cancel', {})).status, 404);
    assert.equal((await u.json('/runs/run_nope/approvals/apr_nope', { decision: 'deny', stream: false })).status, 404);
    assert.equal((await emu.client.listSmiths({ external_id_prefix: 'user_reader' })).data.length, 1);
    assert.deepEqual(
      writes(calls).filter((c) => c === 'POST /v1/smiths'),
      ['POST /v1/smiths'],
      calls.join(', '),
    );
    assert.ok(!calls.includes('GET /v1/smiths'), `no listing: ${calls.join(', ')}`);
  });
});
