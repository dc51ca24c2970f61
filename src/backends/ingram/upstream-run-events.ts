import { UPSTREAM_ACTIVITY, type UpstreamLiveness } from '../core/event-stream-response.js';
import { bodyChunkReader, type BodyChunkReader, type BodyChunkSink } from '../../protocol/server-fast-paths.js';
import { PUSH_EVENTS, pushEvents, type EventSink, type PushableEvents } from '../core/event-push.js';
import { SupportError } from '../core/support-error.js';
import { EventStreamParser, type SseMessage } from '../../protocol/sse-parser.js';
import type { RunEvent } from '../../protocol/types.js';
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS } from './client.js';
import { mapUpstreamEvent, type PassThroughOptions, type UpstreamFailureListener } from './map-upstream-event.js';

/** The code of the `run.failed` a stalled upstream stream ends in. */
export const UPSTREAM_TIMEOUT = 'upstream_timeout';

export interface UpstreamRunEventsOptions {
  /**
   * No bytes for this long (ms) → the upstream connection is closed and the events end in
   * `run.failed` with `upstream_timeout`. Default `DEFAULT_STREAM_IDLE_TIMEOUT_MS`; 0 turns it off.
   */
  idleTimeoutMs?: number;
  /** Redaction and size bounds for tool and approval payloads (see map-upstream-event.ts). */
  passThrough?: PassThroughOptions;
}

