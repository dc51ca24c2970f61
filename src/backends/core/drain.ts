import type { RunEvent } from '../../protocol/types.js';
import { SupportError } from './support-error.js';
import { UPSTREAM_ACTIVITY, type UpstreamLiveness } from './event-stream-response.js';

/**
 * A handler that can be drained before its process stops (`createSupportHandler` returns one;
 * `serve(…).close({ graceMs })` in `ic-support-chat/node` calls it).
 */
export interface Drainable {
  /**
   * Stops taking new work and lets the runs in flight finish: from now on `POST /runs` and
   * approval decisions answer 503 `unavailable` with `Retry-After`; open streams go on for up to
   * `graceMs` (default 0), and whatever is still open then ends with `run.failed` (`unavailable`),
   * so the widget offers Retry with the question kept. Resolves once every run has ended. A second
   * call can only shorten the grace; draining is never undone (start a new handler instead).
   */
  drain(graceMs?: number): Promise<void>;
}

/** Seconds a client is told to wait (`Retry-After`) before retrying work refused while draining. */
export const DRAIN_RETRY_AFTER_SECONDS = 5;

/**
 * Why a run was refused or ended by a drain. A 503 like any `unavailable`, but an expected event
 * of a deploy, not a fault: the handler does not report it to `onError`.
 */
export class DrainInterruption extends SupportError {
  constructor(message: string) {
    super('unavailable', message, { retryAfterSeconds: DRAIN_RETRY_AFTER_SECONDS });
    this.name = 'DrainInterruption';
  }
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The handler's drain state and the runs it may have to end. One per handler: the handler asks
 * `refusal()` before starting new work and hands every run's events through `track()`.
 */
export class Drain implements Drainable {
  #draining = false;
  readonly #runs = new Set<TrackedRun>();
  #deadline = Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #idle: Promise<void> | undefined;
  #resolveIdle: (() => void) | undefined;

  /** True once `drain()` has been called. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Runs being tracked right now (for tests and metrics). */
  get openRuns(): number {
    return this.#runs.size;
  }

  /** The error to answer new work with while draining, or `undefined` when not draining. */
  refusal(): DrainInterruption | undefined {
    return this.#draining ? new DrainInterruption('This server is restarting. Please try again in a few seconds.') : undefined;
  }

  /**
   * Wraps a run's events so a drain can end it: until the grace is over they pass through as they
   * come; then a pending (or the next) `next()` rejects with a `DrainInterruption`, which the
   * stream writes as `run.failed` (before the first event, the handler answers 503 instead), and a
   * moment later `abort` is aborted so the backend stops its work upstream.
   */
  track(events: AsyncIterator<RunEvent>, abort: AbortController): AsyncIterator<RunEvent> {
    const run = new TrackedRun(events, abort, (r) => this.#untrack(r));
    this.#runs.add(run);
    return run;
  }

  drain(graceMs = 0): Promise<void> {
    if (!Number.isFinite(graceMs) || graceMs < 0) throw new RangeError(`drain(graceMs): expected a number ≥ 0, got ${graceMs}`);
    this.#draining = true;
    this.#idle ??= new Promise<void>((resolve) => (this.#resolveIdle = resolve));
    const deadline = Date.now() + graceMs;
    if (deadline < this.#deadline) {
      this.#deadline = deadline;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#interruptAll(), graceMs);
    }
    this.#settleIfIdle();
    return this.#idle;
  }

  #interruptAll(): void {
    this.#timer = undefined;
    const err = new DrainInterruption('The server is restarting and could not finish this reply. Please try again.');
    for (const run of [...this.#runs]) run.interrupt(err);
  }

  #untrack(run: TrackedRun): void {
    this.#runs.delete(run);
    this.#settleIfIdle();
  }

  #settleIfIdle(): void {
    if (!this.#draining || this.#runs.size > 0 || !this.#resolveIdle) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const resolve = this.#resolveIdle;
    this.#resolveIdle = undefined;
    resolve();
  }
}

interface Pending {
  resolve(result: IteratorResult<RunEvent>): void;
  reject(err: unknown): void;
}

/**
 * One run's events, passed through with a promise per `next()` that the drain can settle on its
 * own: a backend stuck awaiting its upstream cannot hold the stream open past the grace.
 */
class TrackedRun implements AsyncIterator<RunEvent> {
  readonly #inner: AsyncIterator<RunEvent>;
  readonly #abort: AbortController;
  readonly #onEnd: (run: TrackedRun) => void;
  #pending: Pending | undefined;
  #interruption: DrainInterruption | undefined;
  #ended = false;

  constructor(inner: AsyncIterator<RunEvent>, abort: AbortController, onEnd: (run: TrackedRun) => void) {
    this.#inner = inner;
    this.#abort = abort;
    this.#onEnd = onEnd;
    // The client left: whatever the consumer does next, this run no longer holds the drain up.
    abort.signal.addEventListener('abort', this.#end, { once: true });
  }

  /** The backend's upstream liveness, passed through (see `UpstreamLiveness`): a wrapper must not hide it. */
  [UPSTREAM_ACTIVITY](): number | undefined {
    const inner = this.#inner as Partial<UpstreamLiveness>;
    return typeof inner[UPSTREAM_ACTIVITY] === 'function' ? inner[UPSTREAM_ACTIVITY]() : undefined;
  }

  next(): Promise<IteratorResult<RunEvent>> {
    if (this.#interruption) {
      const err = this.#interruption;
      this.#interruption = undefined;
      return Promise.reject(err);
    }
    if (this.#ended && !this.#pending) return Promise.resolve(DONE);
    return new Promise<IteratorResult<RunEvent>>((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      this.#pending = pending;
      this.#inner.next().then(
        (result) => {
          if (this.#pending !== pending) return;
          this.#pending = undefined;
          if (result.done) this.#end();
          resolve(result);
        },
        (err: unknown) => {
          if (this.#pending !== pending) return;
          this.#pending = undefined;
          this.#end();
          reject(err);
        },
      );
    });
  }

  return(value?: unknown): Promise<IteratorResult<RunEvent>> {
    this.#end();
    const inner = this.#inner.return?.(value);
    return inner
      ? inner.then(
          () => DONE,
          () => DONE,
        )
      : Promise.resolve(DONE);
  }

  /** Ends the run now: the consumer gets `err` (as `run.failed`), then the backend is aborted. */
  interrupt(err: DrainInterruption): void {
    if (this.#ended) return;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) pending.reject(err);
    else this.#interruption = err;
    // After a macrotask (setTimeout: portable, unlike setImmediate): the consumer writes
    // `run.failed` in the microtasks that follow the rejection, and an abort before that would
    // close the stream silently instead.
    setTimeout(() => {
      this.#end();
      if (!this.#abort.signal.aborted) this.#abort.abort(err);
      this.#inner.return?.()?.catch(() => {});
    }, 0);
  }

  readonly #end = (): void => {
    if (this.#ended) return;
    this.#ended = true;
    this.#abort.signal.removeEventListener('abort', this.#end);
    this.#onEnd(this);
  };
}
