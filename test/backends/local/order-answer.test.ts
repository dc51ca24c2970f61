// The visitor's reply to "What's the order number?": a bare id right after the question is looked
// up like "order 12345"; anywhere else it is an ordinary message.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { detectIntent } from '../../../src/backends/local/intents.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import type { RunEvent, RunEventOf } from '../../../src/protocol/types.js';
import { alice, bob, collect, ctxFor, textInput, textOf, typesOf } from './fixtures/turns.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const filesDir = mkdtempSync(join(tmpdir(), 'ic-order-answer-test-'));
after(() => rmSync(filesDir, { recursive: true, force: true }));

const backend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 0, filesDir });
const ASK = 'where is my order?';

function only<K extends RunEvent['type']>(events: readonly RunEvent[], type: K): RunEventOf<K>[] {
  return events.filter((e): e is RunEventOf<K> => e.type === type);
}

function thread(): string {
  return `chat_${Math.random().toString(36).slice(2)}`;
}

function say(text: string, threadId: string, visitor = alice): Promise<RunEvent[]> {
  return collect(backend.run(textInput(text, threadId), ctxFor(visitor)));
}

/** The thread where the assistant has just asked for the order number. */
async function asked(visitor = alice): Promise<string> {
  const t = thread();
  const events = await say(ASK, t, visitor);
  assert.match(textOf(events), /What's the order number\?/);
  return t;
}

describe('order id in the answer to "What\'s the order number?"', () => {
  const taken: [string, string][] = [
    ['12345', '12345'],
    ['#12345', '12345'],
    ['A-1001', 'A-1001'],
    ['a1001', 'a1001'],
    ["it's 10042", '10042'],
    ['It’s A-1001.', 'A-1001'],
    ['the number is 10042', '10042'],
    ['sure, it is 12345', '12345'],
    ['12345 please', '12345'],
    ['10042 I think', '10042'],
    ["I don't remember exactly, but I think it's 10042", '10042'],
    ['12345, it was due on Monday', '12345'],
    ["it's 12345, where is my order?", '12345'],
    // A year-shaped number alone, or introduced as the number, is what the visitor answered.
    ['2024', '2024'],
    ['#2024', '2024'],
    ['the number is 2024', '2024'],
    ['A-2024', 'A-2024'],
  ];
  for (const [text, id] of taken) {
    it(`"${text}" → ${id}, and only right after the question`, () => {
      assert.deepEqual(detectIntent(text, { afterOrderQuestion: true }), { kind: 'lookup_order', orderId: id });
      if (!/order/i.test(text)) assert.notEqual(detectIntent(text).kind, 'lookup_order', 'without the question it is no order id');
    });
  }

  const refused: [string, string][] = [
    ['not knowing', "I don't know"],
    ['changing the subject', 'never mind'],
    ['a question back', 'how do I find my order number?'],
    ['a year after "in"', 'I ordered it in 2024'],
    ['a year after a bare "order"', 'order 2024'],
    ['a hedged year', 'maybe 2024'],
    ['a year followed by a clause', '2024, when I ordered it'],
    ['a fiscal year', 'FY2024'],
    ['a month and year', 'Jan-2024'],
    ['an ISO date', '2024-05-01'],
    ['a slash date', '12/05/2024'],
    ['a price with a currency sign', '$1234'],
    ['a price with decimals', '1500.00'],
    ['a price in words', 'I paid 1234 dollars'],
    ['a quantity', '1500 sheets'],
    ['a phone number', '555-123-4567'],
    ['a long digit run', '5551234567'],
    ['another kind of number', 'my customer code is 12345'],
    ['two candidate ids', '12345 or 10042'],
    ['a long message', 'thanks, I found it in the email from the shop, it is 12345, and it was due last week'],
  ];
  for (const [what, text] of refused) {
    it(`not ${what}: "${text}"`, () => {
      assert.notEqual(detectIntent(text, { afterOrderQuestion: true }).kind, 'lookup_order');
    });
  }

  it('a ticket request still wins', () => {
    assert.equal(detectIntent('open a ticket about 12345', { afterOrderQuestion: true }).kind, 'open_ticket');
  });
});

describe('answering the order question through the backend', () => {
  it('looks up the bare number exactly as "order 12345" would', async () => {
    const t = await asked();
    const events = await say('12345', t);
    assert.deepEqual(typesOf(events), ['run.started', 'tool_call.started', 'tool_call.completed', 'message.delta', 'run.completed']);
    const [started] = only(events, 'tool_call.started');
    assert.equal(started!.name, 'lookup_order');
    assert.deepEqual(started!.arguments, { order_id: '12345' });

    const direct = await say('order 12345', thread());
    assert.deepEqual(only(events, 'tool_call.completed')[0]!.output, only(direct, 'tool_call.completed')[0]!.output);
    assert.equal(textOf(events), textOf(direct));
    assert.match(textOf(events), /out for delivery/);
  });

  it('normalises "a1001" and answers from the order table', async () => {
    const events = await say('it is a1001', await asked());
    assert.deepEqual(only(events, 'tool_call.started')[0]!.arguments, { order_id: 'A-1001' });
    assert.equal((only(events, 'tool_call.completed')[0]!.output as { carrier: string }).carrier, 'UPS');
  });

  it('takes a bare "2024" as the answer and says no such order exists', async () => {
    const events = await say('2024', await asked());
    assert.deepEqual(only(events, 'tool_call.started')[0]!.arguments, { order_id: '2024' });
    assert.equal(only(events, 'tool_call.completed')[0]!.is_error, true);
    assert.match(textOf(events), /couldn't find an order \*\*2024\*\*/);
  });

  it('marks the question in the stored history, and only the question', async () => {
    const t = await asked();
    assert.equal(backend.history(alice, t).at(-1)!.asked, 'order_id');
    await say('12345', t);
    const messages = backend.history(alice, t);
    assert.deepEqual(
      messages.map((m) => m.asked),
      [undefined, 'order_id', undefined, undefined],
    );
  });

  it('does not look up the number in another thread, or for another visitor with the same thread id', async () => {
    const t = await asked(alice);
    for (const events of [await say('12345', thread(), alice), await say('12345', t, bob)]) {
      assert.deepEqual(only(events, 'tool_call.started'), []);
    }
    assert.equal(only(await say('12345', t, alice), 'tool_call.started').length, 1, 'the asked thread still takes it');
  });

  it('does not look up the number two turns after the question', async () => {
    for (const between of ["I don't know", 'hello']) {
      const t = await asked();
      await say(between, t);
      const events = await say('12345', t);
      assert.deepEqual(only(events, 'tool_call.started'), [], `after "${between}"`);
    }
  });

  it('answers a non-id reply as it would in a fresh thread', async () => {
    for (const reply of ["I don't know", 'never mind', 'how do I find my order number?', 'I ordered it in 2024']) {
      const events = await say(reply, await asked());
      const fresh = await say(reply, thread());
      assert.deepEqual(only(events, 'tool_call.started'), [], reply);
      assert.equal(textOf(events), textOf(fresh), reply);
    }
  });

  it('asks again when the reply is still about the order without a number, and takes the number after that', async () => {
    const t = await asked();
    assert.match(textOf(await say("I don't know, where is my order?", t)), /What's the order number\?/);
    assert.equal(only(await say('#10042', t), 'tool_call.started').length, 1);
  });

  it('does not treat the question as asked when Stop cut it off', async () => {
    const slow = createLocalBackend({ articles: [], delayMs: 5, filesDir });
    const t = thread();
    const it = slow.run(textInput(ASK, t), ctxFor(alice))[Symbol.asyncIterator]();
    const runId = ((await it.next()).value as RunEvent).run_id;
    assert.equal((await it.next()).value?.type, 'message.delta');
    await slow.cancel(runId, ctxFor(alice));
    for (let r = await it.next(); !r.done; r = await it.next()) assert.notEqual(r.value.type, 'tool_call.started');
    assert.equal(slow.history(alice, t).at(-1)!.asked, undefined);
    const events = await collect(slow.run(textInput('12345', t), ctxFor(alice)));
    assert.deepEqual(only(events, 'tool_call.started'), []);
  });
});

describe('answering the order question over HTTP', () => {
  let server: ServeHandle;
  let api: string;
  before(async () => {
    server = await serve(createSupportHandler({ backend, basePath: '/api/support', rateLimit: false }), { port: 0 });
    api = `${server.url}/api/support`;
  });
  after(() => server.close());

  async function newVisitor(): Promise<string> {
    const res = await fetch(`${api}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  }

  async function run(cookie: string, threadId: string, text: string): Promise<{ tool_calls: { name: string; arguments: unknown }[]; output: { content: string }[] }> {
    const res = await fetch(`${api}/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({ thread_id: threadId, input: [{ role: 'user', content: text }], stream: false }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { tool_calls: { name: string; arguments: unknown }[]; output: { content: string }[] };
  }

  it('looks up the number in the thread that asked for it, not in another thread or for another visitor', async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    assert.match((await run(alice, 'chat_http_ask', ASK)).output[0]!.content, /What's the order number\?/);
    assert.deepEqual((await run(alice, 'chat_http_other', 'A-1001')).tool_calls, []);
    assert.deepEqual((await run(bob, 'chat_http_ask', 'A-1001')).tool_calls, []);

    const answered = await run(alice, 'chat_http_ask', 'A-1001');
    assert.equal(answered.tool_calls.length, 1);
    assert.equal(answered.tool_calls[0]!.name, 'lookup_order');
    assert.deepEqual(answered.tool_calls[0]!.arguments, { order_id: 'A-1001' });
    assert.match(answered.output[0]!.content, /in transit/);
  });
});
