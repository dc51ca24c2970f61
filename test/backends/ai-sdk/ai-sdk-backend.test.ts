// createAiSdkBackend behind the real core handler on a real HTTP server, driven by the protocol's
// own client, over the AI SDK's MockLanguageModelV3 + simulateReadableStream.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { jsonSchema, tool, type ToolSet } from 'ai';
import { createAiSdkBackend, type AiSdkBackendOptions } from '../../../src/backends/ai-sdk/index.js';
import { continueRun, cancelRun, startRun, type RunEvent, type RunEventOf } from '../../../src/protocol/index.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { PDF, PNG, dataUrl, postJson, startSupport, type RunningSupport } from '../core/support-test-kit.js';
import { finish, promptSummary, scriptedModel, text, toolCall, type Script } from './ai-sdk-test-kit.js';

let running: RunningSupport | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

/** Serves the backend; visitors are told apart by an `x-user` header through `identify`. */
async function serveBackend<T extends ToolSet>(scripts: Script[], options: Partial<AiSdkBackendOptions<T>> = {}) {
  const model = scriptedModel(scripts);
  const errors: unknown[] = [];
  const backend = createAiSdkBackend<T>({ model, onError: (e) => errors.push(e), ...options });
  running = await startSupport({
    backend,
    identify: (request) => {
      const user = request.headers.get('x-user');
      return user ? { user_id: user } : null;
    },
  });
  return { model, backend, errors, endpoint: running.endpoint };
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const as = (user: string) => ({ headers: { 'x-user': user } });
const say = (endpoint: string, content: string, user = 'ada', thread_id = 'chat_one', signal?: AbortSignal) =>
  startRun(endpoint, { thread_id, input: [{ role: 'user', content }], stream: true }, { ...as(user), ...(signal ? { signal } : {}) });
const types = (events: RunEvent[]) => events.map((e) => e.type);
const textOf = (events: RunEvent[]) =>
  events
    .filter((e): e is RunEventOf<'message.delta'> => e.type === 'message.delta')
    .map((e) => e.delta)
    .join('');
const one = <K extends RunEvent['type']>(events: RunEvent[], type: K) => {
  const found = events.filter((e): e is RunEventOf<K> => e.type === type);
  assert.equal(found.length, 1, `one ${type}`);
  return found[0]!;
};

const orderTool = {
  lookup_order: tool({
    description: 'Looks up an order',
    inputSchema: jsonSchema<{ order_id: string }>({ type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] }),
    execute: async ({ order_id }) => ({ order_id, status: 'shipped' }),
  }),
};

function ticketTool(executed: string[]) {
  return {
    open_ticket: tool({
      description: 'Opens a support ticket',
      inputSchema: jsonSchema<{ subject: string }>({ type: 'object', properties: { subject: { type: 'string' } }, required: ['subject'] }),
      needsApproval: true,
      execute: async ({ subject }) => {
        executed.push(subject);
        return { ticket_id: 'T-1001' };
      },
    }),
  };
}

