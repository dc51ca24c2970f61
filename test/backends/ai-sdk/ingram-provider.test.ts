// The Ingram provider driving the AI SDK's own streamText/generateText against the Ingram emulator,
// served over real HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APICallError } from '@ai-sdk/provider';
import { generateText, streamText, type ModelMessage, type TextStreamPart, type ToolSet } from 'ai';
import { createIngram, IngramRunError } from '../../../src/backends/ai-sdk/index.js';
import { createIngramEmulator, EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import { PDF, PNG, dataUrl } from '../core/support-test-kit.js';

const TOKEN = 'ic_test_token';

interface Upstream {
  baseURL: string;
  server: ServeHandle;
  /** Every request body the emulator received, by path. */
  bodies: { path: string; body: Record<string, unknown> }[];
}

async function startEmulator(options: { deltaDelayMs?: number } = {}): Promise<Upstream> {
  const emulator = createIngramEmulator({ token: TOKEN, ...options });
  const bodies: Upstream['bodies'] = [];
  const server = await serve(
    async (request) => {
      if (request.method === 'POST') {
        const text = await request.clone().text();
        bodies.push({ path: new URL(request.url).pathname, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      }
      return emulator(request);
    },
    { port: 0 },
  );
  return { baseURL: `${server.url}/v1`, server, bodies };
}

async function createSmith(up: Upstream, externalId: string): Promise<string> {
  const res = await fetch(`${up.baseURL}/smiths`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'IC-Api-Version': '2026-05-01', 'Content-Type': 'application/json' },
    body: JSON.stringify({ external_id: externalId, agent_id: EMULATOR_AGENT_ID, auto_memory: false }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

async function getRun(up: Upstream, smithId: string, runId: string): Promise<{ status: string; stop_reason: string | null; input: unknown[] }> {
  const res = await fetch(`${up.baseURL}/smiths/${smithId}/runs/${runId}`, {
    headers: { Authorization: `Bearer ${TOKEN}`, 'IC-Api-Version': '2026-05-01' },
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { status: string; stop_reason: string | null; input: unknown[] };
}

async function parts(result: { fullStream: AsyncIterable<TextStreamPart<ToolSet>> }): Promise<TextStreamPart<ToolSet>[]> {
  const out: TextStreamPart<ToolSet>[] = [];
  for await (const part of result.fullStream) out.push(part);
  return out;
}

describe('createIngram() provider', () => {
  let up: Upstream;
  let smithId: string;
  let ingram: ReturnType<typeof createIngram>;

  before(async () => {
    up = await startEmulator();
    smithId = await createSmith(up, 'anon:provider-test');
    ingram = createIngram({ token: TOKEN, baseURL: up.baseURL });
  });
  after(() => up.server.close());

  it('is a LanguageModelV3 named after the smith', () => {
    const model = ingram.smith(smithId);
    assert.equal(model.specificationVersion, 'v3');
    assert.equal(model.provider, 'ingram');
    assert.equal(model.modelId, smithId);
    assert.equal(ingram(smithId).modelId, smithId);
    assert.equal(ingram.languageModel(smithId).modelId, smithId);
    assert.throws(() => createIngram({ token: '' }), /token/);
  });

  it('streams text through streamText and keeps the thread on the server', async () => {
    const threadId = 'chat_provider_text';
    const first = streamText({ model: ingram.smith(smithId), prompt: 'How do I reset my password?', providerOptions: { ingram: { threadId } } });
    const firstParts = await parts(first);
    const deltas = firstParts.filter((p) => p.type === 'text-delta');
    assert.ok(deltas.length > 3, 'the reply arrives in several deltas');
    const text = await first.text;
    assert.match(text, /turn 1 in this thread/);
    assert.match(text, /You said: “How do I reset my password\?”/);
    assert.equal(await first.finishReason, 'stop');
    assert.deepEqual(
      firstParts
        .map((p) => p.type)
        .filter((t) => t.startsWith('text-'))
        .at(0),
      'text-start',
    );
    const metadata = (await first.providerMetadata)?.['ingram'] as { runId: string; threadId: string; stopReason: string };
    assert.match(metadata.runId, /^run_/);
    assert.equal(metadata.threadId, threadId);
    assert.equal(metadata.stopReason, 'end_turn');

    // The whole conversation is given, as useChat does: only the newest user message goes upstream.
    const messages: ModelMessage[] = [
      { role: 'user', content: 'How do I reset my password?' },
      { role: 'assistant', content: text },
      { role: 'user', content: 'And my email?' },
    ];
    const second = streamText({ model: ingram.smith(smithId), messages, providerOptions: { ingram: { threadId } } });
    const secondText = await second.text;
    assert.match(secondText, /turn 2 in this thread/);
    assert.match(secondText, /Earlier in this conversation you asked: “How do I reset my password\?”/);
    const sent = up.bodies.filter((b) => b.path === `/v1/smiths/${smithId}/runs`).at(-1)!.body;
    assert.deepEqual(sent, { input: [{ role: 'user', content: 'And my email?' }], thread_id: threadId, stream: true });
  });

  it('warns that system prompts and client settings are not sent', async () => {
    const result = streamText({ model: ingram.smith(smithId), system: 'Be terse.', prompt: 'hi', temperature: 0.2 });
    await result.text;
    const warnings = (await result.warnings) ?? [];
    assert.ok(warnings.some((w) => w.type === 'unsupported' && w.feature === 'system'));
    assert.ok(warnings.some((w) => w.type === 'unsupported' && w.feature === 'temperature'));
  });

  it('maps hosted tool calls onto provider-executed tool-call and tool-result parts', async () => {
    const result = streamText({ model: ingram.smith(smithId), prompt: 'Can you search the web for pricing?' });
    const all = await parts(result);
    const call = all.find((p) => p.type === 'tool-call');
    const res = all.find((p) => p.type === 'tool-result');
    assert.ok(call && call.type === 'tool-call');
    assert.equal(call.toolName, 'web_search');
    assert.equal(call.providerExecuted, true);
    assert.deepEqual(call.input, { query: 'Can you search the web for pricing?' });
    assert.ok(res && res.type === 'tool-result');
    assert.equal(res.toolCallId, call.toolCallId);
    assert.match(JSON.stringify(res.output), /Emulated result/);
    // Text that follows a tool call is a new text block, after the result.
    const firstText = all.findIndex((p) => p.type === 'text-delta');
    assert.ok(firstText > all.indexOf(res));
    assert.match(await result.text, /I searched the web/);
  });

  async function askForTicket(threadId: string) {
    const messages: ModelMessage[] = [{ role: 'user', content: 'Please open a ticket about my invoice.' }];
    const result = streamText({ model: ingram.smith(smithId), messages, providerOptions: { ingram: { threadId } } });
    const all = await parts(result);
    const request = all.find((p) => p.type === 'tool-approval-request');
    assert.ok(request && request.type === 'tool-approval-request', 'an approval is requested');
    assert.equal(request.toolCall.toolName, 'open_ticket');
    assert.deepEqual(request.toolCall.input, { subject: 'Please open a ticket about my invoice.' });
    assert.equal(await result.finishReason, 'tool-calls');
    const response = await result.response;
    return { messages: [...messages, ...response.messages], approvalId: request.approvalId, runId: response.id };
  }

  it('asks for approval and continues the same run when approved', async () => {
    const { messages, approvalId, runId } = await askForTicket('chat_provider_approve');
    const run = await getRun(up, smithId, runId);
    assert.equal(run.status, 'awaiting_approval');

    const continued = streamText({
      model: ingram.smith(smithId),
      messages: [...messages, { role: 'tool', content: [{ type: 'tool-approval-response', approvalId, approved: true, providerExecuted: true }] }],
    });
    const all = await parts(continued);
    const result = all.find((p) => p.type === 'tool-result');
    assert.ok(result && result.type === 'tool-result');
    assert.equal(result.toolName, 'open_ticket');
    assert.match(JSON.stringify(result.output), /T-\d+/);
    assert.match(await continued.text, /Done: I opened ticket T-\d+/);
    assert.equal(await continued.finishReason, 'stop');
    const decision = up.bodies.at(-1)!;
    assert.match(decision.path, new RegExp(`^/v1/smiths/${smithId}/runs/${runId}/approvals/apr_`));
    assert.deepEqual(decision.body, { decision: 'approve', stream: true });
    assert.equal((await getRun(up, smithId, runId)).status, 'completed');
  });

  it('continues with the denial when denied', async () => {
    const { messages, approvalId } = await askForTicket('chat_provider_deny');
    const continued = streamText({
      model: ingram.smith(smithId),
      messages: [...messages, { role: 'tool', content: [{ type: 'tool-approval-response', approvalId, approved: false, providerExecuted: true }] }],
    });
    const all = await parts(continued);
    // The AI SDK marks the denied call itself; the agent's own account of it arrives as a failed tool.
    assert.ok(all.some((p) => p.type === 'tool-output-denied' && p.toolName === 'open_ticket'));
    const failed = all.find((p) => p.type === 'tool-error');
    assert.ok(failed && failed.type === 'tool-error');
    assert.equal(failed.error, 'The visitor declined.');
    assert.match(await continued.text, /I did not open a ticket/);
    assert.equal(up.bodies.at(-1)!.body['decision'], 'deny');
  });

  it('refuses an approval id it did not issue', async () => {
    // The history holds a matching request (so the AI SDK's own check passes); the id is not ours.
    const result = streamText({
      model: ingram.smith(smithId),
      messages: [
        { role: 'user', content: 'open a ticket' },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'open_ticket', input: {}, providerExecuted: true },
            { type: 'tool-approval-request', approvalId: 'forged', toolCallId: 'call_1' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: 'forged', approved: true, providerExecuted: true }] },
      ],
      onError: () => {},
    });
    const all = await parts(result);
    const error = all.find((p) => p.type === 'error');
    assert.ok(error && error.type === 'error');
    assert.match(String((error.error as Error).message), /not issued by the Ingram provider/);
  });

  it('sends image and file parts inline as data URLs with their media type', async () => {
    const before = up.bodies.length;
    const result = streamText({
      model: ingram.smith(smithId),
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'This error keeps popping up.' },
            // Bytes without a type: the type comes from the bytes.
            { type: 'image', image: PNG },
            // A data URL: the type comes from the URL.
            { type: 'image', image: dataUrl('image/png', PNG) },
            { type: 'file', data: dataUrl('application/pdf', PDF), mediaType: 'application/pdf', filename: 'invoice.pdf' },
          ],
        },
      ],
    });
    assert.match(await result.text, /I received 3 attachments: image\/png, image\/png, invoice\.pdf/);
    const sent = up.bodies.slice(before).find((b) => b.path.endsWith('/runs'))!.body as { input: { content: unknown }[] };
    assert.deepEqual(sent.input[0]!.content, [
      { type: 'text', text: 'This error keeps popping up.' },
      { type: 'image', image: dataUrl('image/png', PNG) },
      { type: 'image', image: dataUrl('image/png', PNG) },
      { type: 'file', filename: 'invoice.pdf', data: dataUrl('application/pdf', PDF) },
    ]);
  });

  it('answers generateText with a JSON run: text, tools and an approval, then the continuation', async () => {
    const plain = await generateText({ model: ingram.smith(smithId), prompt: 'Hello there' });
    assert.match(plain.text, /You said: “Hello there”/);
    assert.equal(plain.finishReason, 'stop');
    assert.equal(up.bodies.at(-1)!.body['stream'], false);

    const searched = await generateText({ model: ingram.smith(smithId), prompt: 'search the web for limits' });
    assert.equal(searched.toolCalls[0]?.toolName, 'web_search');
    assert.match(JSON.stringify(searched.toolResults[0]?.output), /Emulated result/);

    const messages: ModelMessage[] = [{ role: 'user', content: 'open a ticket please' }];
    const asked = await generateText({ model: ingram.smith(smithId), messages });
    assert.equal(asked.finishReason, 'tool-calls');
    const approval = asked.content.find((p) => p.type === 'tool-approval-request');
    assert.ok(approval && approval.type === 'tool-approval-request');
    const done = await generateText({
      model: ingram.smith(smithId),
      messages: [
        ...messages,
        ...asked.response.messages,
        { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: approval.approvalId, approved: true, providerExecuted: true }] },
      ],
    });
    assert.match(done.text, /Done: I opened ticket/);
    // Only what is new after the decision: not the text from before it.
    assert.doesNotMatch(done.text, /need your approval/);
  });

  it('turns API errors into APICallError, retryable only when worth retrying', async () => {
    const wrong = createIngram({ token: 'wrong', baseURL: up.baseURL });
    await assert.rejects(generateText({ model: wrong.smith(smithId), prompt: 'hi', maxRetries: 0 }), (err: unknown) => {
      assert.ok(APICallError.isInstance(err));
      assert.equal(err.statusCode, 401);
      assert.equal(err.isRetryable, false);
      assert.match(err.message, /Missing or invalid API token/);
      assert.doesNotMatch(JSON.stringify(err), /wrong/);
      return true;
    });
    await assert.rejects(generateText({ model: ingram.smith('smt_missing'), prompt: 'hi', maxRetries: 0 }), (err: unknown) => {
      assert.ok(APICallError.isInstance(err));
      assert.equal(err.statusCode, 404);
      return true;
    });
  });

  it('aborts the upstream run when the abort signal fires', async () => {
    const slow = await startEmulator({ deltaDelayMs: 30 });
    try {
      const slowSmith = await createSmith(slow, 'anon:abort');
      const provider = createIngram({ token: TOKEN, baseURL: slow.baseURL });
      const controller = new AbortController();
      const result = streamText({ model: provider.smith(slowSmith), prompt: 'Tell me a long story', abortSignal: controller.signal });
      let runId = '';
      let deltas = 0;
      for await (const part of result.fullStream) {
        if (part.type === 'start-step') continue;
        if (part.type === 'text-delta' && ++deltas === 2) controller.abort();
        if (part.type === 'abort') break;
      }
      assert.equal(deltas, 2, 'no delta after the abort');
      const listed = await fetch(`${slow.baseURL}/runs?external_id_prefix=anon:abort`, {
        headers: { Authorization: `Bearer ${TOKEN}`, 'IC-Api-Version': '2026-05-01' },
      });
      const runs = ((await listed.json()) as { data: { id: string; status: string }[] }).data;
      runId = runs[0]!.id;
      // The emulator marks the run cancelled once the connection closes.
      for (let i = 0; i < 50 && (await getRun(slow, slowSmith, runId)).status === 'running'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal((await getRun(slow, slowSmith, runId)).status, 'cancelled');
    } finally {
      await slow.server.close();
    }
  });
});

