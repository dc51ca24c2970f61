// The AI SDK backend hands "Talk to a person" to the host's hook with the thread's stored messages,
// through the real handler on a real server.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createAiSdkBackend, type AiSdkHandoffRecord } from '../../../src/backends/ai-sdk/index.js';
import { requestHandoff, startRun } from '../../../src/protocol/index.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { startSupport, type RunningSupport } from '../core/support-test-kit.js';
import { scriptedModel, text } from './ai-sdk-test-kit.js';

let running: RunningSupport | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

const as = (user: string) => ({ headers: { 'x-user': user } });

describe('AI SDK backend: hand-off', () => {
  it('gives the hook the thread’s messages and the account’s address; refuses another account’s thread', async () => {
    const got: AiSdkHandoffRecord[] = [];
    const backend = createAiSdkBackend({
      model: scriptedModel([{ parts: text('We ship in 2 days.') }]),
      onHandoff: (record) => {
        got.push(record);
        return { reference: 'ZD-77' };
      },
    });
    running = await startSupport({
      backend,
      identify: (r) => (r.headers.get('x-user') ? { user_id: r.headers.get('x-user')!, email: `${r.headers.get('x-user')}@example.com` } : null),
    });
    for await (const event of startRun(running.endpoint, { thread_id: 'chat_p', input: [{ role: 'user', content: 'When do you ship?' }] }, as('ada'))) void event;
    const reply = await requestHandoff(running.endpoint, { thread_id: 'chat_p', message: 'Need it sooner' }, as('ada'));
    assert.deepEqual(reply.handoff, { reference: 'ZD-77', email: 'ada@example.com' });
    assert.deepEqual(
      got[0]!.messages.map((m) => m.role),
      ['user', 'assistant'],
    );
    assert.equal(got[0]!.message, 'Need it sooner');
    await assert.rejects(
      requestHandoff(running.endpoint, { thread_id: 'chat_p' }, as('eve')),
      (err: unknown) => err instanceof ProtocolError && err.status === 404 && err.code === 'not_found',
    );
    assert.equal(got.length, 1);
  });
});
