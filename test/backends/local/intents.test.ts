import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { detectIntent } from '../../../src/backends/local/intents.js';
import type { RunEvent, RunEventOf } from '../../../src/protocol/types.js';
import { alice, collect, ctxFor, textInput, textOf, typesOf } from './fixtures/turns.js';

const filesDir = mkdtempSync(join(tmpdir(), 'ic-intents-test-'));
after(() => rmSync(filesDir, { recursive: true, force: true }));

const backend = createLocalBackend({ articles: [], delayMs: 0, filesDir });

function only<K extends RunEvent['type']>(events: readonly RunEvent[], type: K): RunEventOf<K>[] {
  return events.filter((e): e is RunEventOf<K> => e.type === type);
}

function thread(): string {
  return `chat_${Math.random().toString(36).slice(2)}`;
}

describe('order ids: taken when introduced as one', () => {
  const taken: [string, string][] = [
    ['Where is my order 12345?', '12345'],
    ['order #12345 placed in 2024', '12345'],
    ['my order placed in 2024 is order #12345', '12345'],
    ['order no. 12345 has not arrived', '12345'],
    ['order number 10042, where is it?', '10042'],
    ['my order number is 10042', '10042'],
    ['order id: 10042 status', '10042'],
    ['#12345 — where is my order?', '12345'],
    ['status of order #a1001 please', 'a1001'],
    ['Where is my order A-9999?', 'A-9999'],
    ['where is my package A-1001', 'A-1001'],
    ['my order 2024 is late, it is order #12345', '12345'],
    ['my order #2024 is late', '2024'],
    ['order A-2024 is late', 'A-2024'],
  ];
  for (const [text, id] of taken) {
    it(`"${text}" → ${id}`, () => {
      assert.deepEqual(detectIntent(text), { kind: 'lookup_order', orderId: id });
    });
  }
});

describe('order ids: numbers that are not order ids', () => {
  // Each of these talks about an order and its delivery, so the visitor is asked for the number.
  const refused: [string, string][] = [
    ['a year', "my order placed in 2024 hasn't arrived"],
    ['a year right after "order"', 'my order 2024 is late'],
    ['a year with a prefix', 'order FY2024 is late'],
    ['a month and year', 'order Jan-2024 is late'],
    ['an ISO date', 'my order from 2024-05-01 is late'],
    ['a date right after "order"', 'order 2024-05-01 still not delivered'],
    ['a slash date', 'my order of 12/05/2024 has not arrived'],
    ['a price with a currency sign', "I paid $1234 for my order and it hasn't arrived"],
    ['a price with decimals', 'order 1500.00 paid, where is it?'],
    ['a price with a trailing currency sign', 'order 1500$ still not delivered'],
    ['a price in words', 'order 1500 dollars and it is late'],
    ['a quantity with a thousands separator', 'my order of 1,500 sheets is late'],
    ['a quantity right after "order"', 'order 3000 sheets, when will it arrive?'],
    ['a phone number with dashes', "call me at 555-123-4567 about my order, it's late"],
    ['a phone number right after "order"', 'order 555-123-4567 is late'],
    ['a long digit run (phone or tracking number)', 'order 5551234567 is late'],
    ['a bare number not introduced as an order id', 'my order is late, my customer code is 12345'],
    ['a model number', 'my order for X1000 headphones is late'],
    ['a model number with a dash', 'my order of the XR-2000 is late'],
    ['an HTML entity', 'my order &#12345; is late'],
  ];
  for (const [what, text] of refused) {
    it(`not ${what}: "${text}"`, () => {
      assert.deepEqual(detectIntent(text), { kind: 'order_without_id' });
    });
  }

  it('an order message without an id or a delivery word stays a question', () => {
    assert.deepEqual(detectIntent('I want to order 1000 units'), { kind: 'question' });
  });
});

