import { PROTOCOL_VERSION } from '../../protocol/types.js';
import { formatEvent } from '../../protocol/sse-writer.js';
import { frameOf, type FrameEntry } from './event-stream-response.js';
import { isTerminalEvent } from './memory-run-log.js';
import { LOG_PAGE } from './local-cursor.js';
import type { RunBus, RunLogEntry, RunLogStore } from './stores.js';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

export interface RemoteFollowOptions {
  log: RunLogStore;
  runBus: RunBus;
  /** After this long without an entry, check that some instance still drives the run. */
  checkAfterMs: number;
}

/**
 * A stream of a run driven by another instance (or by this one before a restart): the entries
 * after `afterSeq` read from the log, then the new ones as the log announces them, until the
 * segment's terminal event. Watching costs no connection of its own (see `RunLogStore.watch`);
 * the log is read only to catch up (the start, or a gap in what was announced).
 *
 * If the run stops growing and no instance holds it any more (its instance died mid-reply), the
 * stream ends with `run.failed`, so the visitor gets Retry instead of waiting forever.
 */
export class RemoteCursor implements AsyncIterator<FrameEntry> {
  readonly #runId: string;
  readonly #options: RemoteFollowOptions;
  #next: number;
  #done = false;
  #needRead = true;
  readonly #announced = new Map<number, RunLogEntry>();
  #wake: (() => void) | undefined;
  #unwatch: Promise<() => Promise<void>> | undefined;
  #onEnd: (() => void) | undefined;

  constructor(runId: string, afterSeq: number, options: RemoteFollowOptions) {
    this.#runId = runId;
    this.#next = afterSeq + 1;
    this.#options = options;
  }

  /** Calls `listener` once when the stream ends (for any reason). */
  onEnd(listener: () => void): void {
    if (this.#done) listener();
    else this.#onEnd = listener;
  }

  /** Starts watching before the first read, so nothing appended in between is missed. */
  async start(): Promise<void> {
    this.#unwatch = this.#options.log.watch(this.#runId, (entry) => {
      if (entry.seq < this.#next || this.#done) return;
      this.#announced.set(entry.seq, entry);
      this.#wake?.();
    });
    await this.#unwatch;
  }

  async next(): Promise<IteratorResult<FrameEntry>> {
    while (!this.#done) {
      const announced = this.#announced.get(this.#next);
      if (announced) {
        this.#announced.delete(this.#next);
        return this.#hand(announced);
      }
      // Something later was announced: the ones in between were missed (or came before the watch).
      if (this.#needRead || this.#announced.size > 0) {
        this.#needRead = false;
        const read = await this.#options.log.read(this.#runId, this.#next - 1, LOG_PAGE);
        for (const entry of read) if (entry.seq >= this.#next) this.#announced.set(entry.seq, entry);
        if (this.#announced.size > 0 && !this.#announced.has(this.#next)) return this.#end(); // trimmed: a hole
        continue;
      }
      if (!(await this.#waitForEntry())) {
        const failed = await this.#checkWriter();
        if (failed) return failed;
      }
    }
    return DONE;
  }

  return(): Promise<IteratorResult<FrameEntry>> {
    this.#end();
    return Promise.resolve(DONE);
  }

  /** Resolves true when an entry was announced, false after `checkAfterMs` of silence. */
  #waitForEntry(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve(false);
      }, this.#options.checkAfterMs);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve(true);
      };
    });
  }

  /** After a silence: read again; if nothing came and no instance holds the run, it died. */
  async #checkWriter(): Promise<IteratorResult<FrameEntry> | undefined> {
    const held = (await this.#options.runBus.owner(this.#runId)) !== null;
    const lookup = await this.#options.log.lookup(this.#runId);
    if (lookup.state !== 'found') return this.#end();
    if (lookup.lastSeq >= this.#next) {
      this.#needRead = true;
      return undefined;
    }
    if (held) return undefined;
    this.#end();
    const event = {
      type: 'run.failed' as const,
      v: PROTOCOL_VERSION,
      run_id: this.#runId,
      error: { code: 'unavailable', message: 'The server writing this reply stopped before it finished. Please try again.' },
    };
    return { done: false, value: { seq: 0, event, frame: formatEvent(event) } };
  }

  #hand(entry: RunLogEntry): IteratorResult<FrameEntry> {
    this.#next = entry.seq + 1;
    if (isTerminalEvent(entry.event)) this.#end();
    return { done: false, value: { seq: entry.seq, event: entry.event, frame: frameOf(entry.event, entry.seq) } };
  }

  #end(): IteratorReturnResult<undefined> {
    if (!this.#done) {
      this.#done = true;
      this.#wake?.();
      this.#onEnd?.();
      void this.#unwatch?.then((unwatch) => unwatch()).catch(() => {});
    }
    return DONE;
  }
}
