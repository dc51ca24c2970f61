// createAiSdkBackend over the Ingram provider (one smith per visitor, the widget's thread as the
// API's thread), against the Ingram emulator: hosted tools and approvals continue through the
// provider, end to end over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAiSdkBackend, createIngram } from '../../../src/backends/ai-sdk/index.js';
import { createIngramEmulator, EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import { continueRun, startRun, type RunEvent, type RunEventOf } from '../../../src/protocol/index.js';
import { startSupport, type RunningSupport } from '../core/support-test-kit.js';

const TOKEN = 'ic_backend_token';

describe('createAiSdkBackend() with the Ingram provider', () => {
  let upstream: ServeHandle;
  let support: RunningSupport;
  const smiths = new Map<string, string>();

  before(async () => {
    upstream = await serve(createIngramEmulator({ token: TOKEN }), { port: 0 });
    const baseURL = `${upstream.url}/v1`;
    const ingram = createIngram({ token: TOKEN, baseURL });
    // The smith for a visitor, upserted once (what the Ingram backend does with a directory).
    async function smithFor(externalId: string): Promise<string> {
      const known = smiths.get(externalId);
      if (known) return known;
      const res = await fetch(`${baseURL}/smiths`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'IC-Api-Version': '2026-05-01', 'Content-Type': 'application/json' },
        body: JSON.stringify({ external_id: externalId, agent_id: EMULATOR_AGENT_ID }),
      });
      const id = ((await res.json()) as { id: string }).id;
      smiths.set(externalId, id);
      return id;
    }
    const backend = createAiSdkBackend({
      model: async ({ visitor }) => ingram.smith(await smithFor(`${visitor.kind === 'user' ? 'user' : 'anon'}:${visitor.id}`)),
      providerOptions: ({ threadId }) => ({ ingram: { threadId } }),
      onError: () => {},
    });
    support = await startSupport({ backend, identify: (r) => (r.headers.get('x-user') ? { user_id: r.headers.get('x-user')! } : null) });
  });
  after(async () => {
    await support.close();
    await upstream.close();
  });

  const opts = (user: string) => ({ headers: { 'x-user': user } });
  async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
    const out: RunEvent[] = [];
    for await (const e of events) out.push(e);
    return out;
  }
  const textOf = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'message.delta' ? [e.delta] : [])).join('');

  it('streams replies and keeps the thread on the Ingram side', async () => {
    const first = await collect(startRun(support.endpoint, { thread_id: 'chat_ing', input: [{ role: 'user', content: 'Hello' }] }, opts('ada')));
    assert.match(textOf(first), /turn 1 in this thread/);
    const second = await collect(startRun(support.endpoint, { thread_id: 'chat_ing', input: [{ role: 'user', content: 'Again' }] }, opts('ada')));
    assert.match(textOf(second), /turn 2 in this thread.*you asked: “Hello”/);
    const other = await collect(startRun(support.endpoint, { thread_id: 'chat_ing', input: [{ role: 'user', content: 'Me too' }] }, opts('bob')));
    assert.match(textOf(other), /turn 1 in this thread/, "another visitor's smith has its own thread");
  });

  it('maps hosted tools and continues an approved ticket through the provider', async () => {
    const searched = await collect(startRun(support.endpoint, { thread_id: 'chat_tools', input: [{ role: 'user', content: 'search the web please' }] }, opts('ada')));
    const started = searched.find((e): e is RunEventOf<'tool_call.started'> => e.type === 'tool_call.started');
    assert.equal(started?.name, 'web_search');
    assert.ok(searched.some((e) => e.type === 'tool_call.completed' && JSON.stringify(e.output).includes('Emulated result')));

    const asked = await collect(startRun(support.endpoint, { thread_id: 'chat_tools', input: [{ role: 'user', content: 'open a ticket' }] }, opts('ada')));
    const approval = asked.find((e): e is RunEventOf<'approval.requested'> => e.type === 'approval.requested');
    assert.ok(approval);
    assert.equal(approval.name, 'open_ticket');
    assert.equal((asked.at(-1) as RunEventOf<'run.completed'>).stop_reason, 'awaiting_approval');
    const done = await collect(continueRun(support.endpoint, approval.run_id, approval.approval_id, { decision: 'approve' }, opts('ada')));
    assert.match(textOf(done), /Done: I opened ticket T-\d+/);
    assert.equal((done.at(-1) as RunEventOf<'run.completed'>).stop_reason, 'end_turn');
  });
});
