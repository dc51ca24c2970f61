/**
 * `<ic-support-chat protocol="ai-sdk">`: the widget against a stock Vercel AI SDK chat route
 * (`streamText(…).toUIMessageStreamResponse()`), speaking the UI message stream protocol the way
 * `useChat` does, without the `ai` package in the browser.
 *
 * The route is stateless, so the transport keeps each thread's `UIMessage`s and posts them all
 * every turn (`{id, messages, trigger, messageId}`); the chunks that come back are turned into
 * protocol v1 run events for the store. Approvals are answered the AI SDK way: the tool part gets
 * its `approval` decision and the messages are posted again. A reload mid-reply picks the reply up
 * the AI SDK way (`resumeRun`), from a route that keeps resumable streams.
 */
import { errorFromResponse, mediaType, ProtocolError } from '../../protocol/errors.js';
import { parseEventStream } from '../../protocol/sse-parser.js';
import { PROTOCOL_VERSION, type ApprovalDecision, type ContentPart, type RunEvent, type RunRequest } from '../../protocol/types.js';
import type { ChatTransport, ResumeTarget, TransportRunOptions } from '../state/transport.js';
import { UiMessageAssembler } from './ui-message-assembler.js';
import { isToolPart, type UiChatRequest, type UiChunk, type UiMessage, type UiPart } from './ui-message-types.js';

export interface AiSdkTransportOptions {
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /** Default `same-origin`. */
  credentials?: RequestCredentials;
  /** Extra request headers (e.g. a CSRF token). */
  headers?: HeadersInit;
  /** Extra fields merged into every request body, like `useChat`'s `body` option. */
  body?: Record<string, unknown>;
  /** Threads whose messages are kept in memory (least recently used dropped first). Default 20. */
  maxThreads?: number;
}

function randomId(prefix: string): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function dataUrlType(url: string): string {
  const match = /^data:([^;,]+)/i.exec(url);
  return match ? match[1]!.toLowerCase() : 'application/octet-stream';
}

/** A v1 user turn as a UI message: text parts, attachments as `file` parts with data URLs. */
export function toUiUserMessage(content: string | ContentPart[]): UiMessage {
  const parts: UiPart[] =
    typeof content === 'string'
      ? [{ type: 'text', text: content }]
      : content.map((part): UiPart => {
          if (part.type === 'text') return { type: 'text', text: part.text };
          if (part.type === 'image') return { type: 'file', mediaType: dataUrlType(part.image), url: part.image };
          return { type: 'file', mediaType: dataUrlType(part.data), filename: part.filename, url: part.data };
        });
  return { id: randomId('msg_'), role: 'user', parts };
}

/**
 * What may go back to the route from an unfinished reply: tool calls that never finished are
 * dropped (the model would otherwise expect their results), undecided approvals count as denied.
 */
