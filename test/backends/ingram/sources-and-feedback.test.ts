// Sources the upstream may cite (an assumption: the vendor guide shows none) and feedback handed to
// the host's hook, since the Ingram Cloud API has no feedback endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FeedbackRecord } from '../../../src/backends/core/index.js';
import { createIngramBackend, eventsFromUpstreamRun, mapUpstreamEvent, type UpstreamRun } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import { errorOf, postJson, startSupport, visitorCookie, type RunningSupport } from '../core/support-test-kit.js';
import { startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

const m = (data: unknown) => ({ event: 'source.added', data: JSON.stringify(data) });

describe('Ingram mapping: source.added', () => {
  it('passes on an http(s) source with its known fields only', () => {
    assert.deepEqual(
      mapUpstreamEvent(m({ v: 1, run_id: 'run_1', source: { title: ' Refunds ', url: 'https://help.example.com/refunds', snippet: 'Within 30 days', smith_id: 'smt_x' } })),
      {
        type: 'source.added',
        v: 1,
        run_id: 'run_1',
        source: { title: 'Refunds', url: 'https://help.example.com/refunds', snippet: 'Within 30 days' },
      },
    );
  });

  for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '/relative/path', 'not a url', `https://example.com/${'a'.repeat(3000)}`]) {
    it(`drops a source whose URL is ${url.slice(0, 30)}`, () => {
      assert.equal(mapUpstreamEvent(m({ v: 1, run_id: 'run_1', source: { title: 'x', url } })), null);
    });
  }

  it('drops a source without a title, and cuts long titles and snippets', () => {
    assert.equal(mapUpstreamEvent(m({ v: 1, run_id: 'run_1', source: { title: '', url: 'https://a.example' } })), null);
    const event = mapUpstreamEvent(m({ v: 1, run_id: 'run_1', source: { title: 't'.repeat(1000), url: 'https://a.example', snippet: 's'.repeat(5000) } }));
    assert.equal(event?.type, 'source.added');
    if (event?.type !== 'source.added') return;
    assert.equal(event.source.title.length, 300);
    assert.equal(event.source.snippet?.length, 500);
  });

  it('redacts the token from a title and snippet', () => {
    const event = mapUpstreamEvent(m({ v: 1, run_id: 'r', source: { title: `key ${TOKEN}`, url: 'https://a.example', snippet: TOKEN } }), undefined, {
      redact: (t) => t.replaceAll(TOKEN, '[redacted]'),
    });
    assert.ok(event?.type === 'source.added' && !JSON.stringify(event).includes(TOKEN));
  });

  it('maps a JSON run’s sources (stream:false) before its text', () => {
    const run = {
      id: 'run_2',
      thread_id: 't',
      status: 'completed',
      stop_reason: 'end_turn',
      output: [{ role: 'assistant', content: 'Hi' }],
      sources: [
        { title: 'A', url: 'https://a.example/' },
        { title: 'B', url: 'ftp://b.example/' },
      ],
    } as unknown as UpstreamRun;
    const types = eventsFromUpstreamRun(run).map((e) => (e.type === 'source.added' ? `source:${e.source.title}` : e.type));
    assert.deepEqual(types, ['run.started', 'source:A', 'message.delta', 'run.completed']);
  });
});

describe('Ingram backend: feedback goes to the host’s hook', () => {
  let emu: EmulatorServer;
  let support: RunningSupport;
  const got: FeedbackRecord[] = [];

  before(async () => {
    emu = await startEmulator();
    const backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, onFeedback: (f) => void got.push(f) });
    support = await startSupport({ backend, onError: () => {} });
  });
  after(async () => {
    await support.close();
    await emu.close();
  });

  it('announces feedback, and the hook gets the owner’s rating with the visitor; a stranger’s is refused', async () => {
    const cookie = await visitorCookie(support.endpoint);
    const session = (await (await fetch(`${support.endpoint}/session`, { method: 'POST', headers: { cookie } })).json()) as { features?: unknown };
    assert.deepEqual(session.features, { resume: true, feedback: true });
    const stream = await (await postJson(`${support.endpoint}/runs`, { thread_id: 'th_fb', input: [{ role: 'user', content: 'hello' }] }, { cookie })).text();
    const runId = (JSON.parse(/^data: (.+)$/m.exec(stream)![1]!) as { run_id: string }).run_id;
    const ok = await postJson(`${support.endpoint}/runs/${runId}/feedback`, { rating: 'down', reasons: ['incomplete'] }, { cookie });
    assert.equal(ok.status, 200);
    assert.equal(got.length, 1);
    assert.deepEqual([got[0]!.run_id, got[0]!.rating, got[0]!.reasons, got[0]!.visitor.kind], [runId, 'down', ['incomplete'], 'anonymous']);
    const stranger = await visitorCookie(support.endpoint);
    const refused = await errorOf(await postJson(`${support.endpoint}/runs/${runId}/feedback`, { rating: 'up' }, { cookie: stranger }));
    assert.equal(refused.status, 404);
    assert.equal(got.length, 1);
  });

  it('offers no feedback without a hook', () => {
    const backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID });
    assert.equal(backend.feedback, undefined);
  });
});
