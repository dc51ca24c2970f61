// The Ingram AI SDK provider against a misbehaving upstream (the emulator over HTTP with `faults`):
// a stalled run stream ends the turn with an upstream_timeout error, and a run POST that failed
// with a 5xx is never sent again by the AI SDK's own retries (it may have started the run).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { streamText } from 'ai';
import { createAiSdkBackend, createIngram, IngramRunError } from '../../src/backends/ai-sdk/index.js';
import { postJson, startSupport } from '../backends/core/support-test-kit.js';
import { parseSse } from '../backends/ingram/http-browser.js';
import { EMULATOR_AGENT_ID, type EmulatorFaultRule } from '../../src/backends/ingram/emulator/index.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';

const faults: EmulatorFaultRule[] = [];
let emu: EmulatorServer;
let smithId: string;

before(async () => {
  emu = await startEmulator({ faults });
  smithId = (await emu.client.upsertSmith({ external_id: 'provider-faults', agent_id: EMULATOR_AGENT_ID })).id;
});
after(() => emu.close());

describe('the Ingram provider and a misbehaving upstream', () => {
  it('a run stream that stalls ends with an upstream_timeout error, and the upstream run is closed', async () => {
    faults.length = 0;
    faults.push({ kind: 'stall', afterEvents: 2, method: 'POST', path: /\/runs$/ });
    const ingram = createIngram({ token: TOKEN, baseURL: `${emu.url}/v1`, streamIdleTimeoutMs: 400 });
    const result = streamText({ model: ingram.smith(smithId), prompt: 'hello there', abortSignal: AbortSignal.timeout(8_000) });
    const errors: unknown[] = [];
    let text = '';
    for await (const part of result.fullStream) {
      if (part.type === 'error') errors.push(part.error);
      if (part.type === 'text-delta') text += part.text;
    }
    assert.ok(text.length > 0, 'what arrived before the stall is kept');
    assert.equal(errors.length, 1, String(errors));
    assert.ok(errors[0] instanceof IngramRunError);
    assert.equal((errors[0] as IngramRunError).code, 'upstream_timeout');
    // The close reaches the emulator's server a moment later: wait for it (bounded).
    let cancelled = false;
    for (let i = 0; i < 40 && !cancelled; i++) {
      cancelled = (await emu.client.listRuns()).data.some((r) => r.smith_id === smithId && r.status === 'cancelled');
      if (!cancelled) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(cancelled, 'the emulator saw the request go');
  });

  it('through createAiSdkBackend, the visitor gets run.failed upstream_timeout (not a generic upstream_error)', async () => {
    faults.length = 0;
    faults.push({ kind: 'stall', afterEvents: 2, method: 'POST', path: /\/runs$/ });
    const ingram = createIngram({ token: TOKEN, baseURL: `${emu.url}/v1`, streamIdleTimeoutMs: 400 });
    const s = await startSupport({ backend: createAiSdkBackend({ model: ingram.smith(smithId), onError: () => {} }) });
    try {
      const res = await postJson(`${s.endpoint}/runs`, { thread_id: 'chat_stall', input: [{ role: 'user', content: 'hello' }], stream: true });
      const last = parseSse(await res.text()).at(-1)!;
      assert.equal(last.event, 'run.failed');
      assert.equal((last.data['error'] as { code: string }).code, 'upstream_timeout');
    } finally {
      await s.close();
    }
  });

  for (const status of [500, 502, 503]) {
    it(`a run POST answered ${status} is sent once, even with the AI SDK's default retries`, async () => {
      faults.length = 0;
      const rule: EmulatorFaultRule = { kind: 'error', status, method: 'POST', path: /\/runs$/ };
      faults.push(rule);
      const ingram = createIngram({ token: TOKEN, baseURL: `${emu.url}/v1` });
      const result = streamText({ model: ingram.smith(smithId), prompt: 'hello', onError: () => {} });
      for await (const _ of result.fullStream) {
        // drain
      }
      assert.equal(rule.hits, 1);
    });
  }

  it('a 429 on a run POST stays retryable (the API refused it before acting)', async () => {
    faults.length = 0;
    const rule: EmulatorFaultRule = { kind: 'error', status: 429, times: 1, retryAfter: '0', method: 'POST', path: /\/runs$/ };
    faults.push(rule);
    const ingram = createIngram({ token: TOKEN, baseURL: `${emu.url}/v1` });
    const result = streamText({ model: ingram.smith(smithId), prompt: 'hello' });
    assert.ok((await result.text).length > 0);
    assert.equal(rule.hits, 1);
  });
});
