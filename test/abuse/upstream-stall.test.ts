// A stalled upstream, through the real handler, the Ingram backend and the emulator over HTTP: the
// stream ends in run.failed (upstream_timeout) and the upstream request is closed; the proxy's
// keep-alive pings stop while the upstream is silent (so the widget's idle timer is not fooled),
// and go on while the upstream sends its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIngramBackend } from '../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID, type EmulatorFaultRule } from '../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../src/node/index.js';
import { BASE, Browser, parseSse, SECRET, serveHandler } from '../backends/ingram/http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';

const IDLE_MS = 600;
const PING_MS = 100;
const faults: EmulatorFaultRule[] = [];
let emu: EmulatorServer;
let app: ServeHandle;
const logged: unknown[] = [];

before(async () => {
  emu = await startEmulator({ faults });
  const onError = (err: unknown) => logged.push(err);
  const backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, streamIdleTimeoutMs: IDLE_MS, onError });
  app = await serveHandler({ backend, onError, pingIntervalMs: PING_MS });
});
after(async () => {
  await app.close();
  await emu.close();
});

/** POSTs a streamed turn and reads the raw body for at most `ms` (then gives up reading). */
async function rawTurn(browser: Browser, ms: number): Promise<{ status: number; text: string; ended: boolean }> {
  await browser.json('/session', {});
  const controller = new AbortController();
  const res = await fetch(app.url + BASE + '/runs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: browser.cookie ?? '' },
    body: JSON.stringify({ thread_id: 'chat_stall', input: [{ role: 'user', content: 'hello there' }], stream: true }),
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => controller.abort(), ms);
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // Gave up reading: the stream did not end by itself.
  } finally {
    clearTimeout(timer);
  }
  return { status: res.status, text, ended };
}

describe('a stalled upstream stream', () => {
  it('ends in run.failed upstream_timeout within the idle timeout, and the upstream request is closed', async () => {
    faults.length = 0;
    const rule: EmulatorFaultRule = { kind: 'stall', afterEvents: 2, method: 'POST', path: /\/runs$/ };
    faults.push(rule);
    logged.length = 0;
    const started = Date.now();
    const { status, text, ended } = await rawTurn(new Browser(app.url), 8_000);
    assert.equal(status, 200);
    assert.ok(ended, `the stream did not end: ${text}`);
    const events = parseSse(text);
    assert.deepEqual(
      events.map((e) => e.event),
      ['run.started', 'message.delta', 'run.failed'],
    );
    assert.equal((events[2]!.data['error'] as { code: string }).code, 'upstream_timeout');
    assert.ok(Date.now() - started < 6_000);
    assert.equal(rule.hits, 1);
    // The emulator saw its caller go: the run is cancelled, not left running.
    // The close reaches the emulator's server a moment later: wait for it (bounded).
    let status_ = '';
    for (let i = 0; i < 40 && status_ !== 'cancelled'; i++) {
      status_ = (await emu.client.listRuns()).data.find((r) => r.id === events[0]!.data['run_id'])?.status ?? '';
      if (status_ !== 'cancelled') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(status_, 'cancelled');
    assert.ok(
      logged.some((e) => (e as { code?: string }).code === 'upstream_timeout'),
      'the server log has it',
    );
  });

  it('sends the browser no keep-alive ping while the upstream is silent', async () => {
    faults.length = 0;
    faults.push({ kind: 'stall', afterEvents: 2, method: 'POST', path: /\/runs$/ });
    const { text } = await rawTurn(new Browser(app.url), 8_000);
    // IDLE_MS / PING_MS = 6 pings' worth of silence: before, each was filled with `: ping`.
    assert.ok(!text.includes(': ping'), `pinged during an upstream stall: ${JSON.stringify(text)}`);
  });

  it('keeps pinging the browser (and does not time out) while the upstream sends its own keep-alives', async () => {
    faults.length = 0;
    faults.push({ kind: 'stall', afterEvents: 2, pingEveryMs: 50, method: 'POST', path: /\/runs$/ });
    const { text, ended } = await rawTurn(new Browser(app.url), IDLE_MS * 3);
    assert.equal(ended, false, `the stream ended: ${text}`);
    assert.ok(text.includes(': ping'), 'the proxy pinged while the upstream was alive');
    assert.ok(!text.includes('run.failed'), text);
  });
});
