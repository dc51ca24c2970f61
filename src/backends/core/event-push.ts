import type { RunEvent } from '../../protocol/types.js';

/**
 * A run's events handed over as they come instead of one `next()` promise each: the proxy's hot
 * path. Between deltas (~100 ms at a model's pace) a pulled stream keeps a pending read, its
 * promises and their reactions alive; with 1,000 streams open that was most of what every
 * scavenge had to copy. A pushed stream keeps nothing but its socket listener.
 *
 * Optional on any `AsyncIterator<RunEvent>` the core drives (a backend's, and the wrappers around
 * it, which pass it through); the core falls back to `next()` when it is absent or refused.
 */
export const PUSH_EVENTS: unique symbol = Symbol.for('ic-support-chat.push-events');

/** Receives pushed events. No call is made from inside `[PUSH_EVENTS]()` itself. */
export interface EventSink {
  /** The next event. After a terminal one (`run.completed`/`run.failed`) nothing more is called. */
  event(event: RunEvent): void;
  /** The events ended without a terminal event (what `next()` reporting `done` would say). */
  end(): void;
  /** The events failed (what a rejected `next()` would say). Nothing more is called. */
  error(err: unknown): void;
}

export interface PushableEvents {
  /**
   * Hands every later event to `sink` (those already queued first); `false` if it cannot (a
   * `next()` is pending, the source has no push of its own…): keep calling `next()`. Once it has
   * returned `true`, `next()` is not called again until the sink has had its last call; `return()`
   * still stops the source, and nothing more is pushed after it.
   */
  [PUSH_EVENTS](sink: EventSink): boolean;
}

/** Starts pushing `events` to `sink` if it can push; `false` to keep pulling. */
export function pushEvents(events: AsyncIterator<RunEvent>, sink: EventSink): boolean {
  const push = (events as Partial<PushableEvents>)[PUSH_EVENTS];
  return typeof push === 'function' && push.call(events, sink) === true;
}