/** The error a stalled stream ends with: status 504 if nothing was sent yet, else `run.failed`. */
export function upstreamTimeoutError(ms: number): SupportError {
  return new SupportError(UPSTREAM_TIMEOUT, 'The support service stopped responding. Please try again.', {
    status: 504,
    cause: new Error(`no bytes from the upstream stream for ${ms} ms`),
  });
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * An upstream run's `text/event-stream` body as v1 events, in ONE loop: read a chunk, decode it,
 * parse it, map each event (map-upstream-event.ts) — instead of a generator per stage, whose
 * promises and ticks per event were most of the proxy's own cost. Events parsed from one chunk
 * are handed out one per `next()` without reading again (no waiting, nothing held back).
 *
 * It ends after the first `run.completed`/`run.failed` (closing the upstream connection); a reply
 * cut short without one ends with a `run.failed` (unless `signal` was aborted: then it just ends).
 * A read error becomes an upstream_error. `return()` closes the upstream connection.
 */
export class UpstreamRunEvents implements AsyncIterableIterator<RunEvent>, UpstreamLiveness, PushableEvents {
  // The socket's chunks when the body offers them (createNodeFetch), else the stream's own reader.
  readonly #reader: BodyChunkReader;
  readonly #signal: AbortSignal;
  readonly #onEvent: ((event: RunEvent) => void) | undefined;
  readonly #onFailure: UpstreamFailureListener | undefined;
  readonly #passThrough: PassThroughOptions | undefined;
  readonly #idleMs: number;
  // Like the proxy's ping timer: one timer, re-armed only when it fires; each chunk just records
  // its time (a timer reset per chunk would cost more than the chunk).
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #lastByte = Date.now();
  /** When the pending read began: only time spent waiting on the upstream counts as idle, not a slow browser's. */
  #readSince = 0;
  #reading = false;
  #timedOut = false;
  // ignoreBOM: the parser strips exactly one leading BOM itself, even when it is split across chunks.
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  readonly #parser = new EventStreamParser((message) => this.#accept(message));
  #queue: RunEvent[] = [];
  #head = 0;
  #runId = '';
  /** A terminal event has been queued: nothing after it counts. */
  #ended = false;
  /** Nothing more to read or hand out. */
  #finished = false;
  /** Set once the events are pushed (see `PUSH_EVENTS`): each goes to it as it is parsed. */
  #sink: EventSink | undefined;

  /**
   * `onEvent` sees every event as it is queued (e.g. to remember a run's files); `onFailure` the
   * API's own error of a `run.failed` (for the server log: the visitor gets generic words).
   */
  constructor(
    body: ReadableStream<Uint8Array>,
    signal: AbortSignal,
    onEvent?: (event: RunEvent) => void,
    onFailure?: UpstreamFailureListener,
    options: UpstreamRunEventsOptions = {},
  ) {
    this.#reader = bodyChunkReader(body);
    this.#signal = signal;
    this.#onEvent = onEvent;
    this.#onFailure = onFailure;
    this.#passThrough = options.passThrough;
    const idle = options.idleTimeoutMs;
    this.#idleMs = typeof idle === 'number' && Number.isFinite(idle) && idle >= 0 ? idle : DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  }

  /** When the upstream last sent anything (an event, a comment, a partial line): for the proxy's pings. */
  [UPSTREAM_ACTIVITY](): number {
    return this.#lastByte;
  }

  #armIdleTimer(ms: number): void {
    const timer = setTimeout(this.#onIdleTimer, ms);
    // A watchdog, not work: it must not keep a process alive by itself (Node; a no-op elsewhere).
    (timer as { unref?: () => void }).unref?.();
    this.#idleTimer = timer;
  }

  readonly #onIdleTimer = (): void => {
    this.#idleTimer = undefined;
    // Not waiting on the upstream: the next read arms the timer again (an abandoned iterator keeps none).
    if (this.#finished || !this.#reading) return;
    const quiet = Date.now() - Math.max(this.#lastByte, this.#readSince);
    if (quiet < this.#idleMs) {
      this.#armIdleTimer(this.#idleMs - quiet);
      return;
    }
    this.#timedOut = true;
    const sink = this.#sink;
    // Closes the upstream connection; the pending read settles and reports the timeout.
    this.#close();
    if (sink) {
      if (this.#signal.aborted) sink.end();
      else sink.error(upstreamTimeoutError(this.#idleMs));
    }
  };

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<RunEvent, undefined>> {
    if (this.#head < this.#queue.length) return Promise.resolve(this.#shift());
    return this.#read();
  }

  return(): Promise<IteratorResult<RunEvent, undefined>> {
    this.#close();
    return Promise.resolve(DONE);
  }

  #shift(): IteratorYieldResult<RunEvent> {
    const value = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as never; // let it go
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    return { done: false, value };
  }

  // Not an async function: one suspended per open stream between deltas (~100 ms at a model's
  // pace) held its frame, promise and await closures — most of what 1,000 streams kept alive in
  // the young generation, for every scavenge to copy. A `then` on the read holds only its reaction.
  #read(): Promise<IteratorResult<RunEvent, undefined>> {
    if (this.#timedOut) return this.#timeout();
    if (this.#finished) return Promise.resolve(DONE);
    if (this.#ended) {
      this.#close();
      return Promise.resolve(DONE);
    }
    this.#readSince = Date.now();
    this.#reading = true;
    if (this.#idleMs > 0 && this.#idleTimer === undefined) this.#armIdleTimer(this.#idleMs);
    let read: ReturnType<BodyChunkReader['read']>;
    try {
      read = this.#reader.read();
    } catch (err) {
      return Promise.resolve().then(() => this.#onReadError(err));
    }
    return read.then(this.#onChunk, this.#onReadError);
  }

  readonly #onChunk = ({ done, value }: Awaited<ReturnType<BodyChunkReader['read']>>): IteratorResult<RunEvent, undefined> | Promise<IteratorResult<RunEvent, undefined>> => {
    this.#reading = false;
    if (this.#timedOut) return this.#timeout();
    if (this.#finished) return DONE;
    this.#lastByte = Date.now();
    try {
      if (done) {
        this.#parser.feed(this.#decoder.decode());
        this.#parser.end();
        this.#finished = true;
        clearTimeout(this.#idleTimer);
        this.#reader.releaseLock();
        if (!this.#ended && !this.#signal.aborted) {
          this.#queue.push({
            type: 'run.failed',
            v: 1,
            run_id: this.#runId || 'unknown',
            error: { code: 'upstream_error', message: 'The reply was interrupted. Please try again.' },
          });
        }
        return this.#head < this.#queue.length ? this.#shift() : DONE;
      }
      this.#parser.feed(this.#decoder.decode(value, { stream: true }));
    } catch (err) {
      return this.#onReadError(err);
    }
    if (this.#head < this.#queue.length) return this.#shift();
    if (this.#ended) {
      this.#close();
      return DONE;
    }
    // Nothing whole in this chunk (a partial event, a comment): read on.
    return this.#read();
  };

  readonly #onReadError = (err: unknown): IteratorResult<RunEvent, undefined> | Promise<IteratorResult<RunEvent, undefined>> => {
    this.#reading = false;
    if (this.#timedOut) return this.#timeout();
    this.#close();
    if (this.#signal.aborted) return DONE;
    throw err instanceof SupportError ? err : new SupportError('upstream_error', 'The connection to the support service was lost.', { cause: err });
  };

  #accept(message: SseMessage): void {
    if (this.#ended) return;
    const event = mapUpstreamEvent(message, this.#onFailure, this.#passThrough);
    if (!event) return;
    this.#runId = event.run_id;
    if (event.type === 'run.completed' || event.type === 'run.failed') this.#ended = true;
    this.#onEvent?.(event);
    if (this.#sink) this.#sink.event(event);
    else this.#queue.push(event);
  }

  /**
   * Pushes the events from now on (see `PUSH_EVENTS`): those already parsed, then each as its chunk
   * arrives, parsed in the socket's own callback. Only over a body whose reader can push
   * (`createNodeFetch`), and not while a `next()` waits on a read.
   */
  [PUSH_EVENTS](sink: EventSink): boolean {
    if (this.#sink || this.#reading || this.#finished || this.#timedOut || typeof this.#reader.push !== 'function') return false;
    const queued = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    this.#sink = sink;
    // Those already parsed go first: this microtask is queued before any of the reader's.
    queueMicrotask(() => {
      for (const event of queued) {
        if (this.#sink !== sink) return;
        sink.event(event);
      }
      // The terminal event was among them: no more reading.
      if (this.#ended) this.#close();
    });
    if (this.#ended) return true;
    const chunks: BodyChunkSink = { chunk: this.#onPushedChunk, end: this.#onPushedEnd, error: this.#onPushedError };
    if (!this.#reader.push(chunks)) {
      this.#sink = undefined;
      this.#queue = queued;
      return false;
    }
    // Waiting on the upstream from now on: the idle timer watches the whole time.
    this.#reading = true;
    this.#readSince = Date.now();
    if (this.#idleMs > 0 && this.#idleTimer === undefined) this.#armIdleTimer(this.#idleMs);
    return true;
  }

  readonly #onPushedChunk = (value: Uint8Array): void => {
    if (this.#finished) return;
    this.#lastByte = Date.now();
    try {
      this.#parser.feed(this.#decoder.decode(value, { stream: true }));
    } catch (err) {
      this.#onPushedError(err);
      return;
    }
    // After the terminal event: the upstream connection can go (anything after it is ignored).
    if (this.#ended) {
      this.#sink = undefined;
      this.#close();
    }
  };

  readonly #onPushedEnd = (): void => {
    const sink = this.#sink;
    if (this.#finished || !sink) return;
    this.#lastByte = Date.now();
    try {
      this.#parser.feed(this.#decoder.decode());
    } catch {
      // A broken last chunk: the reply is cut short all the same.
    }
    this.#parser.end();
    this.#sink = undefined;
    this.#finished = true;
    this.#reading = false;
    clearTimeout(this.#idleTimer);
    if (this.#ended) return;
    if (this.#signal.aborted) sink.end();
    else sink.event({ type: 'run.failed', v: 1, run_id: this.#runId || 'unknown', error: { code: 'upstream_error', message: 'The reply was interrupted. Please try again.' } });
  };

  readonly #onPushedError = (err: unknown): void => {
    const sink = this.#sink;
    if (this.#finished || !sink) return;
    this.#sink = undefined;
    this.#reading = false;
    this.#close();
    if (this.#signal.aborted) sink.end();
    else sink.error(err instanceof SupportError ? err : new SupportError('upstream_error', 'The connection to the support service was lost.', { cause: err }));
  };

  /** Once: the timeout error (the core turns it into `run.failed`, or a 504 before the first event). */
  #timeout(): Promise<IteratorResult<RunEvent, undefined>> {
    if (this.#signal.aborted) return Promise.resolve(DONE);
    this.#timedOut = false;
    return Promise.reject(upstreamTimeoutError(this.#idleMs));
  }

  /** Stops reading and closes the upstream connection (idempotent). */
  #close(): void {
    this.#sink = undefined;
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#idleTimer);
    this.#queue.length = 0;
    this.#head = 0;
    this.#reader.cancel().catch(() => undefined);
    try {
      this.#reader.releaseLock();
    } catch {
      // Nothing to release.
    }
  }
}

/**
 * Events whose source is opened on the first `next()`, as an async generator's body would run then
 * (so a failure before the first event reaches the core as an HTTP error) — without a generator
 * layer, and its promises, around every later event.
 */
export class DeferredEvents implements AsyncIterableIterator<RunEvent>, UpstreamLiveness, PushableEvents {
  #open: (() => Promise<AsyncIterator<RunEvent>>) | undefined;
  #inner: AsyncIterator<RunEvent> | undefined;
  #returned = false;

  constructor(open: () => Promise<AsyncIterator<RunEvent>>) {
    this.#open = open;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The opened source's liveness, if it reports one (see `UpstreamLiveness`). */
  [UPSTREAM_ACTIVITY](): number | undefined {
    const inner = this.#inner as Partial<UpstreamLiveness> | undefined;
    return typeof inner?.[UPSTREAM_ACTIVITY] === 'function' ? inner[UPSTREAM_ACTIVITY]() : undefined;
  }

  next(): Promise<IteratorResult<RunEvent, undefined>> {
    return this.#inner ? (this.#inner.next() as Promise<IteratorResult<RunEvent, undefined>>) : this.#first();
  }

  /** The opened source's push, passed through (see `PUSH_EVENTS`). */
  [PUSH_EVENTS](sink: EventSink): boolean {
    return this.#inner !== undefined && !this.#returned && pushEvents(this.#inner, sink);
  }

  async return(): Promise<IteratorResult<RunEvent, undefined>> {
    this.#returned = true;
    this.#open = undefined;
    await this.#inner?.return?.();
    return DONE;
  }

  async #first(): Promise<IteratorResult<RunEvent, undefined>> {
    const open = this.#open;
    if (!open || this.#returned) return DONE;
    this.#open = undefined;
    const inner = await open();
    if (this.#returned) {
      await inner.return?.();
      return DONE;
    }
    this.#inner = inner;
    return inner.next() as Promise<IteratorResult<RunEvent, undefined>>;
  }
}