describe('order ids through the backend', () => {
  it('asks for the order number, and runs no tool, for "my order placed in 2024 hasn\'t arrived"', async () => {
    const events = await collect(backend.run(textInput("my order placed in 2024 hasn't arrived", thread()), ctxFor(alice)));
    assert.deepEqual(typesOf(events), ['run.started', 'message.delta', 'run.completed']);
    assert.match(textOf(events), /What's the order number\?/);
  });

  it('looks up 12345, not 2024, for "order #12345 placed in 2024"', async () => {
    const events = await collect(backend.run(textInput('order #12345 placed in 2024', thread()), ctxFor(alice)));
    const [started] = only(events, 'tool_call.started');
    assert.equal(started!.name, 'lookup_order');
    assert.deepEqual(started!.arguments, { order_id: '12345' });
    assert.equal((only(events, 'tool_call.completed')[0]!.output as { status: string }).status, 'out_for_delivery');
  });
});

describe('ticket subject: "open a ticket about X"', () => {
  const named: [string, string][] = [
    ['please open a ticket about my broken charger', 'My broken charger'],
    ['Open a ticket about   my broken charger, please.', 'My broken charger'],
    ['open a ticket for me about the v2.3 update crashing. Thanks', 'The v2.3 update crashing'],
    ['contact support regarding billing', 'Billing'],
    ['I want to talk to a human about "sync errors"', 'Sync errors'],
  ];
  for (const [text, subject] of named) {
    it(`"${text}" → "${subject}"`, () => {
      assert.deepEqual(detectIntent(text), { kind: 'open_ticket', subject });
    });
  }

  it('caps a long subject at 80 characters with an ellipsis', () => {
    const intent = detectIntent(`open a ticket about ${'the export '.repeat(20)}`);
    assert.equal(intent.kind, 'open_ticket');
    const subject = intent.kind === 'open_ticket' ? intent.subject! : '';
    assert.equal(subject.length, 80);
    assert.match(subject, /^The export the export .*…$/);
  });

  const unnamed: [string, string][] = [
    ['no "about"', 'please open a ticket'],
    ['"about" with nothing after it', 'open a ticket about'],
    ['"about it"', 'open a ticket about it'],
    ['"about this issue"', 'open a ticket about this issue!'],
    ['"about" only before the request', 'I asked about refunds, please open a ticket'],
    ['"about" after a comma, in another clause', "talk to a human, I'm worried about my data"],
    ['"about" more than three words after the request', 'open a ticket because I am worried about my data'],
  ];
  for (const [what, text] of unnamed) {
    it(`no subject for ${what}: "${text}"`, () => {
      assert.deepEqual(detectIntent(text), { kind: 'open_ticket' });
    });
  }
});

describe('ticket subject through the backend', () => {
  it('requests approval, runs open_ticket and replies with the subject from "about X"', async () => {
    const t = thread();
    await collect(backend.run(textInput('My notes are not syncing', t), ctxFor(alice)));
    const events = await collect(backend.run(textInput('please open a ticket about my broken charger', t), ctxFor(alice)));
    const [approval] = only(events, 'approval.requested');
    const args = approval!.arguments as { subject: string; summary: string };
    assert.equal(args.subject, 'My broken charger');
    assert.match(args.summary, /open a ticket about my broken charger/);
    assert.match(args.summary, /not syncing/, 'the earlier question stays in the summary');

    const done = await collect(backend.approve({ run_id: approval!.run_id, approval_id: approval!.approval_id, decision: 'approve', stream: true }, ctxFor(alice)));
    assert.deepEqual(only(done, 'tool_call.started')[0]!.arguments, args);
    assert.equal((only(done, 'tool_call.completed')[0]!.output as { subject: string }).subject, 'My broken charger');
    assert.match(textOf(done), /\("My broken charger"\)/);
  });

  it('falls back to the earlier question when "about" names nothing', async () => {
    const t = thread();
    await collect(backend.run(textInput('My notes are not syncing', t), ctxFor(alice)));
    const events = await collect(backend.run(textInput('open a ticket about it', t), ctxFor(alice)));
    assert.equal((only(events, 'approval.requested')[0]!.arguments as { subject: string }).subject, 'My notes are not syncing');
  });

  it('falls back to the generic subject for a first message without "about"', async () => {
    const events = await collect(backend.run(textInput('please open a ticket', thread()), ctxFor(alice)));
    assert.equal((only(events, 'approval.requested')[0]!.arguments as { subject: string }).subject, 'Support request from the help chat');
  });
});
