import { SupportError } from './support-error.js';

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

/** A run a drain can end: its events fail with the interruption (see `ManagedRunEvents.interrupt`). */
export interface Interruptible {
  interrupt(error: DrainInterruption): void;
}

/**
 * The handler's drain state and the runs it may have to end. One per handler: the handler asks
 * `refusal()` before starting new work and registers every run with `add()` until it ends.
 */
export class Drain implements Drainable {
  #draining = false;
  readonly #runs = new Set<Interruptible>();
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

  /** Registers a run until the returned function is called (when it ends, for any reason). */
  add(run: Interruptible): () => void {
    this.#runs.add(run);
    return () => {
      this.#runs.delete(run);
      this.#settleIfIdle();
    };
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

  #settleIfIdle(): void {
    if (!this.#draining || this.#runs.size > 0 || !this.#resolveIdle) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const resolve = this.#resolveIdle;
    this.#resolveIdle = undefined;
    resolve();
  }
}
