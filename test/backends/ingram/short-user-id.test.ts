// A signed-in user with a short id ("1", "a") and a cold cache: files, cancel and approval decisions
// must not page through every smith whose external_id starts with that id ("a" starts every
// anon: smith). The user's smith is upserted once, as on /session. Real handler and emulator over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIngramBackend, type IngramBackend } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../../src/node/index.js';
import { Browser, recordingFetch, SECRET, serveHandler } from './http-browser.js';
import { PNG_BYTES, PNG_DATA_URL, startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

/** More than four pages of the emulator's 100 for each prefix. */
const CROWD = 450;

let emu: EmulatorServer;
const calls: string[] = [];

function newBackend(): IngramBackend {
  return createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, fetch: recordingFetch(calls) });
}

/** A fresh process: empty caches, same emulator and cookie secret. */
async function freshApp(): Promise<ServeHandle> {
  return serveHandler({ backend: newBackend(), onError: () => {} });
}

/** Recorded as `METHOD /path`, without the query: a listing is `GET /v1/smiths`. */
const listings = () => calls.filter((c) => c === 'GET /v1/smiths');
const smithLookups = () => calls.filter((c) => c === 'GET /v1/smiths' || c.startsWith('GET /v1/smiths/') || c === 'POST /v1/smiths');

before(async () => {
  emu = await startEmulator();
  // Others whose external_id starts with "1" or "a", all created before the users below.
  for (let i = 0; i < CROWD; i++) {
    await emu.client.upsertSmith({ external_id: `1${i}`, agent_id: EMULATOR_AGENT_ID });
    await emu.client.upsertSmith({ external_id: `anon:crowd${i}`, agent_id: EMULATOR_AGENT_ID });
  }
});
after(() => emu.close());

describe('a signed-in user with a short id, cold cache', () => {
  for (const id of ['1', 'a']) {
    it(`user "${id}" without a smith: cancel, decision and file answer 404 after one upsert, no listing`, async () => {
      const app = await freshApp();
      try {
        const u = new Browser(app.url);
        u.user = { id };
        calls.length = 0;
        assert.equal((await u.json('/runs/run_nope/cancel', {})).status, 404);
        assert.equal((await u.json('/runs/run_nope/approvals/apr_nope', { decision: 'deny', stream: false })).status, 404);
        assert.equal((await u.request('/files/file_nope', { method: 'GET' })).status, 404);
        assert.deepEqual(smithLookups(), ['POST /v1/smiths'], calls.join(', '));
        assert.ok(calls.length <= 4, `a bounded number of upstream calls: ${calls.join(', ')}`);
      } finally {
        await app.close();
      }
    });
  }

  it('user "1" with a smith created after the crowd still reaches its run and file, with one upsert', async () => {
    const first = await freshApp();
    let runId: string;
    let approvalId: string;
    let fileId: string;
    try {
      const u = new Browser(first.url);
      u.user = { id: '1' };
      const withFile = await u.run('chat_files', [
        { type: 'text', text: 'see attached' },
        { type: 'image', image: PNG_DATA_URL },
      ]);
      fileId = (withFile[0]!.data['files'] as { file_id: string }[])[0]!.file_id;
      const ticket = await u.run('chat_ticket', 'please open a ticket');
      runId = String(ticket[0]!.data['run_id']);
      approvalId = String(ticket.find((e) => e.event === 'approval.requested')!.data['approval_id']);
    } finally {
      await first.close();
    }

    const restarted = await freshApp();
    try {
      const u = new Browser(restarted.url);
      u.user = { id: '1' };
      calls.length = 0;
      // The decision first: a file read would warm the cache through its owner check.
      const decision = await u.json(`/runs/${runId}/approvals/${approvalId}`, { decision: 'deny', stream: false });
      assert.equal(decision.status, 200, JSON.stringify(decision.body));
      assert.equal((await u.json(`/runs/${runId}/cancel`, {})).status, 200);
      const file = await u.request(`/files/${fileId}`, { method: 'GET' });
      assert.equal(file.status, 200);
      assert.deepEqual(new Uint8Array(await file.arrayBuffer()), PNG_BYTES);
      assert.deepEqual(listings(), [], `no listing: ${calls.join(', ')}`);
      assert.deepEqual(smithLookups(), ['POST /v1/smiths'], `one upsert, then the cache: ${calls.join(', ')}`);
      assert.ok(calls.length <= 7, `a bounded number of upstream calls: ${calls.join(', ')}`);
    } finally {
      await restarted.close();
    }
  });
});
