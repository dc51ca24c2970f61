import { PROTOCOL_VERSION, type RunEvent } from '../../protocol/types.js';
import { frameOf, UPSTREAM_ACTIVITY, type FrameEntry, type UpstreamLiveness } from './event-stream-response.js';
import { pushEvents, type EventSink } from './event-push.js';
import { InMemoryRunLogStore, isTerminalEvent } from './memory-run-log.js';
import type { RunLogStore } from './stores.js';
import { LocalCursor } from './local-cursor.js';
import { toErrorInfo } from './support-error.js';

/**
 * The most entries a run keeps in this process for a stream that lags behind it (this many to
 * twice as many: they are dropped in bulk, not one array shift per event); older ones are read
 * from the log.
 */
const MAX_LOCAL_ENTRIES = 256;
/** Entries every stream here has passed are dropped once this many have piled up (or all at once). */
const RELEASE_BATCH = 32;
/** Events pulled back to back before the drive loop lets timers and I/O run. */
const YIELD_EVERY = 256;

export interface RecordedRunOptions {
  runId: string;
  /** The sequence number of the last event already in the log (0 for a new run). */
  afterSeq: number;
  log: RunLogStore;
  /** A failure to write the log (the run goes on; only a resume elsewhere would miss the event). */
  report: (err: unknown) => void;
  /** Called once, after the segment's terminal event was appended. */
  onSettled: () => void;
}

/**
 * One stream segment of a run (a turn, or the continuation after an approval), driven by the
 * server, not by a browser: the backend's events are pulled as they come, numbered, appended to
 * the run log and handed to every stream reading them here (the request that started it, a
 * resume that landed on this instance). A browser that goes away leaves the run going; only a
 * Stop, the maximum run time or a drain end it (through `ManagedRunEvents`).
 *
 * Appends are not awaited one by one: the log applies one run's appends in call order (one
 * connection, or this process), and the streams here read from memory, so a delta costs the
 * browser no store round trip.
 */
export class RecordedRun implements UpstreamLiveness {
  readonly runId: string;
  readonly #events: AsyncIterator<RunEvent>;
  readonly #options: RecordedRunOptions;
  readonly #entries: FrameEntry[] = [];
  // Sequence number of #entries[0].
  #firstKept: number;
  #lastSeq: number;
  #settled = false;
  #waiters: (() => void)[] = [];
  // The streams reading this run here. Entries all of them have passed are let go at once: an entry
  // kept for the run's life outlives the young generation, and 1,000 streams' worth of them made
  // every scavenge copy them (tens of ms each, the proxy's p99). Until a first stream has
  // attached, entries are kept (the request that started the run reads them just after).
  readonly #cursors = new Set<LocalCursor>();
  #attached = false;
  // Caught-up streams that take each entry as it is recorded (see `LocalCursor.follow`).
  readonly #followers = new Set<LocalCursor>();

