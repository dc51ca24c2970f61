import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { SupportError } from '../../../src/backends/core/support-error.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import type { RunEvent, RunEventOf } from '../../../src/protocol/types.js';
import { alice, bob, collect, ctxFor, textInput, textOf, typesOf } from './fixtures/turns.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const filesDir = mkdtempSync(join(tmpdir(), 'ic-local-test-'));
after(() => rmSync(filesDir, { recursive: true, force: true }));

const backend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 0, filesDir });

function only<K extends RunEvent['type']>(events: readonly RunEvent[], type: K): RunEventOf<K>[] {
  return events.filter((e): e is RunEventOf<K> => e.type === type);
}

async function expectSupportError(fn: () => unknown, code: string): Promise<void> {
  await assert.rejects(
    async () => {
      await fn();
    },
    (err: unknown) => err instanceof SupportError && err.code === code,
  );
}

describe('local backend: answers', () => {
  it('streams run.started, word deltas and run.completed that re-join to the Markdown answer', async () => {
    const events = await collect(backend.run(textInput('How do I reset my password?', 'chat_stream'), ctxFor(alice)));
    assert.deepEqual(typesOf(events), ['run.started', 'message.delta', 'run.completed']);
    const started = events[0] as RunEventOf<'run.started'>;
    assert.match(started.run_id, /^run_[A-Za-z0-9_-]{16,}$/);
    assert.equal(started.thread_id, 'chat_stream');
    assert.equal(started.files, undefined);
    assert.ok(events.every((e) => e.run_id === started.run_id && e.v === 1));
    assert.deepEqual(events.at(-1), { type: 'run.completed', v: 1, run_id: started.run_id, stop_reason: 'end_turn' });

    const deltas = only(events, 'message.delta');
    assert.ok(deltas.length > 50, `${deltas.length} deltas: streamed word by word`);
    assert.ok(
      deltas.every((d) => d.delta.trim().split(/\s+/).length === 1),
      'one word per delta',
    );
    const text = textOf(events);
    assert.match(text, /\*\*Reset your password\*\*/);
    assert.match(text, /\n1\. Go to the sign-in page/, 'numbered steps survive with their newlines');
    assert.match(text, /\n### Reset a forgotten password\n/);
    assert.match(text, /Source: Reset your password/);
  });

  it('says honestly when no article matches, and offers a ticket', async () => {
    const events = await collect(backend.run(textInput('What is the weather in Paris tomorrow?'), ctxFor(alice)));
    const text = textOf(events);
    assert.match(text, /couldn't find an answer/);
    assert.match(text, /open a ticket/);
    assert.doesNotMatch(text, /Source:/);
    assert.equal(events.at(-1)!.type, 'run.completed');
  });

  it('greets and says what it can do', async () => {
    const text = textOf(await collect(backend.run(textInput('Hello!'), ctxFor(alice))));
    assert.match(text, /help assistant/);
    assert.match(text, /order A-1001/);
  });

  it('gives each run its own id', async () => {
    const a = await collect(backend.run(textInput('refund'), ctxFor(alice)));
    const b = await collect(backend.run(textInput('refund'), ctxFor(alice)));
    assert.notEqual(a[0]!.run_id, b[0]!.run_id);
  });

  it('stops generating as soon as the request is aborted, and emits nothing more', async () => {
    const controller = new AbortController();
    const it = backend.run(textInput('How do I export my notes?'), ctxFor(alice, controller.signal))[Symbol.asyncIterator]();
    const seen: RunEvent[] = [];
    for (let i = 0; i < 4; i++) seen.push((await it.next()).value as RunEvent);
    controller.abort();
    const after: RunEvent[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) after.push(r.value);
    assert.deepEqual(after, []);
    assert.equal(seen.filter((e) => e.type === 'message.delta').length, 3);
  });

  it('stops during the pause between words when aborted (delayMs > 0)', async () => {
    const slowBackend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 60_000, filesDir });
    const controller = new AbortController();
    const it = slowBackend.run(textInput('How do I export my notes?'), ctxFor(alice, controller.signal))[Symbol.asyncIterator]();
    assert.equal((await it.next()).value?.type, 'run.started');
    assert.equal((await it.next()).value?.type, 'message.delta');
    const pending = it.next(); // now waiting 60 s before the next word
    controller.abort();
    assert.deepEqual(await pending, { done: true, value: undefined });
  });

  it('keeps the conversation per visitor and thread', async () => {
    await collect(backend.run(textInput('How do I share a notebook?', 'chat_hist'), ctxFor(alice)));
    const mine = backend.history(alice, 'chat_hist');
    assert.equal(mine.length, 2);
    assert.equal(mine[0]!.role, 'user');
    assert.equal(mine[0]!.content, 'How do I share a notebook?');
    assert.equal(mine[1]!.role, 'assistant');
    assert.match(String(mine[1]!.content), /Share notes and notebooks/);
    assert.deepEqual(backend.history(bob, 'chat_hist'), [], 'same thread id, other visitor: nothing');
  });

  it('bounds the history it keeps', async () => {
    const small = createLocalBackend({ articles: [], delayMs: 0, filesDir, maxThreads: 2, maxMessagesPerThread: 3 });
    for (const t of ['a', 'b', 'c']) await collect(small.run(textInput('hello', t), ctxFor(alice)));
    await collect(small.run(textInput('hello again', 'c'), ctxFor(alice)));
    assert.equal(small.history(alice, 'a').length, 0, 'least recently used thread dropped');
    assert.equal(small.history(alice, 'b').length, 2);
    assert.equal(small.history(alice, 'c').length, 3, 'oldest messages dropped');
  });
});

