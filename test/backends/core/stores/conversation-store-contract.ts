// The contract of the AI SDK ConversationStore: conversations kept apart by visitor and thread,
// compare-and-set saves (of concurrent saves on one version exactly one lands), the pending-run
// index, trimming, and deleting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelMessage } from 'ai';
import type { ConversationStore } from '../../../../src/backends/ai-sdk/conversation-store.js';
import type { StoreFactory } from './contract-kit.js';

const user = (text: string): ModelMessage => ({ role: 'user', content: text });
const assistant = (text: string): ModelMessage => ({ role: 'assistant', content: text });
const pending = (runId: string) => ({
  runId,
  approvals: [{ approvalId: 'a1', toolCallId: 'c1', toolName: 'x', input: {}, decision: null }],
});

/** `factory` gets the number of messages the store must keep per conversation. */
export function conversationStoreContract(name: string, factory: (options: { maxMessages: number }) => ReturnType<StoreFactory<ConversationStore>>): void {
  describe(`ConversationStore contract: ${name}`, () => {
    const use = async (t: { after(fn: () => Promise<void>): void }, maxMessages = 100) => {
      const pair = await factory({ maxMessages });
      if (pair.close) t.after(pair.close);
      return pair;
    };
    const ada = { visitor: 'user:ada', threadId: 't1' };

    it('saves a new conversation only over nothing, then only over the version it loaded', async (t) => {
      const { a, b } = await use(t);
      assert.equal(await a.load(ada), undefined);
      const first = await a.save(ada, { messages: [user('q1')] }, null);
      assert.equal(first.ok, true);
      assert.deepEqual(await b.save(ada, { messages: [user('lost')] }, null), { ok: false, reason: 'conflict' });
      const loaded = await b.load(ada);
      assert.ok(loaded && first.ok);
      assert.equal(loaded.version, first.version);
      assert.deepEqual(loaded.conversation.messages, [user('q1')]);
      const second = await b.save(ada, { messages: [user('q1'), assistant('a1')] }, loaded.version);
      assert.equal(second.ok, true);
      assert.ok(second.ok && second.version !== first.version);
      // A save on the old version is refused and changes nothing.
      assert.deepEqual(await a.save(ada, { messages: [user('stale')] }, first.version), { ok: false, reason: 'conflict' });
      assert.deepEqual((await a.load(ada))?.conversation.messages, [user('q1'), assistant('a1')]);
    });

    it('of many concurrent saves on one version, exactly one lands', async (t) => {
      const { a, b } = await use(t);
      const base = await a.save(ada, { messages: [user('q')] }, null);
      assert.ok(base.ok);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).save(ada, { messages: [user('q'), assistant(`answer ${i}`)] }, base.version)));
      const landed = results.flatMap((r, i) => (r.ok ? [i] : []));
      assert.equal(landed.length, 1);
      const stored = await b.load(ada);
      assert.deepEqual(stored?.conversation.messages, [user('q'), assistant(`answer ${landed[0]}`)]);
      assert.equal(stored?.version, (results[landed[0]!] as { version: string }).version);
    });

    it('keeps visitors and threads apart, and hands out copies', async (t) => {
      const { a, b } = await use(t);
      await a.save({ visitor: 'user:ada', threadId: 't1' }, { messages: [user('a')] }, null);
      await a.save({ visitor: 'user:bob', threadId: 't1' }, { messages: [user('b')] }, null);
      assert.deepEqual((await b.load({ visitor: 'user:ada', threadId: 't1' }))?.conversation.messages, [user('a')]);
      assert.deepEqual((await b.load({ visitor: 'user:bob', threadId: 't1' }))?.conversation.messages, [user('b')]);
      assert.equal(await b.load({ visitor: 'user:ada', threadId: 't2' }), undefined);
      const copy = (await a.load(ada))!;
      copy.conversation.messages.push(user('edited'));
      assert.equal((await a.load(ada))!.conversation.messages.length, 1);
    });

    it('finds a pending run only for its own visitor, and forgets it once saved without', async (t) => {
      const { a, b } = await use(t);
      const saved = await a.save(ada, { messages: [user('q')], pending: pending('run_1') }, null);
      assert.ok(saved.ok);
      assert.equal(await b.findPendingRun('user:ada', 'run_1'), 't1');
      assert.equal(await b.findPendingRun('user:bob', 'run_1'), undefined);
      assert.deepEqual((await b.load(ada))?.conversation.pending, pending('run_1'));
      const next = await b.save(ada, { messages: [user('q')], pending: pending('run_2') }, saved.version);
      assert.ok(next.ok);
      assert.equal(await a.findPendingRun('user:ada', 'run_1'), undefined);
      assert.equal(await a.findPendingRun('user:ada', 'run_2'), 't1');
      await a.save(ada, { messages: [user('q')] }, next.version);
      assert.equal(await b.findPendingRun('user:ada', 'run_2'), undefined);
      assert.equal((await b.load(ada))?.conversation.pending, undefined);
    });

    it('trims long conversations at a user message', async (t) => {
      const { a } = await use(t, 3);
      const messages = [user('1'), assistant('2'), user('3'), assistant('4')];
      await a.save(ada, { messages }, null);
      assert.deepEqual((await a.load(ada))?.conversation.messages, [user('3'), assistant('4')]);
    });

    it('deletes one visitor’s thread (a deleted past conversation), its pending run with it', async (t) => {
      const { a, b } = await use(t);
      const bob = { visitor: 'user:bob', threadId: 't1' };
      await a.save(ada, { messages: [user('q')], pending: pending('run_d') }, null);
      await a.save(bob, { messages: [user('bob')] }, null);
      await b.delete!(ada);
      assert.equal(await a.load(ada), undefined);
      assert.equal(await a.findPendingRun('user:ada', 'run_d'), undefined);
      assert.deepEqual((await a.load(bob))?.conversation.messages, [user('bob')], 'another visitor’s thread of that id stays');
      assert.equal((await a.save(ada, { messages: [user('again')] }, null)).ok, true, 'the thread can start over');
    });
  });
}