  constructor(first: RunEvent, events: AsyncIterator<RunEvent>, options: RecordedRunOptions) {
    this.runId = options.runId;
    this.#events = events;
    this.#options = options;
    this.#lastSeq = options.afterSeq;
    this.#firstKept = options.afterSeq + 1;
    this.#push(first);
    if (!this.#settled) this.#pull();
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** The segment's first sequence number that is still in this process's memory. */
  get firstKept(): number {
    return this.#firstKept;
  }

  [UPSTREAM_ACTIVITY](): number | undefined {
    const inner = this.#events as Partial<UpstreamLiveness>;
    return typeof inner[UPSTREAM_ACTIVITY] === 'function' ? inner[UPSTREAM_ACTIVITY]() : undefined;
  }

  /** The entry numbered `seq`, if this process still has it. */
  entry(seq: number): FrameEntry | undefined {
    return this.#entries[seq - this.#firstKept];
  }

  /** Calls `wake` once, at the next event (or at once if the segment has settled). */
  onNext(wake: () => void): void {
    if (this.#settled) wake();
    else this.#waiters.push(wake);
  }

  /** A stream of the entries after `afterSeq` up to the segment's terminal event. */
  cursor(afterSeq: number): LocalCursor {
    const cursor = new LocalCursor(this, this.#options.log, afterSeq);
    this.#cursors.add(cursor);
    this.#attached = true;
    return cursor;
  }

  /** `cursor` has ended: the entries it alone still needed can go. */
  detach(cursor: LocalCursor): void {
    this.#cursors.delete(cursor);
    this.#followers.delete(cursor);
  }

  /** `cursor` gets each new entry handed to it (`LocalCursor.deliver`) until `unfollow`. */
  follow(cursor: LocalCursor): void {
    this.#followers.add(cursor);
  }

  unfollow(cursor: LocalCursor): void {
    this.#followers.delete(cursor);
  }

  /** Drops the entries before the oldest one a stream here still has to read, and before `seq`. */
  #release(seq: number): void {
    let oldestNeeded = seq;
    for (const cursor of this.#cursors) if (cursor.position < oldestNeeded) oldestNeeded = cursor.position;
    const kept = this.#entries.length;
    const passed = Math.min(oldestNeeded - this.#firstKept, kept);
    if (passed === kept) this.#entries.length = 0;
    else if (passed >= RELEASE_BATCH) this.#entries.splice(0, passed);
    else return;
    this.#firstKept += passed;
  }

  // Callbacks, not an async loop: a loop suspended on `next()` between deltas held its frame and
  // promise in the young generation for 1,000 streams at once (copied by every scavenge).
  #sinceTurn = 0;

  // Pushed events (see `PUSH_EVENTS`) need no pull: the backend hands each over as it is parsed.
  #pushed = false;
  readonly #sink: EventSink = {
    event: (event) => {
      if (this.#settled) return;
      this.#push(event);
      if (this.#settled) void this.#finishBackend();
    },
    end: () => this.#onNext({ done: true, value: undefined }),
    error: (err) => this.#onError(err),
  };

  readonly #pull = (): void => {
    if (this.#settled) {
      void this.#finishBackend();
      return;
    }
    if (!this.#pushed && pushEvents(this.#events, this.#sink)) {
      this.#pushed = true;
      return;
    }
    // Nothing paces the backend any more (no browser's backpressure): one that yields without
    // ever awaiting I/O would hold the event loop, timers included (the maximum run time, a Stop).
    if (++this.#sinceTurn >= YIELD_EVERY) {
      this.#sinceTurn = 0;
      setTimeout(this.#pullNow, 0);
    } else this.#pullNow();
  };

  readonly #pullNow = (): void => {
    let next: Promise<IteratorResult<RunEvent>>;
    try {
      next = this.#events.next();
    } catch (err) {
      this.#onError(err);
      return;
    }
    next.then(this.#onNext, this.#onError);
  };

  readonly #onNext = (next: IteratorResult<RunEvent>): void => {
    if (this.#settled) return;
    this.#push(next.done ? this.#failure({ code: 'upstream_error', message: 'The reply ended before it was complete. Please try again.' }) : next.value);
    this.#pull();
  };

  readonly #onError = (err: unknown): void => {
    if (this.#settled) return;
    this.#options.report(err);
    this.#push(this.#failure(toErrorInfo(err)));
    this.#pull();
  };

  /**
   * After the terminal event the backend's iterator is run to its end, as a reader of the stream
   * did before: a backend may still save its history after its last yield. Anything it yields
   * now is past the end of the segment and dropped; a few of those and it is closed instead.
   */
  async #finishBackend(): Promise<void> {
    try {
      for (let extra = 0; extra < 16; extra++) {
        const next = await this.#events.next();
        if (next.done) return;
        // A backend bug worth knowing about; the visitor's stream already ended cleanly.
        if (extra === 0) this.#options.report(new Error(`The backend yielded "${next.value.type}" after run ${this.runId}'s terminal event; dropped.`));
      }
      await this.#events.return?.();
    } catch (err) {
      this.#options.report(err);
    }
  }

  #failure(error: { code: string; message: string }): RunEvent {
    return { type: 'run.failed', v: PROTOCOL_VERSION, run_id: this.runId, error };
  }

  /**
   * A shared store batches appends (one promise for many entries, see the Redis store): a failure
   * is reported once per batch, not once per entry of it.
   */
  #append(seq: number, event: RunEvent, json: string, terminal: boolean): void {
    const { log, report, onSettled } = this.#options;
    const appended = log.append(this.runId, seq, event, json);
    const first = appended !== this.#lastAppend;
    this.#lastAppend = appended;
    if (terminal) {
      this.#settled = true;
      // Settled once the log has the terminal event: a resume elsewhere then finds it.
      appended.then(onSettled, (err: unknown) => {
        if (first) report(err);
        onSettled();
      });
    } else if (first) appended.catch(report);
  }

  #lastAppend: Promise<void> | undefined;

  #push(event: RunEvent): void {
    const seq = ++this.#lastSeq;
    if (this.#attached && this.#entries.length > 0) this.#release(seq);
    const json = JSON.stringify(event);
    const entry: FrameEntry = { seq, event, frame: frameOf(event, seq, json) };
    this.#entries.push(entry);
    if (this.#entries.length > 2 * MAX_LOCAL_ENTRIES) {
      this.#entries.splice(0, this.#entries.length - MAX_LOCAL_ENTRIES);
      this.#firstKept = seq - MAX_LOCAL_ENTRIES + 1;
    }
    const terminal = isTerminalEvent(event);
    const log = this.#options.log;
    if (log instanceof InMemoryRunLogStore) {
      // In this process: no promise per delta. Settled on the next microtask (the handler names the run first).
      try {
        log.appendNow(this.runId, seq, event, json);
      } catch (err) {
        this.#options.report(err);
      }
      if (terminal) {
        this.#settled = true;
        queueMicrotask(this.#options.onSettled);
      }
    } else this.#append(seq, event, json, terminal);
    const waiters = this.#waiters;
    if (waiters.length === 1) {
      // The usual case (the browser that started the run, caught up): no new array per event.
      const wake = waiters[0]!;
      waiters.length = 0;
      wake();
    } else if (waiters.length > 1) {
      this.#waiters = [];
      for (const wake of waiters) wake();
    }
    if (this.#followers.size > 0) {
      for (const follower of this.#followers) {
        try {
          follower.deliver(entry);
        } catch (err) {
          // One stream's failure is that stream's; the run and its log go on.
          this.#options.report(err);
        }
      }
    }
    // Woken streams have taken the entry: let it go now rather than at the next event (~100 ms
    // later at a model's pace), so it dies young instead of being copied by the scavenges between.
    if (this.#attached) this.#release(seq + 1);
  }
}
