// A stock Vercel AI SDK chat route for the browser tests — `streamText(…).toUIMessageStreamResponse()`
// exactly as an app would write it — over the AI SDK's MockLanguageModelV3, whose answers are
// scripted from the prompt it is given (so the route stays stateless, as real ones are).
//
//   POST {prefix}/chat            the route (body: {id, messages, trigger, messageId})
//   POST {prefix}/chat?linger=MS  the same, its body held open MS after its last byte
//   GET  {prefix}/requests?id=ID  the bodies the route received for chat ID, for assertions
//   GET  {prefix}/streams?id=ID   how each reply body for chat ID ended: open, consumed or cancelled
//   POST {prefix}/chat?resumable=1  the route with the AI SDK's resumable streams (the docs' recipe:
//                                   `consumeSseStream` keeps the reply, the model is not aborted when
//                                   the browser goes), its store in memory instead of `resumable-stream` + Redis
//   GET  {prefix}/chat/ID/stream  the AI SDK resume route: the reply in progress replayed and followed, or 204
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { convertToModelMessages, jsonSchema, simulateReadableStream, stepCountIs, streamText, tool, type UIMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';

const USAGE = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

let nextId = 0;
function say(text: string): LanguageModelV3StreamPart[] {
  const id = `txt_${++nextId}`;
  const words = text.match(/\S+\s*/g) ?? [text];
  return [{ type: 'text-start', id }, ...words.map((delta) => ({ type: 'text-delta' as const, id, delta })), { type: 'text-end', id }];
}
const finish = (unified: 'stop' | 'tool-calls' | 'length'): LanguageModelV3StreamPart => ({ type: 'finish', finishReason: { unified, raw: unified }, usage: USAGE });

type Prompt = LanguageModelV3CallOptions['prompt'];

/** The scripted assistant: what it says depends only on the prompt. */
function answer(prompt: Prompt): { parts: LanguageModelV3StreamPart[]; delayMs?: number } {
  const last = prompt[prompt.length - 1];
  if (last?.role === 'tool') {
    const result = last.content.find((p) => p.type === 'tool-result');
    if (result?.toolName === 'lookup_order') return { parts: [...say('Order A-42 has shipped.'), finish('stop')] };
    if (result?.toolName === 'open_ticket') {
      if (result.output.type === 'json') {
        const ticket = (result.output.value as { ticket_id?: string }).ticket_id;
        return { parts: [...say(`Done: ticket ${ticket} is open.`), finish('stop')] };
      }
      return { parts: [...say('OK, I did not open a ticket.'), finish('stop')] };
    }
  }
  const users = prompt.filter((m) => m.role === 'user');
  const user = users[users.length - 1];
  const text = user?.role === 'user' ? user.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(' ') : '';
  const files = user?.role === 'user' ? user.content.flatMap((p) => (p.type === 'file' ? [`${p.mediaType}${p.filename ? ` ${p.filename}` : ''}`] : [])) : [];
  if (/\border\b/i.test(text)) {
    return { parts: [{ type: 'tool-call', toolCallId: `call_${++nextId}`, toolName: 'lookup_order', input: JSON.stringify({ order_id: 'A-42' }) }, finish('tool-calls')] };
  }
  if (/\bticket\b/i.test(text)) {
    return {
      parts: [
        ...say('I can open a ticket for that.'),
        { type: 'tool-call', toolCallId: `call_${++nextId}`, toolName: 'open_ticket', input: JSON.stringify({ subject: text }) },
        finish('tool-calls'),
      ],
    };
  }
  if (/\bfail\b/i.test(text)) return { parts: [...say('Let me'), { type: 'error', error: new Error('model exploded') }] };
  if (/\bslow\b/i.test(text)) return { parts: [...say('one two three four five six seven eight nine ten eleven twelve'), finish('stop')], delayMs: 150 };
  const seen = `${users.length} user message${users.length === 1 ? '' : 's'} so far`;
  const attached = files.length ? ` Files: ${files.join(', ')}.` : '';
  return { parts: [...say(`You said: ${text} (${seen}).${attached}`), finish('stop')] };
}

let tickets = 0;

type StreamEnd = 'open' | 'consumed' | 'cancelled';

/**
 * The route's response with its body watched: `consumed` once the client has taken it to the end,
 * `cancelled` if the client went away first. A short reply is written out before a client could
 * cancel it, so `lingerMs` keeps the body open after its last byte: a client that cancels once it
 * has what it wants (at `finish`) is then seen doing so.
 */
function watched(response: Response, lingerMs: number, record: (end: StreamEnd) => void): Response {
  const reader = response.body!.getReader();
  let settled = false;
  const settle = (end: StreamEnd) => {
    if (settled) return false;
    settled = true;
    record(end);
    return true;
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (!done) {
        controller.enqueue(value);
        return;
      }
      if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
      if (settle('consumed')) controller.close();
    },
    cancel(reason) {
      settle('cancelled');
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The route as a Fetch handler mounted at `prefix` (e.g. `/api/ai-sdk`). */
export function createAiSdkTestRoute(prefix: string): (request: Request) => Promise<Response> {
  const received = new Map<string, unknown[]>();
  const streams = new Map<string, StreamEnd[]>();
  const model = new MockLanguageModelV3({
    doStream: async (options) => {
      const { parts, delayMs } = answer(options.prompt);
      return { stream: simulateReadableStream({ chunks: [{ type: 'stream-start', warnings: [] }, ...parts], chunkDelayInMs: delayMs ?? null }) };
    },
  });
  const tools = {
    lookup_order: tool({
      description: 'Looks up an order',
      inputSchema: jsonSchema<{ order_id: string }>({ type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] }),
      execute: async ({ order_id }) => ({ order_id, status: 'shipped' }),
    }),
    open_ticket: tool({
      description: 'Opens a support ticket',
      inputSchema: jsonSchema<{ subject: string }>({ type: 'object', properties: { subject: { type: 'string' } }, required: ['subject'] }),
      needsApproval: true,
      execute: async () => ({ ticket_id: `T-${++tickets}` }),
    }),
  };

  // chat id → the reply in progress: its SSE text so far, and who waits for more.
  const resumable = new Map<string, { chunks: string[]; done: boolean; wake: Set<() => void> }>();
  const keep = async (id: string, stream: ReadableStream<string>) => {
    const entry = { chunks: [] as string[], done: false, wake: new Set<() => void>() };
    resumable.set(id, entry);
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      entry.chunks.push(next.value);
      for (const wake of entry.wake) wake();
    }
    entry.done = true;
    for (const wake of entry.wake) wake();
    // The app's onFinish clears the chat's active stream: a resume after the end answers 204.
    if (resumable.get(id) === entry) resumable.delete(id);
  };
  const replay = (entry: { chunks: string[]; done: boolean; wake: Set<() => void> }) => {
    let sent = 0;
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        while (sent === entry.chunks.length && !entry.done) await new Promise<void>((resolve) => entry.wake.add(resolve));
        if (sent < entry.chunks.length) controller.enqueue(encoder.encode(entry.chunks.slice(sent).join('')));
        sent = entry.chunks.length;
        if (entry.done) controller.close();
      },
    });
  };

  return async (request) => {
    const url = new URL(request.url);
    const resume = new RegExp(`^${prefix}/chat/([^/]+)/stream$`).exec(url.pathname);
    if (resume && request.method === 'GET') {
      const entry = resumable.get(decodeURIComponent(resume[1]!));
      if (!entry) return new Response(null, { status: 204 });
      return new Response(replay(entry), { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-vercel-ai-ui-message-stream': 'v1' } });
    }
    if (url.pathname === `${prefix}/requests` && request.method === 'GET') {
      return Response.json(received.get(url.searchParams.get('id') ?? '') ?? []);
    }
    if (url.pathname === `${prefix}/streams` && request.method === 'GET') {
      return Response.json(streams.get(url.searchParams.get('id') ?? '') ?? []);
    }
    if (url.pathname !== `${prefix}/chat`) return new Response('Not found', { status: 404 });
    if (request.method !== 'POST') return new Response('Method not allowed', { status: 405 });
    const body = (await request.json()) as { id: string; messages: UIMessage[] };
    received.set(body.id, [...(received.get(body.id) ?? []), body]);
    const resumes = url.searchParams.has('resumable');
    // From here on, the route is what an app writes.
    const result = streamText({
      model,
      messages: await convertToModelMessages(body.messages),
      tools,
      stopWhen: stepCountIs(5),
      // A resumable reply goes on when the browser leaves (the AI SDK's resume recipe).
      ...(resumes ? {} : { abortSignal: request.signal }),
      onError: () => {}, // the "fail" script's error is expected; the stream reports it
    });
    const response = resumes ? result.toUIMessageStreamResponse({ consumeSseStream: ({ stream }) => keep(body.id, stream) }) : result.toUIMessageStreamResponse();
    // Outside what an app writes: how the client ended the body, for the transport's tests.
    const ends = streams.get(body.id) ?? [];
    streams.set(body.id, ends);
    const slot = ends.push('open') - 1;
    return watched(response, Number(url.searchParams.get('linger')) || 0, (end) => {
      ends[slot] = end;
    });
  };
}