function settle(message: UiMessage): UiMessage {
  const parts: UiPart[] = [];
  for (const part of message.parts) {
    if (!isToolPart(part)) {
      parts.push(part.type === 'text' || part.type === 'reasoning' ? { ...part, state: 'done' } : part);
      continue;
    }
    if (part.state === 'input-streaming' || part.state === 'input-available' || part.preliminary) continue;
    if (part.state === 'approval-requested' || part.state === 'approval-responded') {
      parts.push({ ...part, state: 'output-denied', approval: { id: part.approval?.id ?? '', approved: false, reason: 'The visitor moved on without deciding.' } });
      continue;
    }
    parts.push(part);
  }
  return { ...message, parts };
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class AiSdkTransport implements ChatTransport {
  // thread id → its messages; Map order is least recently used first.
  private readonly threads = new Map<string, UiMessage[]>();
  // run id (the assistant message's id) → thread id, for approvals.
  private readonly runs = new Map<string, string>();
  private readonly maxThreads: number;

  constructor(
    readonly endpoint: string,
    private readonly options: AiSdkTransportOptions = {},
  ) {
    this.maxThreads = Math.max(1, options.maxThreads ?? 20);
  }

  /** A copy of a thread's UI messages as the next request would send them. */
  messages(threadId: string): UiMessage[] {
    return clone(this.threads.get(threadId) ?? []);
  }

  private save(threadId: string, messages: UiMessage[]): void {
    this.threads.delete(threadId);
    this.threads.set(threadId, messages);
    while (this.threads.size > this.maxThreads) {
      const oldest = this.threads.keys().next().value!;
      this.threads.delete(oldest);
      for (const [run, thread] of this.runs) if (thread === oldest) this.runs.delete(run);
    }
  }

  startRun(request: RunRequest, options: TransportRunOptions): AsyncIterable<RunEvent> {
    const threadId = request.thread_id;
    // Earlier replies go back settled; the committed history changes only when this turn succeeds,
    // so a retry after a failure does not send the visitor's message twice.
    const history = (this.threads.get(threadId) ?? []).map(settle);
    const users = request.input.map((m) => toUiUserMessage(m.content));
    const assistant: UiMessage = { id: randomId('msg_'), role: 'assistant', parts: [] };
    const messages = [...history, ...users];
    return this.exchange(threadId, { id: threadId, messages, trigger: 'submit-message' }, assistant, options, (reply) => {
      this.save(threadId, [...messages, reply]);
    });
  }

  /**
   * The AI SDK's resume convention, as `DefaultChatTransport.reconnectToStream` does it: `GET
   * {api}/{chatId}/stream` (before the api's query), the reply's stream replayed from its start, or
   * 204 when the chat has none in progress (then `not_found`: nothing to resume).
   */
  resumeRun(target: ResumeTarget, options: TransportRunOptions): AsyncIterable<RunEvent> {
    const threadId = target.threadId;
    if (threadId === '.' || threadId === '..') return failing(new ProtocolError('not_found', 'There is no reply to resume.'));
    const history = this.threads.get(threadId) ?? [];
    const assistant: UiMessage = { id: randomId('msg_'), role: 'assistant', parts: [] };
    // After a reload the thread's earlier messages are gone from memory: the reply alone is not a history.
    return this.exchange(threadId, null, assistant, options, (reply) => history.length > 0 && this.save(threadId, [...history, reply]));
  }

  continueRun(runId: string, approvalId: string, decision: ApprovalDecision, options: TransportRunOptions): AsyncIterable<RunEvent> {
    const threadId = this.runs.get(runId);
    const stored = threadId === undefined ? undefined : this.threads.get(threadId);
    const index = stored?.findIndex((m) => m.id === runId) ?? -1;
    if (!stored || index < 0 || threadId === undefined) {
      return failing(new ProtocolError('not_found', 'This reply is no longer known; send your message again.'));
    }
    const messages = clone(stored.slice(0, index + 1));
    const assistant = messages[index]!;
    const part = assistant.parts.find((p) => isToolPart(p) && p.approval?.id === approvalId);
    if (!part || !isToolPart(part) || part.state !== 'approval-requested') {
      return failing(new ProtocolError('not_found', 'No such approval is waiting for a decision.'));
    }
    part.state = 'approval-responded';
    part.approval = { id: approvalId, approved: decision === 'approve' };
    return this.exchange(threadId, { id: threadId, messages, trigger: 'submit-message', messageId: assistant.id }, assistant, options, (reply) => {
      this.save(threadId, [...messages.slice(0, index), reply]);
    });
  }

  /** One request (a POST of `body`, or with `null` the resume GET) and its reply's events. */
  private async *exchange(
    threadId: string,
    body: UiChatRequest | null,
    assistant: UiMessage,
    options: TransportRunOptions,
    commit: (reply: UiMessage) => void,
  ): AsyncGenerator<RunEvent> {
    const fetchImpl = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    const headers = new Headers(this.options.headers);
    if (body) {
      headers.set('Content-Type', 'application/json');
      headers.set('Accept', 'text/event-stream');
    }
    // The request outlives the turn while its tail is read (`drain`), so it has its own signal:
    // Stop still aborts it, and the drain can let go of a route that never closes.
    const request = new AbortController();
    const forwardAbort = () => request.abort(options.signal.reason);
    if (options.signal.aborted) forwardAbort();
    else options.signal.addEventListener('abort', forwardAbort, { once: true });
    const release = () => options.signal.removeEventListener('abort', forwardAbort);
    let draining = false;
    try {
      let response: Response;
      try {
        const credentials = this.options.credentials ?? 'same-origin';
        response = body
          ? await fetchImpl(this.endpoint, { method: 'POST', headers, body: JSON.stringify({ ...this.options.body, ...body }), credentials, signal: request.signal })
          : await fetchImpl(streamUrl(this.endpoint, threadId), { method: 'GET', headers, credentials, signal: request.signal });
      } catch (err) {
        if (options.signal.aborted) throw options.signal.reason ?? err;
        throw new ProtocolError('network_error', 'The server could not be reached.', { cause: err });
      }
      if (!body && response.status === 204) throw new ProtocolError('not_found', 'There is no reply to resume.', { status: 204 });
      if (!response.ok) throw await errorFromResponse(response);
      if (mediaType(response) !== 'text/event-stream' || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new ProtocolError('invalid_response', `Expected an AI SDK UI message stream (text/event-stream), got ${mediaType(response) || 'no content type'}.`, {
          status: response.status,
        });
      }

      const continuing = body?.messageId !== undefined;
      let assembler: UiMessageAssembler | undefined;
      let lastBytes = performance.now();
      // Iterated by hand: leaving a `for await` early would cancel the body, which the route's
      // `finish` chunk is not a reason to do (`[DONE]` and the end of the body follow it).
      const messages = parseEventStream(response.body, {
        onChunk: () => {
          lastBytes = performance.now();
          if (!draining) options.onActivity?.();
        },
      });
      let bodyEnded = false;
      let sawDone = false;
      try {
        for (;;) {
          const next = await messages.next();
          if (next.done) {
            bodyEnded = true;
            break;
          }
          const message = next.value;
          if (message.data === '[DONE]') {
            sawDone = true;
            break;
          }
          let chunk: UiChunk;
          try {
            chunk = JSON.parse(message.data) as UiChunk;
          } catch {
            options.onWarning?.('Skipped a UI message stream chunk that is not JSON.');
            continue;
          }
          if (!chunk || typeof chunk !== 'object' || typeof chunk.type !== 'string') continue;
          const events: RunEvent[] = [];
          if (!assembler) {
            // A new reply takes the id the route gives it; a continuation keeps its message's.
            if (!continuing && chunk.type === 'start' && chunk.messageId) assistant.id = chunk.messageId;
            this.runs.set(assistant.id, threadId);
            assembler = new UiMessageAssembler(assistant, assistant.id);
            events.push({ type: 'run.started', v: PROTOCOL_VERSION, run_id: assistant.id, thread_id: threadId });
          }
          events.push(...assembler.apply(chunk));
          // The turn ends for the visitor at its last event, not when the body closes; a consumer
          // that stops iterating here (the store does) lands in `finally` with the outcome known.
          for (const event of events) yield event;
          if (assembler.outcome) break;
        }
      } finally {
        // The next request tells the route what the visitor saw: a finished or stopped reply is kept
        // (a stopped one settled); a failed one is not, since Retry sends the visitor's turn again.
        const outcome = assembler?.outcome;
        if (assembler && outcome === 'completed') commit(assistant);
        else if (assembler && (outcome === 'cancelled' || (!outcome && options.signal.aborted))) commit(settle(assistant));
        if (!bodyEnded) {
          if ((outcome || sawDone) && !options.signal.aborted) {
            // A reply that reached its end is read to the end of the body, in the background: a
            // cancelled body is a failed request in the network log (and to proxies and servers).
            draining = true;
            void drain(messages, () => lastBytes, request).finally(release);
          } else {
            // Stop, a consumer that left mid-reply, or a broken stream: cancelling tells the route.
            await messages.return(undefined);
          }
        }
      }
      if (!assembler?.outcome && !options.signal.aborted) throw new ProtocolError('interrupted', 'The reply stream ended before the run finished.');
    } finally {
      if (!draining) release();
    }
  }
}

/** `{api}/{chatId}/stream`, the api's query and fragment kept after it (the AI SDK's `appendPathToUrl`). */
function streamUrl(api: string, chatId: string): string {
  const at = api.search(/[?#]/);
  const path = at === -1 ? api : api.slice(0, at);
  return `${path.replace(/\/$/, '')}/${encodeURIComponent(chatId)}/stream${at === -1 ? '' : api.slice(at)}`;
}

/** How long a body may stay silent after the reply's end before it is let go. */
const DRAIN_IDLE_MS = 15_000;

/**
 * Reads what is left of a finished reply's body (`[DONE]`, the end of the stream) and drops it.
 * A route that says nothing more for `DRAIN_IDLE_MS` but keeps the body open is aborted then, so
 * it cannot hold one of the browser's few connections per origin turn after turn.
 */
async function drain(messages: AsyncGenerator<unknown>, lastBytes: () => number, request: AbortController): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const left = lastBytes() + DRAIN_IDLE_MS - performance.now();
    if (left > 0) timer = setTimeout(check, left);
    else request.abort(new DOMException('The reply was complete but its stream stayed open.', 'AbortError'));
  };
  timer = setTimeout(check, DRAIN_IDLE_MS);
  try {
    while (!(await messages.next()).done);
  } catch {
    // Only the tail after the reply's end was lost, and nothing waits for it.
  } finally {
    clearTimeout(timer);
  }
}

// A generator that only throws: the failure surfaces on the first next(), as a stream's would.
// eslint-disable-next-line require-yield
async function* failing(error: Error): AsyncGenerator<RunEvent> {
  throw error;
}
