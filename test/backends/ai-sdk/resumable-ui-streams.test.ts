// The AI SDK's resume convention on a stock route: `toUIMessageStreamResponse({ consumeSseStream })`
// records the reply, `GET {api}/{chatId}/stream` resumes it (204 when there is nothing to resume),
// read by the AI SDK's own client transport (`DefaultChatTransport.reconnectToStream`, what
// `useChat({ resume: true })` calls). Real HTTP server, real streamText, a mock model.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DefaultChatTransport, simulateReadableStream, streamText, type UIMessage, type UIMessageChunk } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { createResumableUIStreams } from '../../../src/backends/ai-sdk/index.js';
import { InMemoryRunLogStore } from '../../../src/backends/core/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import { finish, text } from './ai-sdk-test-kit.js';

const WORDS = ['Resumed ', 'replies ', 'lose ', 'nothing, ', 'ever.'];
let modelCalls = 0;
const model = new MockLanguageModelV3({
  doStream: async () => {
    modelCalls++;
    return { stream: simulateReadableStream({ chunks: [{ type: 'stream-start', warnings: [] }, ...text(...WORDS), finish()], chunkDelayInMs: 40 }) };
  },
});

const streams = createResumableUIStreams({ runLog: new InMemoryRunLogStore() });
let server: ServeHandle;

before(async () => {
  server = await serve(
    async (request: Request) => {
      const url = new URL(request.url);
      const resume = /^\/api\/chat\/([^/]+)\/stream$/.exec(url.pathname);
      if (request.method === 'GET' && resume) return streams.resume(decodeURIComponent(resume[1]!));
      const { id, messages } = (await request.json()) as { id: string; messages: UIMessage[] };
      const result = streamText({ model, prompt: messages.map((m) => m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')).join('\n') });
      return result.toUIMessageStreamResponse({ consumeSseStream: ({ stream }) => streams.record(id, stream) });
    },
    { port: 0 },
  );
});
after(() => server.close());

async function chunksOf(stream: ReadableStream<UIMessageChunk>): Promise<UIMessageChunk[]> {
  const out: UIMessageChunk[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}
const textOf = (chunks: UIMessageChunk[]) => chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');

describe('createResumableUIStreams (the AI SDK resume convention)', () => {
  it('a reply whose connection dropped is resumed by the AI SDK transport, whole, with one model call', async () => {
    const transport = new DefaultChatTransport({ api: `${server.url}/api/chat` });
    assert.equal(await transport.reconnectToStream({ chatId: 'chat_1' }), null, '204 before any reply');
    const abort = new AbortController();
    const live = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'chat_1', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }], trigger: 'submit-message' }),
      signal: abort.signal,
    });
    const reader = live.body!.getReader();
    let seen = '';
    while (!seen.includes('text-delta')) seen += new TextDecoder().decode((await reader.read()).value);
    abort.abort();

    const resumed = await transport.reconnectToStream({ chatId: 'chat_1' });
    assert.ok(resumed, 'a reply to resume');
    const chunks = await chunksOf(resumed);
    assert.equal(textOf(chunks), WORDS.join(''));
    assert.equal(chunks.at(-1)!.type, 'finish');
    assert.equal(modelCalls, 1);
    assert.equal(await transport.reconnectToStream({ chatId: 'chat_1' }), null, '204 once the reply has ended');
  });
});
