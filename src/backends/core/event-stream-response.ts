import { formatComment, formatEvent, formatEventWithId } from '../../protocol/sse-writer.js';
import { offerEventFrames, type EventFrames, type FrameSink } from '../../protocol/server-fast-paths.js';
import { PROTOCOL_VERSION, type RunEvent } from '../../protocol/types.js';
import { toErrorInfo } from './support-error.js';

export interface EventStreamOptions {
  /** A `: ping` comment is written after this long without output. */
  pingIntervalMs: number;
  /** Extra headers (cookie, CORS). */
  headers: Headers;
  /** Aborted when this stream's client goes away (the run itself goes on: see `RecordedRun`). */
  abort: AbortController;
  onError: (err: unknown) => void;
}

export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // Tells nginx (and proxies that copy it) not to buffer the stream.
  'X-Accel-Buffering': 'no',
};

// The frames' contract (EVENT_FRAMES, EventFrames, FrameSink) is shared with the Node adapter.
export { EVENT_FRAMES, type EventFrames, type FrameSink } from '../../protocol/server-fast-paths.js';

/**
 * A backend's event iterator may implement this to say when its upstream last showed a sign of
 * life (any bytes, its own keep-alive comments included), as a `Date.now()` time, or `undefined`
 * for "no signal". The proxy's `: ping` keeps the browser's idle timer from firing; with this
 * signal a ping is sent only if the upstream was heard from since the last frame, so a stalled
 * upstream goes quiet in the browser too instead of being hidden behind the proxy's own pings.
 * Iterators without it (a local backend, a generator) are pinged as before: their work happens
 * in this process, where a stall is not a remote one to surface.
 */
export const UPSTREAM_ACTIVITY: unique symbol = Symbol.for('ic-support-chat.upstream-activity');
export interface UpstreamLiveness {
  [UPSTREAM_ACTIVITY](): number | undefined;
}

/** The iterator's liveness reader, if it has one. */
function livenessOf(iterator: AsyncIterator<unknown>): (() => number | undefined) | undefined {
  const probe = (iterator as Partial<UpstreamLiveness>)[UPSTREAM_ACTIVITY];
  return typeof probe === 'function' ? () => probe.call(iterator) : undefined;
}

// Stateless (UTF-8 only), so one instance serves every stream.
const encoder = new TextEncoder();
const PING = formatComment('ping');

/**
 * `formatEvent(event, id)`, without copying the event: every event built by the backends has `type`
 * as its first key, so the data is its JSON with that key cut off. Anything else goes the long way.
 */
export function frameOf(event: RunEvent, id?: number, json = JSON.stringify(event)): string {
  const type = event.type;
  // `{"type":"` is 9 characters; the name is a plain identifier (else the check fails: long way).
  const end = 9 + type.length;
  if (json.startsWith(type, 9) && json.startsWith('{"type":"', 0) && json.charCodeAt(end) === 34 && json.charCodeAt(end + 1) === 44) {
    const frame = `event: ${type}\ndata: {${json.slice(end + 2)}\n\n`;
    return id === undefined ? frame : `id: ${id}\n${frame}`;
  }
  return id === undefined ? formatEvent(event) : formatEventWithId(event, id);
}

/** A run event with its sequence number in the run's log and its SSE frame (written once, shared by every stream). */
export interface FrameEntry {
  seq: number;
  event: RunEvent;
  frame: string;
}

/**
 * An iterator that can also hand its items over as they come, without a promise per item (a
 * recorded run's `LocalCursor`): see `LocalCursor.follow`. `pump` uses it when the iterator has it.
 */
interface Following<T> {
  follow(onItem: (item: T) => boolean): Promise<void> | undefined;
}

/** How a stream turns what its iterator yields into frames. */
interface Framing<T> {
  frame(item: T): string;
  event(item: T): RunEvent;
}

