import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelMessage } from 'ai';
import { closeOpenToolCalls, InMemoryConversationStore, mergeTurn, trimMessages } from '../../../src/backends/ai-sdk/index.js';

const user = (text: string): ModelMessage => ({ role: 'user', content: text });
const assistant = (text: string): ModelMessage => ({ role: 'assistant', content: text });

// The behaviour every ConversationStore shares (apart by visitor, compare-and-set, pending runs,
// trimming) is in test/backends/core/stores/conversation-store-contract.ts; here, what only the
// in-memory one has: its bound on conversations.
describe('InMemoryConversationStore', () => {
  /** Saves on top of whatever is stored now (a single writer in these tests). */
  async function put(store: InMemoryConversationStore, key: { visitor: string; threadId: string }, conversation: Parameters<InMemoryConversationStore['save']>[1]) {
    const saved = await store.save(key, conversation, (await store.load(key))?.version ?? null);
    assert.ok(saved.ok);
  }

  it('drops the least recently used conversation past its bound', async () => {
    const store = new InMemoryConversationStore({ maxConversations: 2 });
    await put(store, { visitor: 'v', threadId: 'a' }, { messages: [user('a')] });
    await put(store, { visitor: 'v', threadId: 'b' }, { messages: [user('b')] });
    await put(store, { visitor: 'v', threadId: 'a' }, { messages: [user('a'), assistant('A')] }); // a is now newest
    await put(store, { visitor: 'v', threadId: 'c' }, { messages: [user('c')] });
    assert.equal(store.size, 2);
    assert.equal(await store.load({ visitor: 'v', threadId: 'b' }), undefined);
    assert.ok(await store.load({ visitor: 'v', threadId: 'a' }));
  });

  it('forgets the pending run of an evicted conversation, and never reuses a version after eviction', async () => {
    const store = new InMemoryConversationStore({ maxConversations: 1 });
    const pending = { runId: 'run_1', approvals: [{ approvalId: 'a1', toolCallId: 'c1', toolName: 'x', input: {}, decision: null }] };
    const key = { visitor: 'user:ada', threadId: 't' };
    await put(store, key, { messages: [user('q')], pending });
    const old = (await store.load(key))!.version;
    await put(store, { visitor: 'user:ada', threadId: 'other' }, { messages: [user('r')] });
    assert.equal(await store.findPendingRun('user:ada', 'run_1'), undefined);
    await put(store, key, { messages: [user('again')] });
    assert.deepEqual(await store.save(key, { messages: [user('stale')] }, old), { ok: false, reason: 'conflict' });
  });

  it('trims long conversations at a user message, so no tool result loses its call', () => {
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

describe('mergeTurn()', () => {
  const call = (id: string): ModelMessage => ({ role: 'assistant', content: [{ type: 'tool-call', toolCallId: id, toolName: 'open_ticket', input: {} }] });
  const result = (id: string, value: string): ModelMessage => ({
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId: id, toolName: 'open_ticket', output: { type: 'text', value } }],
  });

  it('appends a turn after what another turn saved meanwhile', () => {
    assert.deepEqual(mergeTurn([user('A'), assistant('a')], [user('B'), assistant('b')]), [user('A'), assistant('a'), user('B'), assistant('b')]);
  });

  it('puts the real result of a tool this turn ran where the other turn closed it as not run', () => {
    // The other turn (a new message during the approved run) closed call c1 as not run.
    const latest = closeOpenToolCalls([user('open a ticket'), call('c1')]).concat([user('meanwhile'), assistant('ok')]);
    const merged = mergeTurn(latest, [result('c1', 'T-1'), assistant('Ticket T-1 is open.')]);
    assert.deepEqual(merged, [user('open a ticket'), call('c1'), result('c1', 'T-1'), user('meanwhile'), assistant('ok'), assistant('Ticket T-1 is open.')]);
  });

  it('closes calls left open by either turn', () => {
    const merged = mergeTurn([user('q'), call('c2')], [user('next'), assistant('a')]);
    assert.equal(merged.length, 5);
    const closing = merged[2]!;
    assert.equal(closing.role, 'tool');
    assert.equal(closing.role === 'tool' && closing.content[0]!.type === 'tool-result' && closing.content[0]!.output.type, 'execution-denied');
  });
});