describe('local backend: lookup_order tool', () => {
  it('runs lookup_order for "where is my order 12345" and answers from its output', async () => {
    const events = await collect(backend.run(textInput('Where is my order 12345?'), ctxFor(alice)));
    assert.deepEqual(typesOf(events), ['run.started', 'tool_call.started', 'tool_call.completed', 'message.delta', 'run.completed']);
    const [started] = only(events, 'tool_call.started');
    const [completed] = only(events, 'tool_call.completed');
    assert.equal(started!.name, 'lookup_order');
    assert.deepEqual(started!.arguments, { order_id: '12345' });
    assert.equal(completed!.tool_call_id, started!.tool_call_id);
    assert.equal(completed!.is_error, undefined);
    const output = completed!.output as { status: string; carrier: string; eta: string };
    assert.equal(output.status, 'out_for_delivery');
    assert.equal(output.carrier, 'DHL Express');
    assert.match(output.eta, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(textOf(events), /DHL Express/);
    assert.match(textOf(events), /out for delivery/);
  });

  it('normalises "order #a1001" to A-1001', async () => {
    const events = await collect(backend.run(textInput('status of order #a1001 please'), ctxFor(alice)));
    assert.deepEqual(only(events, 'tool_call.started')[0]!.arguments, { order_id: 'A-1001' });
    assert.equal((only(events, 'tool_call.completed')[0]!.output as { carrier: string }).carrier, 'UPS');
  });

  it('reports an unknown order as a tool error and says so', async () => {
    const events = await collect(backend.run(textInput('Where is my order A-9999?'), ctxFor(alice)));
    const [completed] = only(events, 'tool_call.completed');
    assert.equal(completed!.is_error, true);
    assert.deepEqual((completed!.output as { error: string }).error, 'order_not_found');
    assert.match(textOf(events), /couldn't find an order \*\*A-9999\*\*/);
  });

  it('asks for the number when an order question has none', async () => {
    const events = await collect(backend.run(textInput('where is my order?'), ctxFor(alice)));
    assert.deepEqual(typesOf(events), ['run.started', 'message.delta', 'run.completed']);
    assert.match(textOf(events), /order number/);
  });
});

describe('local backend: open_ticket approval', () => {
  async function requestTicket(visitor = alice, thread = `chat_${Math.random()}`) {
    await collect(backend.run(textInput('My notes are not syncing on my Android phone', thread), ctxFor(visitor)));
    const events = await collect(backend.run(textInput('I want to talk to a human', thread), ctxFor(visitor)));
    return { events, approval: only(events, 'approval.requested')[0]!, thread };
  }

  it('asks for approval to open a ticket, then ends the run awaiting it', async () => {
    const { events, approval } = await requestTicket();
    assert.deepEqual(typesOf(events), ['run.started', 'message.delta', 'approval.requested', 'run.completed']);
    assert.equal(approval.name, 'open_ticket');
    assert.match(approval.approval_id, /^apr_/);
    assert.match(approval.tool_call_id, /^call_/);
    const args = approval.arguments as { subject: string; summary: string };
    assert.match(args.subject, /not syncing on my Android phone/, 'the subject is the earlier question');
    assert.match(args.summary, /syncing/);
    assert.ok(approval.reason);
    assert.deepEqual(events.at(-1), { type: 'run.completed', v: 1, run_id: approval.run_id, stop_reason: 'awaiting_approval' });
  });

  it('gives a ticket requested before any question a generic subject', async () => {
    const events = await collect(backend.run(textInput('open a ticket', 'chat_ticket_first'), ctxFor(alice)));
    const args = only(events, 'approval.requested')[0]!.arguments as { subject: string; summary: string };
    assert.equal(args.subject, 'Support request from the help chat');
    assert.match(args.summary, /open a ticket/);
  });

  for (const phrase of ['open a ticket', 'Can I speak to a real person?', 'contact support', 'please create a support ticket']) {
    it(`recognises "${phrase}"`, async () => {
      const events = await collect(backend.run(textInput(phrase), ctxFor(alice)));
      assert.equal(only(events, 'approval.requested').length, 1);
    });
  }

  it('approve: runs open_ticket and gives the ticket number', async () => {
    const { approval } = await requestTicket();
    const events = await collect(backend.approve({ run_id: approval.run_id, approval_id: approval.approval_id, decision: 'approve', stream: true }, ctxFor(alice)));
    assert.deepEqual(typesOf(events), ['run.started', 'tool_call.started', 'tool_call.completed', 'message.delta', 'run.completed']);
    assert.ok(
      events.every((e) => e.run_id === approval.run_id),
      'the continuation belongs to the same run',
    );
    const [completed] = only(events, 'tool_call.completed');
    assert.equal(completed!.tool_call_id, approval.tool_call_id);
    assert.equal(completed!.name, 'open_ticket');
    const ticketId = (completed!.output as { ticket_id: string }).ticket_id;
    assert.match(ticketId, /^TCK-\d{6}$/);
    assert.match(textOf(events), new RegExp(`\\*\\*${ticketId}\\*\\*`));
    assert.equal((events.at(-1) as RunEventOf<'run.completed'>).stop_reason, 'end_turn');
  });

  it('deny: opens no ticket and says so', async () => {
    const { approval } = await requestTicket();
    const events = await collect(backend.approve({ run_id: approval.run_id, approval_id: approval.approval_id, decision: 'deny', stream: true }, ctxFor(alice)));
    assert.deepEqual(typesOf(events), ['run.started', 'message.delta', 'run.completed']);
    assert.match(textOf(events), /no ticket was opened/);
  });

  it('refuses a second decision for the same approval with not_found (docs/protocol.md)', async () => {
    const { approval } = await requestTicket();
    const input = { run_id: approval.run_id, approval_id: approval.approval_id, stream: true };
    await collect(backend.approve({ ...input, decision: 'deny' }, ctxFor(alice)));
    await expectSupportError(() => backend.approve({ ...input, decision: 'approve' }, ctxFor(alice)), 'not_found');
    await expectSupportError(() => backend.approve({ ...input, decision: 'deny' }, ctxFor(alice)), 'not_found');
  });

  it('refuses a decision on a cancelled run with not_found, and runs no tool', async () => {
    const { approval } = await requestTicket();
    await backend.cancel(approval.run_id, ctxFor(alice));
    const input = { run_id: approval.run_id, approval_id: approval.approval_id, stream: true };
    await expectSupportError(() => backend.approve({ ...input, decision: 'approve' }, ctxFor(alice)), 'not_found');
    await expectSupportError(() => backend.approve({ ...input, decision: 'deny' }, ctxFor(alice)), 'not_found');
  });

  it("refuses another visitor's decision with not_found, and the owner can still decide", async () => {
    const { approval } = await requestTicket(alice);
    const input = { run_id: approval.run_id, approval_id: approval.approval_id, decision: 'approve' as const, stream: true };
    await expectSupportError(() => backend.approve(input, ctxFor(bob)), 'not_found');
    await expectSupportError(() => backend.approve(input, ctxFor({ kind: 'user', id: alice.id })), 'not_found');
    const events = await collect(backend.approve(input, ctxFor(alice)));
    assert.equal(only(events, 'tool_call.completed').length, 1);
  });

  it('refuses unknown runs and approvals with not_found', async () => {
    const { approval } = await requestTicket();
    await expectSupportError(() => backend.approve({ run_id: 'run_nope', approval_id: approval.approval_id, decision: 'approve', stream: true }, ctxFor(alice)), 'not_found');
    await expectSupportError(() => backend.approve({ run_id: approval.run_id, approval_id: 'apr_nope', decision: 'approve', stream: true }, ctxFor(alice)), 'not_found');
  });
});

describe('local backend: slow reply and cancel', () => {
  const slow = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 0, slowDelayMs: 5, filesDir });

  it('"slow reply please" streams a long answer', async () => {
    const events = await collect(slow.run(textInput('slow reply please'), ctxFor(alice)));
    assert.match(textOf(events), /deliberately slow reply/);
    assert.ok(only(events, 'message.delta').length > 200);
  });

  it('cancel() by the owner stops generation and completes the run as cancelled', async () => {
    const it = slow.run(textInput('slow reply please'), ctxFor(alice))[Symbol.asyncIterator]();
    const runId = ((await it.next()).value as RunEvent).run_id;
    for (let i = 0; i < 3; i++) assert.equal((await it.next()).value?.type, 'message.delta');

    await expectSupportError(() => slow.cancel(runId, ctxFor(bob)), 'not_found');
    assert.equal((await it.next()).value?.type, 'message.delta', "another visitor's cancel changes nothing");

    await slow.cancel(runId, ctxFor(alice));
    const rest: RunEvent[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    assert.deepEqual(rest, [{ type: 'run.completed', v: 1, run_id: runId, stop_reason: 'cancelled' }]);
  });

  it('cancel() of an unknown run is not_found', async () => {
    await expectSupportError(() => slow.cancel('run_unknown', ctxFor(alice)), 'not_found');
  });
});
