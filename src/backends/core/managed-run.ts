import { PROTOCOL_VERSION, type RunEvent } from '../../protocol/types.js';
import { PUSH_EVENTS, pushEvents, type EventSink, type PushableEvents } from './event-push.js';
import { UPSTREAM_ACTIVITY, type UpstreamLiveness } from './event-stream-response.js';

export interface ManagedRunOptions {
  /** Aborts the backend's work (its `TurnContext.signal`), not the response stream. */
  stopBackend: AbortController;
  /** The longest a run may take; past it the run ends with `run.failed` (`run_timeout`). */
  maxRunMs: number;
  /** Called once when the run's events end for any reason (release its slots and registration). */
  onEnd: () => void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A run's events with a way to end them from outside: a Stop that reached another instance, a drain
 * or the maximum run time. The backend is aborted and the browser still gets a proper last event
 * (`run.completed` cancelled, or `run.failed`) instead of a cut stream, even when the upstream has
 * no cancel of its own or ignores it.
 *
 * One promise per event and no generator layer: this sits on the proxy's hot path.
 */
export class ManagedRunEvents implements AsyncIterator<RunEvent>, PushableEvents {
  readonly #inner: AsyncIterator<RunEvent>;
  readonly #options: ManagedRunOptions;
  #runId: string;
  #ended = false;
  // How the run was ended from outside, for the next() that comes after: a last event, or an error.
  #forced: { event: RunEvent } | { error: unknown } | undefined;
  #pending: { resolve: (r: IteratorResult<RunEvent>) => void; reject: (err: unknown) => void } | undefined;
  // Set while the inner events are pushed (see `PUSH_EVENTS`).
  #sink: EventSink | undefined;
  readonly #deadline: ReturnType<typeof setTimeout>;

  constructor(inner: AsyncIterator<RunEvent>, runId: string, options: ManagedRunOptions) {
    this.#inner = inner;
    this.#runId = runId;
    this.#options = options;
    this.#deadline = setTimeout(
      () =>
        this.stop({
          type: 'run.failed',
          v: PROTOCOL_VERSION,
          run_id: this.#runId,
          error: { code: 'run_timeout', message: 'The reply took too long and was stopped. Please try again.' },
        }),
      options.maxRunMs,
    );
    // A long maximum run time must not keep a finished process alive.
    (this.#deadline as { unref?: () => void }).unref?.();
  }

  /** The run id seen so far (the backend may name it only in its first event). */
  get runId(): string {
    return this.#runId;
  }

  /** Whether the events have ended (nothing more will be handed on). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The backend's upstream liveness, passed through (see `UpstreamLiveness`): a wrapper must not hide it. */
  [UPSTREAM_ACTIVITY](): number | undefined {
    const inner = this.#inner as Partial<UpstreamLiveness>;
    return typeof inner[UPSTREAM_ACTIVITY] === 'function' ? inner[UPSTREAM_ACTIVITY]() : undefined;
  }

  next(): Promise<IteratorResult<RunEvent>> {
    if (this.#ended) return Promise.resolve(DONE);
    const forced = this.#forced;
    if (forced) {
      this.#forced = undefined;
      this.#end();
      return 'event' in forced ? Promise.resolve({ done: false, value: forced.event }) : Promise.reject(forced.error);
    }
    return new Promise<IteratorResult<RunEvent>>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#inner.next().then(this.#onResult, this.#onError);
    });
  }

  // Bound once, not two closures per event (they and their promise live until the next upstream
  // event, ~100 ms at a model's pace: long enough to be copied by a scavenge). A result that
  // arrives after `stop` or `interrupt` handed their ending on (nothing pending any more) is dropped.
  /**
   * The backend's push, passed through (see `PUSH_EVENTS`): the run id is tracked and the run ends
   * (its slots released) as it would through `next()`; a Stop or drain pushes its ending.
   */
  [PUSH_EVENTS](sink: EventSink): boolean {
    if (this.#ended || this.#forced || this.#pending || this.#sink) return false;
    const pushed = pushEvents(this.#inner, {
      event: (event) => {
        if (this.#sink !== sink) return;
        if (event.run_id) this.#runId = event.run_id;
        sink.event(event);
      },
      end: () => {
        if (this.#sink !== sink) return;
        this.#sink = undefined;
        this.#end();
        sink.end();
      },
      error: (err) => {
        if (this.#sink !== sink) return;
        this.#sink = undefined;
        this.#end();
        sink.error(err);
      },
    });
    if (pushed) this.#sink = sink;
    return pushed;
  }

  readonly #onResult = (result: IteratorResult<RunEvent>): void => {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    if (result.done) this.#end();
    else if (result.value.run_id) this.#runId = result.value.run_id;
    pending.resolve(result);
  };

  readonly #onError = (err: unknown): void => {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    this.#end();
    pending.reject(err);
  };

  return(): Promise<IteratorResult<RunEvent>> {
    if (!this.#ended) {
      this.#end();
      this.#closeInner();
    }
    return Promise.resolve(DONE);
  }

  /**
   * Ends the run now with `last` as its final event: the backend is aborted and its iterator closed
   * (not awaited: a backend stuck in an await settles only once it honours the signal).
   */
  stop(last: RunEvent): void {
    this.#endWith({ event: last });
  }

  /**
   * Ends the run now with an error (a drain's `DrainInterruption`): before the first event the
   * handler answers it as an HTTP error, after it the stream writes it as `run.failed`.
   */
  interrupt(error: unknown): void {
    this.#endWith({ error });
  }

  #endWith(ending: { event: RunEvent } | { error: unknown }): void {
    if (this.#ended || this.#forced) return;
    this.#options.stopBackend.abort(new DOMException('The run was stopped.', 'AbortError'));
    this.#closeInner();
    const sink = this.#sink;
    if (sink) {
      // Pushed: the ending goes the same way, on a microtask (a Stop may come from inside a push).
      this.#sink = undefined;
      this.#end();
      queueMicrotask(() => ('event' in ending ? sink.event(ending.event) : sink.error(ending.error)));
      return;
    }
    const pending = this.#pending;
    if (!pending) {
      this.#forced = ending;
      return;
    }
    // The call waiting now gets the ending; the next one ends the stream.
    this.#pending = undefined;
    this.#end();
    if ('event' in ending) pending.resolve({ done: false, value: ending.event });
    else pending.reject(ending.error);
  }

  /** Stops the run as a Stop would: `run.completed` with `stop_reason: "cancelled"`. */
  cancel(): void {
    this.stop({ type: 'run.completed', v: PROTOCOL_VERSION, run_id: this.#runId, stop_reason: 'cancelled' });
  }

  #closeInner(): void {
    Promise.resolve()
      .then(() => this.#inner.return?.())
      .catch(() => {});
  }

  #end(): void {
    this.#ended = true;
    this.#cleanup();
  }

  #cleanupDone = false;
  #cleanup(): void {
    if (this.#cleanupDone) return;
    this.#cleanupDone = true;
    clearTimeout(this.#deadline);
    this.#options.onEnd();
  }
}
