import { formatComment, formatEvent } from '../../protocol/sse-writer.js';
import { PROTOCOL_VERSION, type RunEvent } from '../../protocol/types.js';
import { toErrorInfo } from './support-error.js';

export interface EventStreamOptions {
  /** A `: ping` comment is written after this long without output. */
  pingIntervalMs: number;
  /** Extra headers (cookie, CORS). */
  headers: Headers;
  /** Aborted when the client goes away: the backend's `TurnContext.signal`. */
  abort: AbortController;
  onError: (err: unknown) => void;
}

export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // Tells nginx (and proxies that copy it) not to buffer the stream.
  'X-Accel-Buffering': 'no',
};

// Stateless (UTF-8 only), so one instance serves every stream.
const encoder = new TextEncoder();
const PING = formatComment('ping');

/**
 * Streams a run's events as SSE, one frame per event, each enqueued the moment the backend yields
 * it (pull-based, so a slow reader slows the backend instead of filling memory). A backend error
 * after the first event becomes a `run.failed` event; the client cancelling the stream aborts the
 * backend's signal and closes its iterator.
 */
export function eventStreamResponse(
  first: RunEvent,
  iterator: AsyncIterator<RunEvent>,
  options: EventStreamOptions,
): Response {
  const { pingIntervalMs } = options;
  let runId = first.run_id;
  let closed = false;
  // One timer per stream, re-armed only when it fires (never per event): each write just records
  // its time, and the timer, on waking, pings if the stream has been quiet for the whole interval
  // or sleeps for the rest of it. Clearing and setting a timer per delta costs more than the delta.
  let lastWrite = 0;
  let pingTimer: ReturnType<typeof setTimeout> | undefined;
  // Assigned in start(), which the ReadableStream constructor calls synchronously.
  let write: (text: string) => void = () => {};
  const finish = () => {
    closed = true;
    clearTimeout(pingTimer);
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const onPingTimer = () => {
        if (closed) return;
        const quiet = Date.now() - lastWrite;
        if (quiet >= pingIntervalMs) {
          controller.enqueue(encoder.encode(PING));
          lastWrite = Date.now();
          pingTimer = setTimeout(onPingTimer, pingIntervalMs);
        } else {
          pingTimer = setTimeout(onPingTimer, pingIntervalMs - quiet);
        }
      };
      write = (text: string) => {
        controller.enqueue(encoder.encode(text));
        lastWrite = Date.now();
      };
      write(formatEvent(first));
      pingTimer = setTimeout(onPingTimer, pingIntervalMs);
      // Runtimes that abort request.signal without cancelling the body still stop the backend.
      options.abort.signal.addEventListener(
        'abort',
        () => {
          if (closed) return;
          finish();
          Promise.resolve()
            .then(() => iterator.return?.())
            .catch(() => {});
          try {
            controller.close();
          } catch {
            // already closed or errored
          }
        },
        { once: true },
      );
    },
    async pull(controller) {
      if (closed) return;
      try {
        const next = await iterator.next();
        if (closed) return;
        if (next.done) {
          finish();
          controller.close();
          return;
        }
        if (next.value.run_id) runId = next.value.run_id;
        write(formatEvent(next.value));
      } catch (err) {
        if (closed) return;
        if (!options.abort.signal.aborted) options.onError(err);
        write(formatEvent({ type: 'run.failed', v: PROTOCOL_VERSION, run_id: runId, error: toErrorInfo(err) }));
        finish();
        controller.close();
      }
    },
    cancel() {
      if (closed) return;
      finish();
      options.abort.abort(new DOMException('The client closed the stream.', 'AbortError'));
      // Not awaited: a generator stuck in an await only settles once it honours the signal.
      Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => {});
    },
  });

  const headers = new Headers(options.headers);
  for (const [name, value] of Object.entries(EVENT_STREAM_HEADERS)) headers.set(name, value);
  return new Response(stream, { status: 200, headers });
}