const EVENT_FRAMING: Framing<RunEvent> = { frame: (event) => frameOf(event), event: (event) => event };
const ENTRY_FRAMING: Framing<FrameEntry> = { frame: (entry) => entry.frame, event: (entry) => entry.event };

/**
 * One stream's frames, pulled from the backend one event at a time (a slow reader slows the
 * backend instead of filling memory).
 */
class RunFrames<T> implements EventFrames {
  #first: T | undefined;
  readonly #iterator: AsyncIterator<T>;
  readonly #framing: Framing<T>;
  readonly #options: EventStreamOptions;
  #runId: string;
  #sink: FrameSink | undefined;
  #closed = false;
  // One timer per stream, re-armed only when it fires (never per event): each write just records
  // its time, and the timer, on waking, pings if the stream has been quiet for the whole interval
  // or sleeps for the rest of it. Clearing and setting a timer per delta costs more than the delta.
  #lastWrite = 0;
  #pingTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #liveness: (() => number | undefined) | undefined;

  constructor(first: T, iterator: AsyncIterator<T>, options: EventStreamOptions, framing: Framing<T>) {
    this.#first = first;
    this.#framing = framing;
    this.#runId = framing.event(first).run_id;
    this.#iterator = iterator;
    this.#options = options;
    this.#liveness = livenessOf(iterator);
    // Runtimes that abort request.signal without cancelling the body still stop the backend.
    options.abort.signal.addEventListener(
      'abort',
      () => {
        if (this.#closed) return;
        this.#finish();
        this.#returnIterator();
        this.#sink?.close();
      },
      { once: true },
    );
  }

  claim(sink: FrameSink): boolean {
    if (this.#sink || this.#closed) return false;
    this.#sink = sink;
    const first = this.#first!;
    this.#first = undefined;
    this.#write(this.#framing.frame(first));
    this.#pingTimer = setTimeout(this.#onPingTimer, this.#options.pingIntervalMs);
    return true;
  }

  async next(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      const next = await this.#iterator.next();
      if (this.#closed) return false;
      if (next.done) {
        this.#finish();
        return false;
      }
      const runId = this.#framing.event(next.value).run_id;
      if (runId) this.#runId = runId;
      this.#write(this.#framing.frame(next.value));
      return true;
    } catch (err) {
      if (this.#closed) return false;
      if (!this.#options.abort.signal.aborted) this.#options.onError(err);
      this.#write(formatEvent({ type: 'run.failed', v: PROTOCOL_VERSION, run_id: this.#runId, error: toErrorInfo(err) }));
      this.#finish();
      return false;
    }
  }

  async pump(): Promise<void> {
    const iterator = this.#iterator;
    const follow = (iterator as Partial<Following<T>>).follow;
    try {
      while (!this.#closed) {
        // Caught up with a recorded run: its entries are written as they are recorded.
        const following = typeof follow === 'function' ? follow.call(iterator, this.#onFollowed) : undefined;
        if (following) {
          await following;
          const failure = this.#followFailure;
          if (failure) {
            this.#followFailure = undefined;
            throw failure.error;
          }
          if (this.#closed) return;
          if (this.#mustDrain) {
            this.#mustDrain = false;
            await this.#sink!.drain!();
          }
          continue;
        }
        const next = await iterator.next();
        if (this.#closed) return;
        if (next.done) {
          this.#finish();
          return;
        }
        const runId = this.#framing.event(next.value).run_id;
        if (runId) this.#runId = runId;
        if (this.#write(this.#framing.frame(next.value)) === false && this.#sink!.drain) await this.#sink!.drain();
      }
    } catch (err) {
      if (this.#closed) return;
      if (!this.#options.abort.signal.aborted) this.#options.onError(err);
      this.#write(formatEvent({ type: 'run.failed', v: PROTOCOL_VERSION, run_id: this.#runId, error: toErrorInfo(err) }));
      this.#finish();
    }
  }

  #followFailure: { error: unknown } | undefined;
  #mustDrain = false;

  // What `pump` hands to a following iterator: false stops the following (full, or failed).
  readonly #onFollowed = (item: T): boolean => {
    if (this.#closed) return false;
    try {
      const runId = this.#framing.event(item).run_id;
      if (runId) this.#runId = runId;
      if (this.#write(this.#framing.frame(item)) === false && this.#sink!.drain) {
        this.#mustDrain = true;
        return false;
      }
      return true;
    } catch (error) {
      this.#followFailure = { error };
      return false;
    }
  };

  cancel(): void {
    if (this.#closed) return;
    this.#finish();
    this.#options.abort.abort(new DOMException('The client closed the stream.', 'AbortError'));
    this.#returnIterator();
  }

  #write(frame: string): boolean | void {
    this.#lastWrite = Date.now();
    return this.#sink!.write(frame);
  }

  readonly #onPingTimer = (): void => {
    if (this.#closed) return;
    const interval = this.#options.pingIntervalMs;
    const quiet = Date.now() - this.#lastWrite;
    if (quiet >= interval) {
      if (this.#upstreamAlive()) this.#write(PING);
      this.#pingTimer = setTimeout(this.#onPingTimer, interval);
    } else {
      this.#pingTimer = setTimeout(this.#onPingTimer, interval - quiet);
    }
  };

  /** No liveness signal: alive (today's pings). With one: heard from since the last frame. */
  #upstreamAlive(): boolean {
    const last = this.#liveness?.();
    // Strictly after: the byte that carried the last event was written with it (same millisecond or earlier).
    return last === undefined || last > this.#lastWrite;
  }

  #finish(): void {
    this.#closed = true;
    clearTimeout(this.#pingTimer);
  }

  #returnIterator(): void {
    // Not awaited: a generator stuck in an await only settles once it honours the signal.
    Promise.resolve()
      .then(() => this.#iterator.return?.())
      .catch(() => {});
  }
}

/**
 * Streams a run's events as SSE, one frame per event, each written the moment the backend yields
 * it. A backend error after the first event becomes a `run.failed` event; the client cancelling
 * the stream aborts the backend's signal and closes its iterator.
 *
 * The body is a byte stream (portable: any Fetch runtime). The same frames, as strings, are
 * offered under `EVENT_FRAMES` to an adapter that writes strings (see `EventFrames`); whichever
 * reads first gets them.
 */
export function eventStreamResponse(first: RunEvent, iterator: AsyncIterator<RunEvent>, options: EventStreamOptions): Response {
  return framesResponse(new RunFrames(first, iterator, options, EVENT_FRAMING), options);
}

/**
 * `eventStreamResponse` for a run's logged entries: each frame carries its `id:` (the entry's
 * sequence number), so the client can resume after it (`GET /runs/{id}/events`).
 */
export function entryStreamResponse(first: FrameEntry, iterator: AsyncIterator<FrameEntry>, options: EventStreamOptions): Response {
  return framesResponse(new RunFrames(first, iterator, options, ENTRY_FRAMING), options);
}

function framesResponse(frames: EventFrames, options: EventStreamOptions): Response {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const sink: FrameSink = {
    write: (frame) => {
      controller.enqueue(encoder.encode(frame));
    },
    close: () => {
      try {
        controller.close();
      } catch {
        // already closed or errored
      }
    },
  };
  let claimed = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        if (!claimed) {
          claimed = true;
          // An adapter took the frames: this body stays empty.
          if (!frames.claim(sink)) sink.close();
          return;
        }
        return frames.next().then((more) => {
          if (!more) sink.close();
        });
      },
      cancel() {
        frames.cancel();
      },
    },
    // Nothing is pulled until someone reads, so an adapter can still claim the frames.
    { highWaterMark: 0 },
  );

  const headers = new Headers(options.headers);
  for (const [name, value] of Object.entries(EVENT_STREAM_HEADERS)) headers.set(name, value);
  const response = new Response(stream, { status: 200, headers });
  offerEventFrames(response, frames);
  return response;
}