describe('createIngram() with a scripted upstream', () => {
  // Stands in for the vendor API to produce what the emulator never sends: a failed run, a stream
  // cut short, a malformed event, usage numbers.
  async function scripted(frames: string): Promise<{ baseURL: string; close(): Promise<void> }> {
    const server = await serve(async () => new Response(frames, { headers: { 'Content-Type': 'text/event-stream' } }), { port: 0 });
    return { baseURL: `${server.url}/v1`, close: () => server.close() };
  }
  const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

  it('maps run.failed onto an error part and an error finish', async () => {
    const up = await scripted(
      frame('run.started', { v: 1, run_id: 'run_f', thread_id: 't' }) +
        frame('message.delta', { v: 1, run_id: 'run_f', delta: 'Partial' }) +
        frame('run.failed', { v: 1, run_id: 'run_f', error: { code: 'model_error', message: 'The model crashed.' } }),
    );
    try {
      const result = streamText({ model: createIngram({ token: TOKEN, baseURL: up.baseURL }).smith('smt_x'), prompt: 'hi', onError: () => {} });
      const all = await parts(result);
      const error = all.find((p) => p.type === 'error');
      assert.ok(error && error.type === 'error');
      assert.ok(error.error instanceof IngramRunError);
      assert.equal(error.error.code, 'model_error');
      assert.equal(error.error.message, 'The model crashed.');
      assert.ok(all.some((p) => p.type === 'text-delta' && p.text === 'Partial'));
      assert.ok(
        all.some((p) => p.type === 'text-end'),
        'the open text is closed',
      );
    } finally {
      await up.close();
    }
  });

  it('redacts the token from tool payloads, approval reasons and errors, and bounds their size, as the Ingram backend does', async () => {
    const big = 'x'.repeat(40_000);
    const up = await scripted(
      frame('run.started', { v: 1, run_id: 'run_r', thread_id: 't' }) +
        frame('tool_call.started', { v: 1, run_id: 'run_r', tool_call_id: 'tc_1', name: 'lookup', arguments: { query: `key ${TOKEN}`, [TOKEN]: 1 } }) +
        frame('tool_call.completed', { v: 1, run_id: 'run_r', tool_call_id: 'tc_1', name: 'lookup', output: { echoed: `Bearer ${TOKEN}`, big } }) +
        frame('approval.requested', { v: 1, run_id: 'run_r', approval_id: 'ap_1', tool_call_id: 'tc_2', name: 'refund', arguments: { note: TOKEN }, reason: `because ${TOKEN}` }) +
        frame('run.failed', { v: 1, run_id: 'run_r', error: { code: 'model_error', message: `upstream said ${TOKEN}` } }),
    );
    try {
      const all = await parts(streamText({ model: createIngram({ token: TOKEN, baseURL: up.baseURL }).smith('smt_x'), prompt: 'hi', onError: () => {} }));
      const seen = JSON.stringify(all, (_key, value: unknown) => (value instanceof Error ? { message: value.message } : value));
      assert.doesNotMatch(seen, new RegExp(TOKEN));
      assert.match(seen, /\[redacted\]/);
      const call = all.find((p) => p.type === 'tool-call' && p.toolCallId === 'tc_1') as { input: unknown } | undefined;
      assert.deepEqual(call?.input, { query: 'key [redacted]', '[redacted]': 1 });
      const result = all.find((p) => p.type === 'tool-result') as { output: unknown } | undefined;
      assert.equal(typeof result?.output, 'string', 'a 40 KB output is cut to a bounded text');
      assert.ok((result!.output as string).length < 17_000);
      const error = all.find((p) => p.type === 'error');
      assert.ok(error && error.type === 'error' && error.error instanceof IngramRunError);
      assert.equal(error.error.message, 'upstream said [redacted]');
    } finally {
      await up.close();
    }
  });

  it('reports a stream that ends before run.completed, skips malformed events, and reads usage', async () => {
    const cut = await scripted(
      frame('run.started', { v: 1, run_id: 'run_c', thread_id: 't' }) + frame('message.delta', '{not json') + frame('message.delta', { v: 1, run_id: 'run_c', delta: 'Hel' }),
    );
    try {
      const all = await parts(streamText({ model: createIngram({ token: TOKEN, baseURL: cut.baseURL }).smith('smt_x'), prompt: 'hi', onError: () => {} }));
      const error = all.find((p) => p.type === 'error');
      assert.ok(error && error.type === 'error' && error.error instanceof IngramRunError);
      assert.equal(error.error.code, 'interrupted');
      assert.deepEqual(
        all.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text),
        ['Hel'],
      );
    } finally {
      await cut.close();
    }
    const counted = await scripted(
      frame('run.started', { v: 1, run_id: 'run_u', thread_id: 't' }) +
        frame('message.delta', { v: 1, run_id: 'run_u', delta: 'Hi' }) +
        frame('run.completed', { v: 1, run_id: 'run_u', stop_reason: 'max_tokens', usage: { input_tokens: 12, output_tokens: 34 } }),
    );
    try {
      const result = streamText({ model: createIngram({ token: TOKEN, baseURL: counted.baseURL }).smith('smt_x'), prompt: 'hi' });
      assert.equal(await result.text, 'Hi');
      assert.equal(await result.finishReason, 'length');
      const usage = await result.usage;
      assert.equal(usage.inputTokens, 12);
      assert.equal(usage.outputTokens, 34);
    } finally {
      await counted.close();
    }
  });
});
