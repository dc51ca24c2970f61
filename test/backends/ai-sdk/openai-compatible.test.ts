// The documented Ollama/vLLM path: createAiSdkBackend over @ai-sdk/openai-compatible, with a small
// stand-in for the OpenAI-compatible server (the vendor API) answering /v1/chat/completions over
// real HTTP, streamed the way Ollama and vLLM stream.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createAiSdkBackend } from '../../../src/backends/ai-sdk/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import { startRun, type RunEvent } from '../../../src/protocol/index.js';
import { startSupport, type RunningSupport } from '../core/support-test-kit.js';

interface ChatRequest {
  model: string;
  stream: boolean;
  messages: { role: string; content: unknown }[];
}

describe('createAiSdkBackend() with @ai-sdk/openai-compatible', () => {
  let upstream: ServeHandle;
  let support: RunningSupport;
  const received: ChatRequest[] = [];

  before(async () => {
    upstream = await serve(
      async (request) => {
        if (new URL(request.url).pathname !== '/v1/chat/completions') return new Response('not found', { status: 404 });
        const body = (await request.json()) as ChatRequest;
        received.push(body);
        const last = body.messages.at(-1)!;
        const words = `Echo: ${String(last.content)}`.match(/\S+\s*/g)!;
        const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, number>) =>
          `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
        const sse = [
          chunk({ role: 'assistant', content: '' }),
          ...words.map((w) => chunk({ content: w })),
          chunk({}, 'stop', { prompt_tokens: 5, completion_tokens: words.length, total_tokens: 5 + words.length }),
          'data: [DONE]\n\n',
        ];
        return new Response(sse.join(''), { headers: { 'Content-Type': 'text/event-stream' } });
      },
      { port: 0 },
    );
    const ollama = createOpenAICompatible({ name: 'ollama', baseURL: `${upstream.url}/v1` });
    const backend = createAiSdkBackend({ model: ollama.chatModel('llama3.2'), system: 'You are the support assistant.', onError: () => {} });
    support = await startSupport({ backend, identify: () => ({ user_id: 'ada' }) });
  });
  after(async () => {
    await support.close();
    await upstream.close();
  });

  it('streams the model reply as v1 events and sends the history with the system prompt', async () => {
    const collect = async (content: string) => {
      const out: RunEvent[] = [];
      for await (const e of startRun(support.endpoint, { thread_id: 'chat_oa', input: [{ role: 'user', content }] })) out.push(e);
      return out;
    };
    const first = await collect('How do I reset my password?');
    assert.deepEqual([...new Set(first.map((e) => e.type))], ['run.started', 'message.delta', 'run.completed']);
    assert.equal(first.flatMap((e) => (e.type === 'message.delta' ? [e.delta] : [])).join(''), 'Echo: How do I reset my password?');
    await collect('Thanks');
    assert.equal(received.length, 2);
    assert.equal(received[1]!.model, 'llama3.2');
    assert.equal(received[1]!.stream, true);
    assert.deepEqual(
      received[1]!.messages.map((m) => [m.role, m.content]),
      [
        ['system', 'You are the support assistant.'],
        ['user', 'How do I reset my password?'],
        ['assistant', 'Echo: How do I reset my password?'],
        ['user', 'Thanks'],
      ],
    );
  });
});
