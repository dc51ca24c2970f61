import { InMemoryRunLogStore } from '../core/memory-run-log.js';
import { RemoteCursor } from '../core/remote-follow.js';
import type { RunBus, RunLogStore } from '../core/stores.js';
import { newId } from '../internal/helpers.js';
import { PROTOCOL_VERSION, type RunEvent } from '../../protocol/types.js';

/** The headers of an AI SDK UI message stream (what `toUIMessageStreamResponse()` sends). */
const UI_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
};

export interface ResumableUIStreamsOptions {
  /**
   * Where the streams are kept: this process's memory by default; a shared one (e.g.
   * `createRedisStores(…).runLog`) lets a reply resume on any instance.
   */
  runLog?: RunLogStore;
  /** The longest a reply may stream; its record then expires (plus the log's ttl). Default 15 minutes. */
  maxStreamMs?: number;
}

/** The AI SDK's resumable-stream convention (`useChat({ resume: true })`) on this package's run log. */
export interface ResumableUIStreams {
  /**
   * Records a reply's SSE text as it is produced: pass as `toUIMessageStreamResponse({
   * consumeSseStream: ({ stream }) => streams.record(chatKey, stream) })`. `chatKey` names the chat
   * (its `id`, scoped to the signed-in user if you have one: whoever knows it can resume).
   */
  record(chatKey: string, stream: ReadableStream<string>): Promise<void>;
  /**
   * The answer to `GET {api}/{chatId}/stream`: the chat's reply still being written, replayed from
   * its start and followed to its end, or `204 No Content` when there is none (what `useChat`
   * expects).
   */
  resume(chatKey: string): Promise<Response>;
}

// Only liveness checks ask the bus; a recording has no hold, so a follower waits for the end (or expiry).
const ALWAYS_HELD: RunBus = {
  hold: () => Promise.reject(new Error('not used')),
  owner: async () => 'recorder',
  send: async () => false,
};

const ownerOf = (chatKey: string) => `ai-sdk-chat:${chatKey}`;

/**
 * Resumable AI SDK chat streams without the `resumable-stream` package: each reply's SSE chunks
 * go to a run log (bounded, expiring; the same store the v1 handler uses), and `resume` replays
 * them and follows the live reply. Do not pass the request's `abortSignal` to `streamText` in a
 * resumable route: the reply must outlive the browser's connection (as in the AI SDK's own guide).
 */
export function createResumableUIStreams(options: ResumableUIStreamsOptions = {}): ResumableUIStreams {
  const log = options.runLog ?? new InMemoryRunLogStore();
  const maxStreamMs = options.maxStreamMs ?? 15 * 60_000;

  async function record(chatKey: string, stream: ReadableStream<string>): Promise<void> {
    const runId = newId('uis');
    const reader = stream.getReader();
    try {
      await log.open(runId, { owner: ownerOf(chatKey), threadId: chatKey }, maxStreamMs);
    } catch {
      // Without a log this reply is not resumable, but the visitor still gets it: keep draining the tee.
      while (!(await reader.read().catch(() => ({ done: true }))).done);
      return;
    }
    let seq = 0;
    const append = (event: RunEvent) => log.append(runId, ++seq, event).catch(() => {});
    let ending: RunEvent = { type: 'run.completed', v: PROTOCOL_VERSION, run_id: runId, stop_reason: 'end_turn' };
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // Each SSE chunk as it was sent; the appends of one run are applied in order.
        void append({ type: 'message.delta', v: PROTOCOL_VERSION, run_id: runId, delta: value });
      }
    } catch {
      ending = { type: 'run.failed', v: PROTOCOL_VERSION, run_id: runId, error: { code: 'upstream_error', message: 'The reply failed.' } };
    }
    await append(ending);
  }

  async function resume(chatKey: string): Promise<Response> {
    const active = await log.activeRun(ownerOf(chatKey));
    if (!active) return new Response(null, { status: 204 });
    const cursor = new RemoteCursor(active.runId, 0, { log, runBus: ALWAYS_HELD, checkAfterMs: 5_000 });
    await cursor.start();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const next = await cursor.next();
          if (next.done || next.value.event.type !== 'message.delta') {
            controller.close();
            void cursor.return();
            return;
          }
          controller.enqueue(encoder.encode(next.value.event.delta));
        },
        cancel() {
          void cursor.return();
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: 200, headers: UI_STREAM_HEADERS });
  }

  return { record, resume };
}
