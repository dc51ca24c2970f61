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

/**
 * The host's `onError` (default `console.error` with `tag`), wrapped so that a logger that throws
 * cannot end the visitor's stream or response: the error it was logging is already being handled.
 */
export function safeLogger(onError: ErrorLogger | undefined, tag = '[ic-support-chat]'): ErrorLogger {
  const log = onError ?? ((err: unknown) => console.error(tag, err));
  return (err) => {
    try {
      log(err);
    } catch {
      // Nothing left to tell: the logger was the way to tell it.
    }
  };
}
