import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelMessage } from 'ai';
import { closeOpenToolCalls, InMemoryConversationStore, trimMessages } from '../../../src/backends/ai-sdk/index.js';

const user = (text: string): ModelMessage => ({ role: 'user', content: text });
const assistant = (text: string): ModelMessage => ({ role: 'assistant', content: text });

describe('InMemoryConversationStore', () => {
  it('keeps conversations apart by visitor and thread, and hands out copies', async () => {
    const store = new InMemoryConversationStore();
    await store.save({ visitor: 'user:ada', threadId: 't1' }, { messages: [user('a')] });
    await store.save({ visitor: 'user:bob', threadId: 't1' }, { messages: [user('b')] });
    assert.deepEqual((await store.load({ visitor: 'user:ada', threadId: 't1' }))?.messages, [user('a')]);
    assert.deepEqual((await store.load({ visitor: 'user:bob', threadId: 't1' }))?.messages, [user('b')]);
    assert.equal(await store.load({ visitor: 'user:ada', threadId: 't2' }), undefined);
    const copy = (await store.load({ visitor: 'user:ada', threadId: 't1' }))!;
    copy.messages.push(user('edited'));
    assert.equal((await store.load({ visitor: 'user:ada', threadId: 't1' }))!.messages.length, 1);
  });

  it('drops the least recently used conversation past its bound', async () => {
    const store = new InMemoryConversationStore({ maxConversations: 2 });
    await store.save({ visitor: 'v', threadId: 'a' }, { messages: [user('a')] });
    await store.save({ visitor: 'v', threadId: 'b' }, { messages: [user('b')] });
    await store.save({ visitor: 'v', threadId: 'a' }, { messages: [user('a'), assistant('A')] }); // a is now newest
    await store.save({ visitor: 'v', threadId: 'c' }, { messages: [user('c')] });
    assert.equal(store.size, 2);
    assert.equal(await store.load({ visitor: 'v', threadId: 'b' }), undefined);
    assert.ok(await store.load({ visitor: 'v', threadId: 'a' }));
  });

  it('finds a pending run only for its own visitor, and forgets it once saved without', async () => {
    const store = new InMemoryConversationStore({ maxConversations: 1 });
    const pending = { runId: 'run_1', approvals: [{ approvalId: 'a1', toolCallId: 'c1', toolName: 'x', input: {}, decision: null }] };
    await store.save({ visitor: 'user:ada', threadId: 't' }, { messages: [user('q')], pending });
    assert.equal(await store.findPendingRun('user:ada', 'run_1'), 't');
    assert.equal(await store.findPendingRun('user:bob', 'run_1'), undefined);
    await store.save({ visitor: 'user:ada', threadId: 't' }, { messages: [user('q')] });
    assert.equal(await store.findPendingRun('user:ada', 'run_1'), undefined);
    // Evicted conversations take their pending run with them.
    await store.save({ visitor: 'user:ada', threadId: 't' }, { messages: [user('q')], pending });
    await store.save({ visitor: 'user:ada', threadId: 'other' }, { messages: [user('r')] });
    assert.equal(await store.findPendingRun('user:ada', 'run_1'), undefined);
  });

  it('trims long conversations at a user message, so no tool result loses its call', async () => {
    const messages: ModelMessage[] = [
      user('1'),
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 't', output: { type: 'text', value: 'r' } }] },
      assistant('2'),
      user('3'),
      assistant('4'),
    ];
    assert.deepEqual(trimMessages(messages, 4), [user('3'), assistant('4')]);
    assert.equal(trimMessages(messages, 6), messages);
    const store = new InMemoryConversationStore({ maxMessages: 3 });
    await store.save({ visitor: 'v', threadId: 't' }, { messages });
    assert.deepEqual((await store.load({ visitor: 'v', threadId: 't' }))!.messages, [user('3'), assistant('4')]);
  });
});

describe('closeOpenToolCalls()', () => {
  it('gives an unanswered call of ours a not-run result, and leaves answered and provider calls alone', () => {
    const messages: ModelMessage[] = [
      user('q'),
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'open', toolName: 'open_ticket', input: {} },
          { type: 'tool-call', toolCallId: 'hosted', toolName: 'web_search', input: {}, providerExecuted: true },
          { type: 'tool-call', toolCallId: 'done', toolName: 'lookup', input: {} },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'done', toolName: 'lookup', output: { type: 'text', value: 'ok' } }] },
    ];
    const closed = closeOpenToolCalls(messages);
    assert.equal(closed.length, 4);
    const added = closed[2]!;
    assert.equal(added.role, 'tool');
    assert.deepEqual(
      (added.content as { toolCallId: string; output: { type: string } }[]).map((p) => [p.toolCallId, p.output.type]),
      [['open', 'execution-denied']],
    );
    assert.deepEqual(closeOpenToolCalls(closed), closed, 'idempotent');
  });
});
