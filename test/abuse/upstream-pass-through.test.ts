// What the upstream hands over for the browser, through the real handler, the Ingram backend and
// the emulator over HTTP: tool and approval payloads arrive without the API token and size-bounded,
// and an upstream Retry-After of years reaches the browser clamped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorResponse, MAX_RETRY_AFTER_SECONDS, SupportError } from '../../src/backends/core/support-error.js';
import { createIngramBackend, MAX_PASS_THROUGH_FIELD_CHARS, TRUNCATED_MARKER } from '../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID, defaultReply, type EmulatorFaultRule } from '../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../src/node/index.js';
import { Browser, SECRET, serveHandler, type SseEvent } from '../backends/ingram/http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';

const HUGE = 'x'.repeat(200_000);
const faults: EmulatorFaultRule[] = [];
let emu: EmulatorServer;
let app: ServeHandle;
const browsers: Browser[] = [];

before(async () => {
  emu = await startEmulator({
    faults,
    reply: (turn) => {
      if (!/\bleaky\b/.test(turn.text)) return defaultReply(turn);
      return [
        { type: 'tool', name: 'lookup', arguments: { auth: `Bearer ${TOKEN}`, q: 'x' }, output: { echoed: `key=${TOKEN}`, page: HUGE } },
        { type: 'tool', name: 'dump', arguments: HUGE, output: `plain ${TOKEN} text` },
        {
          type: 'approval',
          name: 'open_ticket',
          arguments: { note: `token ${TOKEN}`, body: HUGE },
          reason: `Sends ${TOKEN} along. ${HUGE}`,
          onApprove: [],
          onDeny: [],
        },
      ];
    },
  });
  const backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, onError: () => {} });
  app = await serveHandler({ backend, onError: () => {} });
});
after(async () => {
  await app.close();
  await emu.close();
  for (const b of browsers) for (const chunk of b.received) assert.ok(!chunk.includes(TOKEN), `token leaked: ${chunk.slice(0, 200)}`);
});

function browser(): Browser {
  const b = new Browser(app.url);
  browsers.push(b);
  return b;
}

const size = (value: unknown) => (typeof value === 'string' ? value.length : JSON.stringify(value).length);

function checkPayloads(tools: { arguments?: unknown; output?: unknown; reason?: unknown }[]): void {
  for (const fields of tools) {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      assert.ok(!text.includes(TOKEN), `${key} carries the token`);
      assert.ok(size(value) <= MAX_PASS_THROUGH_FIELD_CHARS + TRUNCATED_MARKER.length, `${key} is ${size(value)} characters`);
    }
  }
}

describe('tool and approval payloads from upstream', () => {
  it('a streamed run: redacted and bounded, small ones kept as they were (token aside)', async () => {
    const v = browser();
    await v.json('/session', {});
    const events: SseEvent[] = await v.run('chat_leaky', 'be leaky');
    const started = events.filter((e) => e.event === 'tool_call.started');
    const completed = events.filter((e) => e.event === 'tool_call.completed');
    const approval = events.find((e) => e.event === 'approval.requested')!;
    assert.equal(started.length, 2);
    checkPayloads([...started.map((e) => e.data), ...completed.map((e) => e.data), approval.data]);
    assert.deepEqual(started[0]!.data['arguments'], { auth: 'Bearer [redacted]', q: 'x' });
    assert.equal(completed[1]!.data['output'], 'plain [redacted] text');
    assert.ok(String(completed[0]!.data['output']).endsWith(TRUNCATED_MARKER));
    assert.ok(String(approval.data['reason']).startsWith('Sends [redacted] along.'));
  });

  it('a stream:false run: the same bounds', async () => {
    const v = browser();
    await v.json('/session', {});
    const res = await v.json('/runs', { thread_id: 'chat_leaky_json', input: [{ role: 'user', content: 'be leaky' }], stream: false });
    assert.equal(res.status, 200);
    const body = res.body as { tool_calls?: Record<string, unknown>[]; approvals?: Record<string, unknown>[] };
    assert.ok((body.tool_calls ?? []).length >= 2, JSON.stringify(res.body).slice(0, 300));
    checkPayloads([...(body.tool_calls ?? []), ...(body.approvals ?? [])]);
  });
});

describe('an upstream Retry-After', () => {
  it('of 73 years reaches the browser clamped to MAX_RETRY_AFTER_SECONDS', async () => {
    faults.length = 0;
    faults.push({ kind: 'error', status: 429, retryAfter: String(73 * 365 * 24 * 3600), method: 'POST', path: /\/runs$/ });
    try {
      const v = browser();
      await v.json('/session', {});
      const res = await v.json('/runs', { thread_id: 'chat_slow', input: [{ role: 'user', content: 'hi' }], stream: true });
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), String(MAX_RETRY_AFTER_SECONDS));
    } finally {
      faults.length = 0;
    }
  });

  it('errorResponse clamps any SupportError Retry-After (and a negative or NaN one is 0)', () => {
    const header = (seconds: number) => errorResponse(new SupportError('rate_limited', 'wait', { retryAfterSeconds: seconds })).headers.get('retry-after');
    assert.equal(header(2.3e9), String(MAX_RETRY_AFTER_SECONDS));
    assert.equal(header(Infinity), String(MAX_RETRY_AFTER_SECONDS));
    assert.equal(header(12.2), '13');
    assert.equal(header(-5), '0');
    assert.equal(header(Number.NaN), '0');
  });
});
