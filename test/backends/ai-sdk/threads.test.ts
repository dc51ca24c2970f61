// The AI SDK backend keeps past conversations for signed-in visitors (`features.threads`): listed by
// the core, read back from its conversation store as text, deleted from it; through the real
// handler on a real server, with the protocol's own client (threads-client.ts).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createAiSdkBackend } from '../../../src/backends/ai-sdk/index.js';
import { InMemoryConversationStore } from '../../../src/backends/ai-sdk/conversation-store.js';
import { openSession, startRun } from '../../../src/protocol/index.js';
import { threadsApi } from '../../../src/protocol/threads-client.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { startSupport, type RunningSupport } from '../core/support-test-kit.js';
import { finish, scriptedModel, text } from './ai-sdk-test-kit.js';

let running: RunningSupport | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

const as = (user: string) => ({ headers: { 'x-user': user } });

describe('AI SDK backend: past conversations', () => {
  it('lists, reads back and deletes the owner’s threads; another visitor’s are absent', async () => {
    const history = new InMemoryConversationStore();
    const backend = createAiSdkBackend({
      model: scriptedModel([{ parts: [...text('Use the reset link.'), finish()] }, { parts: [...text('Within 30 days.'), finish()] }]),
      history,
    });
    running = await startSupport({ backend, identify: (r) => (r.headers.get('x-user') ? { user_id: r.headers.get('x-user')! } : null) });
    const endpoint = running.endpoint;
    assert.equal((await openSession(endpoint, as('ada'))).features?.threads, true);
    for (const [thread_id, content] of [
      ['chat_pw', 'How do I reset my password?'],
      ['chat_refund', 'Refund window?'],
    ] as const) {
      for await (const _ of startRun(endpoint, { thread_id, input: [{ role: 'user', content }] }, as('ada')));
    }
    const ada = threadsApi(endpoint, as('ada'));
    assert.deepEqual(
      (await ada.list()).map((t) => [t.thread_id, t.title]),
      [
        ['chat_refund', 'Refund window?'],
        ['chat_pw', 'How do I reset my password?'],
      ],
    );
    const read = await ada.get('chat_pw');
    assert.deepEqual(read.messages, [
      { role: 'user', text: 'How do I reset my password?' },
      { role: 'assistant', text: 'Use the reset link.' },
    ]);

    const bob = threadsApi(endpoint, as('bob'));
    assert.deepEqual(await bob.list(), []);
    await assert.rejects(bob.get('chat_pw'), (e: unknown) => e instanceof ProtocolError && e.code === 'not_found' && e.status === 404);
    await assert.rejects(bob.remove('chat_pw'), (e: unknown) => e instanceof ProtocolError && e.code === 'not_found');
    await assert.rejects(threadsApi(endpoint).list(), (e: unknown) => e instanceof ProtocolError && e.code === 'forbidden' && e.status === 403);

    await ada.remove('chat_pw');
    assert.equal(await history.load({ visitor: 'user:ada', threadId: 'chat_pw' }), undefined, 'gone from the store');
    assert.deepEqual(
      (await ada.list()).map((t) => t.thread_id),
      ['chat_refund'],
    );
  });
});