describe('createAiSdkBackend()', () => {
  it('streams a text reply as v1 events', async () => {
    const { endpoint, model } = await serveBackend([{ parts: [...text('Hello', ' there', '!'), finish('stop')] }], { system: 'You are the support assistant.' });
    const events = await collect(say(endpoint, 'Hi'));
    assert.deepEqual(types(events), ['run.started', 'message.delta', 'message.delta', 'message.delta', 'run.completed']);
    const started = one(events, 'run.started');
    assert.equal(started.thread_id, 'chat_one');
    assert.match(started.run_id, /^run_[0-9a-f]{24}$/);
    assert.ok(events.every((e) => e.run_id === started.run_id && e.v === 1));
    assert.equal(textOf(events), 'Hello there!');
    assert.equal(one(events, 'run.completed').stop_reason, 'end_turn');
    assert.deepEqual(promptSummary(model.doStreamCalls[0]!), ['system: You are the support assistant.', 'user: Hi']);
  });

  it('reports a reply cut by the token limit as max_tokens', async () => {
    const { endpoint } = await serveBackend([{ parts: [...text('A long'), finish('length')] }]);
    const events = await collect(say(endpoint, 'Tell me everything'));
    assert.equal(one(events, 'run.completed').stop_reason, 'max_tokens');
  });

  it('answers stream:false with one JSON result', async () => {
    const { endpoint } = await serveBackend([{ parts: [...text('Hello', ' JSON'), finish('stop')] }]);
    const res = await postJson(`${endpoint}/runs`, { thread_id: 'chat_json', input: [{ role: 'user', content: 'Hi' }], stream: false }, { 'x-user': 'ada' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; stop_reason: string; output: { content: string }[]; thread_id: string };
    assert.equal(body.status, 'completed');
    assert.equal(body.stop_reason, 'end_turn');
    assert.equal(body.output[0]!.content, 'Hello JSON');
    assert.equal(body.thread_id, 'chat_json');
  });

  it('maps a tool call and its result, then the answer that uses it', async () => {
    const { endpoint, model } = await serveBackend(
      [{ parts: [toolCall('call_1', 'lookup_order', { order_id: 'A-42' }), finish('tool-calls')] }, { parts: [...text('Order A-42 has shipped.'), finish('stop')] }],
      { tools: orderTool },
    );
    const events = await collect(say(endpoint, 'Where is order A-42?'));
    assert.deepEqual(types(events), ['run.started', 'tool_call.started', 'tool_call.completed', 'message.delta', 'run.completed']);
    const started = one(events, 'tool_call.started');
    assert.deepEqual([started.tool_call_id, started.name, started.arguments], ['call_1', 'lookup_order', { order_id: 'A-42' }]);
    const done = one(events, 'tool_call.completed');
    assert.deepEqual(done.output, { order_id: 'A-42', status: 'shipped' });
    assert.equal(done.is_error, undefined);
    assert.equal(one(events, 'run.completed').stop_reason, 'end_turn');
    assert.deepEqual(promptSummary(model.doStreamCalls[1]!).slice(1), [
      'assistant: [call lookup_order {"order_id":"A-42"}]',
      'tool: [result lookup_order {"type":"json","value":{"order_id":"A-42","status":"shipped"}}]',
    ]);
  });

  it('reports a failing tool as a tool call completed with an error', async () => {
    const failing = {
      lookup_order: tool({
        inputSchema: jsonSchema<{ order_id: string }>({ type: 'object', properties: { order_id: { type: 'string' } } }),
        execute: async ({ order_id }) => {
          if (order_id) throw new Error('Order service unavailable');
          return { order_id };
        },
      }),
    };
    const { endpoint } = await serveBackend(
      [{ parts: [toolCall('call_2', 'lookup_order', { order_id: 'B-1' }), finish('tool-calls')] }, { parts: [...text('Sorry, I could not look it up.'), finish('stop')] }],
      { tools: failing },
    );
    const events = await collect(say(endpoint, 'Where is order B-1?'));
    const done = one(events, 'tool_call.completed');
    assert.equal(done.is_error, true);
    assert.equal(done.output, 'Order service unavailable');
    assert.equal(textOf(events), 'Sorry, I could not look it up.');
  });

  it('asks for approval, then runs the tool and continues the same run when approved', async () => {
    const executed: string[] = [];
    const { endpoint, model } = await serveBackend(
      [
        { parts: [...text('I can open a ticket.'), toolCall('call_t', 'open_ticket', { subject: 'Invoice' }), finish('tool-calls')] },
        { parts: [...text('Ticket T-1001 is open.'), finish('stop')] },
        { parts: [...text('You are welcome.'), finish('stop')] },
      ],
      { tools: ticketTool(executed) },
    );
    const first = await collect(say(endpoint, 'Open a ticket about my invoice'));
    assert.deepEqual(types(first), ['run.started', 'message.delta', 'approval.requested', 'run.completed']);
    const asked = one(first, 'approval.requested');
    assert.deepEqual([asked.tool_call_id, asked.name, asked.arguments], ['call_t', 'open_ticket', { subject: 'Invoice' }]);
    assert.equal(one(first, 'run.completed').stop_reason, 'awaiting_approval');
    assert.deepEqual(executed, [], 'nothing runs before the decision');

    const runId = asked.run_id;
    const next = await collect(continueRun(endpoint, runId, asked.approval_id, { decision: 'approve' }, as('ada')));
    assert.deepEqual(types(next), ['run.started', 'tool_call.started', 'tool_call.completed', 'message.delta', 'run.completed']);
    assert.ok(
      next.every((e) => e.run_id === runId),
      'the continuation is the same run',
    );
    assert.deepEqual(one(next, 'tool_call.started').arguments, { subject: 'Invoice' });
    assert.deepEqual(one(next, 'tool_call.completed').output, { ticket_id: 'T-1001' });
    assert.equal(textOf(next), 'Ticket T-1001 is open.');
    assert.equal(one(next, 'run.completed').stop_reason, 'end_turn');
    assert.deepEqual(executed, ['Invoice']);
    assert.ok(promptSummary(model.doStreamCalls[1]!).includes('tool: [result open_ticket {"type":"json","value":{"ticket_id":"T-1001"}}]'));

    // Another decision for the decided approval is refused (409 conflict, by the core's record of it).
    await assert.rejects(collect(continueRun(endpoint, runId, asked.approval_id, { decision: 'deny' }, as('ada'))), (err: unknown) => {
      assert.ok(err instanceof ProtocolError);
      assert.equal(err.status, 409);
      return true;
    });
    assert.deepEqual(executed, ['Invoice']);

    // The next turn's history holds the whole run: the call, its real result, both texts.
    await collect(say(endpoint, 'Thanks'));
    assert.deepEqual(promptSummary(model.doStreamCalls[2]!), [
      'user: Open a ticket about my invoice',
      'assistant: I can open a ticket. [call open_ticket {"subject":"Invoice"}]',
      'tool: [result open_ticket {"type":"json","value":{"ticket_id":"T-1001"}}]',
      'assistant: Ticket T-1001 is open.',
      'user: Thanks',
    ]);
  });

  it('continues with the denial when denied, without running the tool', async () => {
    const executed: string[] = [];
    const { endpoint, model } = await serveBackend(
      [{ parts: [toolCall('call_d', 'open_ticket', { subject: 'Refund' }), finish('tool-calls')] }, { parts: [...text('OK, no ticket.'), finish('stop')] }],
      { tools: ticketTool(executed) },
    );
    const asked = one(await collect(say(endpoint, 'Open a ticket')), 'approval.requested');
    const next = await collect(continueRun(endpoint, asked.run_id, asked.approval_id, { decision: 'deny' }, as('ada')));
    assert.deepEqual(types(next), ['run.started', 'tool_call.completed', 'message.delta', 'run.completed']);
    const done = one(next, 'tool_call.completed');
    assert.equal(done.tool_call_id, 'call_d');
    assert.equal(done.is_error, true);
    assert.deepEqual(executed, []);
    assert.ok(promptSummary(model.doStreamCalls[1]!).some((line) => line.startsWith('tool: [result open_ticket {"type":"execution-denied"')));
  });

  it("refuses another visitor's decision and unknown approvals", async () => {
    const executed: string[] = [];
    const { endpoint } = await serveBackend([{ parts: [toolCall('call_x', 'open_ticket', { subject: 'X' }), finish('tool-calls')] }], { tools: ticketTool(executed) });
    const asked = one(await collect(say(endpoint, 'Open a ticket', 'ada')), 'approval.requested');
    for (const [runId, approvalId, user] of [
      [asked.run_id, asked.approval_id, 'mallory'],
      [asked.run_id, 'apr_unknown', 'ada'],
      ['run_unknown', asked.approval_id, 'ada'],
    ] as const) {
      await assert.rejects(collect(continueRun(endpoint, runId, approvalId, { decision: 'approve' }, as(user))), (err: unknown) => {
        assert.ok(err instanceof ProtocolError);
        assert.equal(err.status, 404);
        assert.equal(err.code, 'not_found');
        return true;
      });
    }
    assert.deepEqual(executed, []);
  });

  it('lets the visitor move on from an undecided approval', async () => {
    const executed: string[] = [];
    const { endpoint, model } = await serveBackend(
      [{ parts: [toolCall('call_u', 'open_ticket', { subject: 'Later' }), finish('tool-calls')] }, { parts: [...text('Sure, something else.'), finish('stop')] }],
      { tools: ticketTool(executed) },
    );
    const asked = one(await collect(say(endpoint, 'Open a ticket')), 'approval.requested');
    const next = await collect(say(endpoint, 'Never mind, another question'));
    assert.equal(textOf(next), 'Sure, something else.');
    const prompt = promptSummary(model.doStreamCalls[1]!);
    assert.ok(
      prompt.some((line) => line.startsWith('tool: [result open_ticket {"type":"execution-denied"')),
      prompt.join('\n'),
    );
    assert.equal(prompt.at(-1), 'user: Never mind, another question');
    // The old approval can no longer be decided.
    await assert.rejects(collect(continueRun(endpoint, asked.run_id, asked.approval_id, { decision: 'approve' }, as('ada'))), ProtocolError);
    assert.deepEqual(executed, []);
  });

  it('keeps history per visitor and per thread', async () => {
    const { endpoint, model } = await serveBackend([
      { parts: [...text('First answer.'), finish('stop')] },
      { parts: [...text('Second answer.'), finish('stop')] },
      { parts: [...text('Other thread.'), finish('stop')] },
      { parts: [...text('Other visitor.'), finish('stop')] },
    ]);
    await collect(say(endpoint, 'First question', 'ada', 'chat_a'));
    await collect(say(endpoint, 'Second question', 'ada', 'chat_a'));
    await collect(say(endpoint, 'New thread question', 'ada', 'chat_b'));
    await collect(say(endpoint, 'Same thread id, other visitor', 'bob', 'chat_a'));
    assert.deepEqual(promptSummary(model.doStreamCalls[1]!), ['user: First question', 'assistant: First answer.', 'user: Second question']);
    assert.deepEqual(promptSummary(model.doStreamCalls[2]!), ['user: New thread question']);
    assert.deepEqual(promptSummary(model.doStreamCalls[3]!), ['user: Same thread id, other visitor']);
  });

  it('passes attachments to the model as image and file parts with their checked type', async () => {
    const { endpoint, model } = await serveBackend([{ parts: [...text('I see a screenshot and an invoice.'), finish('stop')] }]);
    const events = await collect(
      startRun(
        endpoint,
        {
          thread_id: 'chat_files',
          input: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'See attached' },
                { type: 'image', image: dataUrl('image/png', PNG) },
                { type: 'file', filename: 'invoice.pdf', data: dataUrl('application/pdf', PDF) },
              ],
            },
          ],
          stream: true,
        },
        as('ada'),
      ),
    );
    assert.equal(one(events, 'run.completed').stop_reason, 'end_turn');
    const user = model.doStreamCalls[0]!.prompt[0]!;
    assert.equal(user.role, 'user');
    const [textPart, image, file] = user.content as { type: string; mediaType?: string; filename?: string; data?: unknown; text?: string }[];
    assert.equal(textPart!.text, 'See attached');
    assert.equal(image!.type, 'file');
    assert.equal(image!.mediaType, 'image/png');
    assert.deepEqual(Buffer.from(toBytes(image!.data)), Buffer.from(PNG));
    assert.equal(file!.mediaType, 'application/pdf');
    assert.equal(file!.filename, 'invoice.pdf');
    assert.deepEqual(Buffer.from(toBytes(file!.data)), Buffer.from(PDF));
  });

  it('stops the model when the visitor cancels, and says so', async () => {
    const { endpoint, model } = await serveBackend([{ parts: [...text('one ', 'two ', 'three ', 'four ', 'five ', 'six '), finish('stop')], chunkDelayInMs: 40 }]);
    const events: RunEvent[] = [];
    for await (const e of say(endpoint, 'Count slowly')) {
      events.push(e);
      if (e.type === 'message.delta' && e.delta === 'two ') assert.equal(await cancelRun(endpoint, e.run_id, as('ada')), true);
    }
    assert.equal(events.at(-1)!.type, 'run.completed');
    assert.equal((events.at(-1) as RunEventOf<'run.completed'>).stop_reason, 'cancelled');
    assert.ok(!textOf(events).includes('six'), 'the reply stopped');
    assert.equal(model.doStreamCalls[0]!.abortSignal?.aborted, true);
  });

  it("refuses to cancel another visitor's run", async () => {
    const { endpoint } = await serveBackend([{ parts: [...text('a ', 'b ', 'c '), finish('stop')], chunkDelayInMs: 40 }]);
    const events: RunEvent[] = [];
    for await (const e of say(endpoint, 'Go')) {
      events.push(e);
      if (e.type === 'run.started') assert.equal(await cancelRun(endpoint, e.run_id, as('mallory')), false);
    }
    assert.equal((events.at(-1) as RunEventOf<'run.completed'>).stop_reason, 'end_turn');
    assert.equal(textOf(events), 'a b c ');
  });

  it('keeps the model going when the client goes away (the reply can be resumed); Stop aborts it', async () => {
    const { endpoint, model } = await serveBackend([
      { parts: [...text('one ', 'two ', 'three '), finish('stop')], chunkDelayInMs: 20 },
      { parts: [...text('a ', 'b ', 'c ', 'd ', 'e ', 'f ', 'g ', 'h '), finish('stop')], chunkDelayInMs: 40 },
    ]);
    const controller = new AbortController();
    let runId = '';
    await assert.rejects(async () => {
      for await (const e of say(endpoint, 'Count', 'ada', 'chat_one', controller.signal)) {
        runId = e.run_id;
        if (e.type === 'message.delta') controller.abort();
      }
    });
    const resumed = await fetch(`${endpoint}/runs/${runId}/events`, as('ada'));
    const replay = await resumed.text();
    assert.match(replay, /event: run\.completed/);
    assert.equal(model.doStreamCalls[0]!.abortSignal?.aborted, false, 'the model was not aborted');
    assert.equal((replay.match(/"delta":"[^"]*"/g) ?? []).join(''), '"delta":"one ""delta":"two ""delta":"three "');

    // Stop is what ends a run: the model's signal is aborted.
    const second = say(endpoint, 'Count more', 'ada', 'chat_two')[Symbol.asyncIterator]();
    const started = (await second.next()).value as RunEvent;
    const cancel = await fetch(`${endpoint}/runs/${started.run_id}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'ada' }, body: '{}' });
    assert.equal(cancel.status, 200);
    for (let i = 0; i < 100 && !model.doStreamCalls[1]!.abortSignal?.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(model.doStreamCalls[1]!.abortSignal?.aborted, true);
    while (!(await second.next()).done);
  });

  it('turns model errors into run.failed without leaking them', async () => {
    const { endpoint, errors } = await serveBackend([
      { parts: [...text('Partial'), { type: 'error', error: new Error('secret upstream detail') }, finish('error')] },
      { parts: [], throws: new Error('connection refused to 10.0.0.5') },
    ]);
    const streamed = await collect(say(endpoint, 'Hi'));
    assert.deepEqual(types(streamed), ['run.started', 'message.delta', 'run.failed']);
    const failed = one(streamed, 'run.failed');
    assert.equal(failed.error.code, 'upstream_error');
    assert.doesNotMatch(failed.error.message, /secret/);

    const thrown = await collect(say(endpoint, 'Hi again'));
    const failed2 = one(thrown, 'run.failed');
    assert.doesNotMatch(failed2.error.message, /10\.0\.0\.5/);
    assert.equal(errors.length, 2, 'each error reaches onError');
    assert.match(String(errors[0]), /secret upstream detail/);
  });
});

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') return new Uint8Array(Buffer.from(data.replace(/^data:[^,]*,/, ''), 'base64'));
  if (data instanceof URL) return new Uint8Array(Buffer.from(data.href.replace(/^data:[^,]*,/, ''), 'base64'));
  throw new TypeError(`Unexpected file data ${String(data)}`);
}
