// How the API's errors reach the visitor through the Ingram backend: the real handler and the
// emulator over HTTP, the emulator made to fail with its `fault` option and `fail` reply step.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createIngramBackend, DEFAULT_RETRY_AFTER_SECONDS, IngramApiError } from '../../../src/backends/ingram/index.js';
import { defaultReply, EMULATOR_AGENT_ID, words, type EmulatorFault } from '../../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../../src/node/index.js';
import { Browser, SECRET, serveHandler } from './http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

/** What the next POST …/runs answers instead of running (undefined: run normally). */
let runFault: EmulatorFault | undefined;
const LEAKY = `internal trace: key=${TOKEN} at /srv/model.py:42`;

let emu: EmulatorServer;
let app: ServeHandle;
/** Everything the handler's and the backend's onError saw. */
const logged: unknown[] = [];
const browsers: Browser[] = [];

function browser(): Browser {
  const b = new Browser(app.url);
  browsers.push(b);
  return b;
}

before(async () => {
  emu = await startEmulator({
    fault: ({ method, path }) => (method === 'POST' && /^\/v1\/smiths\/[^/]+\/runs$/.test(path) ? runFault : undefined),
    reply: (turn) => {
      if (/\bfail-known\b/.test(turn.text)) return [...words('Let me check. '), { type: 'fail', code: 'invalid_request', message: LEAKY }];
      if (/\bfail-odd\b/.test(turn.text)) return [...words('Let me check. '), { type: 'fail', code: 'model_exploded', message: LEAKY }];
      return defaultReply(turn);
    },
  });
  const onError = (err: unknown) => logged.push(err);
  const backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, onError });
  app = await serveHandler({ backend, onError });
});
after(async () => {
  await app.close();
  await emu.close();
  // Nothing the browsers received carries the token.
  for (const b of browsers) for (const chunk of b.received) assert.ok(!chunk.includes(TOKEN), `token leaked: ${chunk.slice(0, 200)}`);
});
beforeEach(() => {
  runFault = undefined;
  logged.length = 0;
});

const run = (text: string, stream = false) => ({ thread_id: 'chat_err', input: [{ role: 'user', content: text }], stream });
const errorOf = (body: Record<string, unknown>) => body['error'] as { code: string; message: string };

describe('an approval decided twice', () => {
  it('another decision answers 409 conflict (streamed and not), the same one its continuation again; neither is logged as a server error', async () => {
    const v = browser();
    const ticket = await v.run('chat_twice', 'please open a ticket');
    const req = ticket.find((e) => e.event === 'approval.requested')!;
    const path = `/runs/${req.data['run_id']}/approvals/${req.data['approval_id']}`;
    const decided = await v.json(path, { decision: 'approve', stream: false });
    assert.equal(decided.status, 200);
    for (const stream of [false, true]) {
      const again = await v.json(path, { decision: 'deny', stream });
      assert.equal(again.status, 409, JSON.stringify(again.body));
      assert.equal(errorOf(again.body).code, 'conflict');
    }
    // Its reply lost, the browser sends the same decision again: the same continuation, not "already decided".
    const repeated = await v.json(path, { decision: 'approve', stream: false });
    assert.equal(repeated.status, 200, JSON.stringify(repeated.body));
    assert.deepEqual(repeated.body, decided.body);
    assert.deepEqual(logged, []);
  });
});

describe('Retry-After from upstream', () => {
  it('a 429 without Retry-After still answers 429 with a Retry-After (the documented default)', async () => {
    runFault = { status: 429, code: 'rate_limited', message: 'slow down' };
    const res = await browser().json('/runs', run('hello'));
    assert.equal(res.status, 429);
    assert.equal(errorOf(res.body).code, 'rate_limited');
    assert.equal(res.headers.get('retry-after'), String(DEFAULT_RETRY_AFTER_SECONDS));
  });

  it('a 429 with Retry-After passes its value on (delta-seconds or HTTP-date)', async () => {
    runFault = { status: 429, code: 'rate_limited', message: 'slow down', headers: { 'Retry-After': '7' } };
    assert.equal((await browser().json('/runs', run('hello'))).headers.get('retry-after'), '7');
    runFault = { status: 429, code: 'rate_limited', message: 'slow down', headers: { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() } };
    const seconds = Number((await browser().json('/runs', run('hello'))).headers.get('retry-after'));
    assert.ok(seconds >= 28 && seconds <= 31, String(seconds));
  });

  it('a 503 answers 503 unavailable with its Retry-After, and without one when it has none', async () => {
    runFault = { status: 503, code: 'maintenance', message: 'down', headers: { 'Retry-After': '120' } };
    const res = await browser().json('/runs', run('hello', true));
    assert.equal(res.status, 503);
    assert.equal(errorOf(res.body).code, 'unavailable');
    assert.equal(res.headers.get('retry-after'), '120');
    runFault = { status: 503, code: 'maintenance', message: 'down' };
    const bare = await browser().json('/runs', run('hello'));
    assert.equal(bare.status, 503);
    assert.equal(bare.headers.get('retry-after'), null);
  });
});

describe('a run the API fails', () => {
  for (const stream of [true, false]) {
    it(`shows the visitor our own words, never the API's text (stream: ${stream}); the log keeps it, redacted`, async () => {
      for (const [word, code] of [
        ['fail-known', 'invalid_request'],
        ['fail-odd', 'upstream_error'],
      ] as const) {
        logged.length = 0;
        const v = browser();
        let error: { code: string; message: string };
        if (stream) {
          const events = await v.run(`chat_${word}`, `please ${word}`);
          const last = events.at(-1)!;
          assert.equal(last.event, 'run.failed');
          error = last.data['error'] as { code: string; message: string };
        } else {
          const res = await v.json('/runs', run(`please ${word}`));
          assert.equal(res.status, 200);
          assert.equal(res.body['status'], 'failed');
          error = res.body['error'] as { code: string; message: string };
        }
        assert.equal(error.code, code);
        assert.doesNotMatch(error.message, /trace|srv|model\.py|redacted/);
        assert.ok(!error.message.includes(TOKEN));
        // The server log has the API's text, with the token redacted.
        assert.equal(logged.length, 1, `logged once: ${logged.map(String).join(' | ')}`);
        const entry = logged[0];
        assert.ok(entry instanceof IngramApiError);
        assert.equal(entry.upstreamMessage, 'internal trace: key=[redacted] at /srv/model.py:42');
        assert.equal(entry.upstreamCode, word === 'fail-known' ? 'invalid_request' : 'model_exploded');
      }
    });
  }
});

describe('cancelling a run', () => {
  it('of another visitor answers 404 not_found; the owner’s own cancel answers 200', async () => {
    const owner = browser();
    const ticket = await owner.run('chat_cancel', 'please open a ticket');
    const runId = String(ticket[0]!.data['run_id']);
    const other = browser();
    await other.json('/session');
    const stolen = await other.json(`/runs/${runId}/cancel`, {});
    assert.equal(stolen.status, 404);
    assert.equal(errorOf(stolen.body).code, 'not_found');
    const own = await owner.json(`/runs/${runId}/cancel`, {});
    assert.equal(own.status, 200);
    assert.deepEqual(own.body, { v: 1, run_id: runId, cancelled: true });
    assert.equal((await owner.json(`/runs/run_unknown/cancel`, {})).status, 404);
    assert.deepEqual(logged, [], 'a 404 is not a server error');
  });
});
