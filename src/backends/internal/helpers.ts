/**
 * Helpers the backends share (core, local, ingram, its emulator, ai-sdk). Internal: not a package
 * entry, so it can change without a release note. Fetch-API and WebCrypto only, like the core, so
 * every backend that imports it still runs on any engine.
 */
import type { Visitor } from '../core/types.js';

export { isRecord } from '../../protocol/errors.js';

/**
 * A visitor's server-side key for whatever a backend keeps per visitor: kinds never collide, so a
 * user whose id equals some anonymous token still addresses nothing of that visitor.
 */
export function visitorKey(visitor: Pick<Visitor, 'kind' | 'id'>): string {
  return `${visitor.kind}:${visitor.id}`;
}

/** `prefix_` + 96 random bits in hex (e.g. `run_3f…`): unguessable, so an id is never a capability leak. */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return `${prefix}_${hex}`;
}

/** Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A server-side error log. */
export type ErrorLogger = (err: unknown) => void;

/** How long the default logger prints one error of a kind and counts the rest. */
export const REPEAT_WINDOW_MS = 10_000;

/**
 * `console.error` with `tag`, printing the first error of a kind (its name, message and cause's
 * message) and then, for `REPEAT_WINDOW_MS`, only counting the same: an outage (Redis not
 * answering, the vendor down) fails every request alike, and a line with a stack per request
 * buries the one that says why. The count is printed when the window ends.
 */
function consoleLogger(tag: string): ErrorLogger {
  const seen = new Map<string, { until: number; more: number }>();
  const kindOf = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err));
  return (err) => {
    const kind = kindOf(err);
    const known = seen.get(kind);
    if (known && Date.now() < known.until) {
      known.more++;
      return;
    }
    const window = { until: Date.now() + REPEAT_WINDOW_MS, more: 0 };
    seen.set(kind, window);
    // Bounded: errors with ids in their messages are each their own kind.
    if (seen.size > 1000) seen.delete(seen.keys().next().value!);
    console.error(tag, err);
    const timer = setTimeout(() => {
      if (seen.get(kind) === window) seen.delete(kind);
      if (window.more > 0) console.error(tag, `${window.more} more like it in ${REPEAT_WINDOW_MS / 1000} s: ${kind}`);
    }, REPEAT_WINDOW_MS);
    (timer as { unref?: () => void }).unref?.();
  };
}

/**
 * The host's `onError` (default: `console.error` with `tag`, repeats of one error counted rather
 * than printed; see `consoleLogger`), wrapped so that a logger that throws cannot end the
 * visitor's stream or response: the error it was logging is already being handled.
 */
export function safeLogger(onError: ErrorLogger | undefined, tag = '[ic-support-chat]'): ErrorLogger {
  const log = onError ?? consoleLogger(tag);
  return (err) => {
    try {
      log(err);
    } catch {
      // Nothing left to tell: the logger was the way to tell it.
    }
  };
}
