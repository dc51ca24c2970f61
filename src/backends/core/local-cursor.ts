import { frameOf, UPSTREAM_ACTIVITY, type FrameEntry, type UpstreamLiveness } from './event-stream-response.js';
import { isTerminalEvent } from './memory-run-log.js';
import type { RecordedRun } from './recorded-run.js';
import type { RunLogStore } from './stores.js';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Entries read from the log per round trip when a stream catches up. */
export const LOG_PAGE = 256;

/**
 * A stream's position in a run recorded here: entries from memory, the older ones (before the
 * segment, or dropped from memory) read from the log. Ends after the segment's terminal event.
 */
export class LocalCursor implements AsyncIterator<FrameEntry>, UpstreamLiveness {
  readonly #run: RecordedRun;
  readonly #log: RunLogStore;
  #next: number;
  #done = false;
  #page: FrameEntry[] = [];

  constructor(run: RecordedRun, log: RunLogStore, afterSeq: number) {
    this.#run = run;
    this.#log = log;
    this.#next = afterSeq + 1;
  }

  [UPSTREAM_ACTIVITY](): number | undefined {
    return this.#run[UPSTREAM_ACTIVITY]();
  }

  /** The sequence number this stream reads next. */
  get position(): number {
    return this.#next;
  }

  next(): Promise<IteratorResult<FrameEntry>> {
    if (this.#done) return Promise.resolve(DONE);
    const entry = this.#run.entry(this.#next);
    if (entry) return Promise.resolve(this.#hand(entry));
    if (this.#next < this.#run.firstKept) return this.#fromLog();
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.#run.onNext(this.#woken);
    });
  }

  // One waiting `next()` at a time (the stream awaits each); one wake-up function for all of them.
  #resolve: ((result: IteratorResult<FrameEntry>) => void) | undefined;
  readonly #woken = (): void => {
    const resolve = this.#resolve!;
    this.#resolve = undefined;
    const later = this.#run.entry(this.#next);
    resolve(later ? this.#hand(later) : this.#end());
  };

  return(): Promise<IteratorResult<FrameEntry>> {
    this.#finish();
    return Promise.resolve(DONE);
  }

  #following: { onEntry: (entry: FrameEntry) => boolean; stop: () => void } | undefined;

  /**
   * For a stream caught up with the run: each new entry is handed to `onEntry` as the run records
   * it, synchronously, instead of a `next()` promise (and its wake-up) per entry. The promise
   * resolves when following stops: `onEntry` returned false (the consumer is full), the segment's
   * terminal entry was handed over, or `return()`. `undefined` when this stream is not caught up
   * (or has ended): read it with `next()`.
   */
  follow(onEntry: (entry: FrameEntry) => boolean): Promise<void> | undefined {
    if (this.#done || this.#following || this.#run.settled || this.#next !== this.#run.lastSeq + 1) return undefined;
    return new Promise((stop) => {
      this.#following = { onEntry, stop };
      this.#run.follow(this);
    });
  }

  /** The run's newest entry, while following. */
  deliver(entry: FrameEntry): void {
    const following = this.#following;
    if (!following || entry.seq !== this.#next) return;
    this.#next = entry.seq + 1;
    let more = false;
    try {
      more = following.onEntry(entry);
    } finally {
      if (isTerminalEvent(entry.event)) this.#finish();
      else if (!more) this.#unfollow();
    }
  }

  #unfollow(): void {
    const following = this.#following;
    if (!following) return;
    this.#following = undefined;
    this.#run.unfollow(this);
    following.stop();
  }

  async #fromLog(): Promise<IteratorResult<FrameEntry>> {
    if (this.#page.length === 0) {
      const read = await this.#log.read(this.#run.runId, this.#next - 1, LOG_PAGE);
      this.#page = read.filter((e) => e.seq >= this.#next).map((e) => ({ seq: e.seq, event: e.event, frame: frameOf(e.event, e.seq) }));
    }
    const entry = this.#page.shift();
    // The log no longer has it (trimmed to its bounds): a stream with a hole is no resume.
    if (!entry || entry.seq !== this.#next) return this.#end();
    return this.#hand(entry);
  }

  #hand(entry: FrameEntry): IteratorResult<FrameEntry> {
    this.#next = entry.seq + 1;
    // The segment ends here for this stream (an earlier segment's end, replayed, ends it too).
    if (isTerminalEvent(entry.event)) this.#finish();
    return { done: false, value: entry };
  }

  #end(): IteratorResult<FrameEntry> {
    this.#finish();
    return DONE;
  }

  #finish(): void {
    this.#done = true;
    this.#unfollow();
    this.#run.detach(this);
  }
}
