/**
 * When and how long the Ingram client waits before trying an idempotent call again. Only calls
 * that change nothing when repeated are ever retried (see `IngramClient`): a run POST that timed
 * out may already be running upstream, and a blind second POST would answer the visitor twice.
 */

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3; 1 turns retries off. */
  maxAttempts?: number;
  /** The first backoff's ceiling, in ms; each retry doubles it (full jitter: a random wait up to it). Default 200. */
  baseDelayMs?: number;
  /** The largest backoff ceiling, in ms. Default 2 000. */
  maxDelayMs?: number;
  /**
   * The longest `Retry-After` the client waits for, in ms. A 429/503 asking for longer is not
   * retried: the error goes to the caller (and the visitor gets the clamped Retry-After). Default 5 000.
   */
  maxRetryAfterMs?: number;
  /** No retry starts after this long since the first attempt, in ms. Default 10 000. */
  maxElapsedMs?: number;
  /** A number in [0, 1), for the jitter (tests pass a fixed one). Default `Math.random`. */
  random?: () => number;
}

export const DEFAULT_RETRY: Readonly<Required<RetryOptions>> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 5_000,
  maxElapsedMs: 10_000,
  random: Math.random,
});

/** `options` over the defaults; `false` is one attempt. Bad numbers fall back to the default. */
export function retryPolicy(options: RetryOptions | false | undefined): Required<RetryOptions> {
  if (options === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  const pick = (value: number | undefined, fallback: number, min = 0) => (typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback);
  return {
    maxAttempts: Math.floor(pick(options?.maxAttempts, DEFAULT_RETRY.maxAttempts, 1)),
    baseDelayMs: pick(options?.baseDelayMs, DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: pick(options?.maxDelayMs, DEFAULT_RETRY.maxDelayMs),
    maxRetryAfterMs: pick(options?.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs),
    maxElapsedMs: pick(options?.maxElapsedMs, DEFAULT_RETRY.maxElapsedMs),
    random: typeof options?.random === 'function' ? options.random : DEFAULT_RETRY.random,
  };
}

/**
 * The wait before retry number `retry` (1 for the first), or `undefined` when no retry should be
 * made: out of attempts, out of time, or the server asked for a longer pause than we wait for.
 * `retryAfterMs` is a lower bound: the client never comes back sooner than the server asked.
 */
export function retryDelay(policy: Required<RetryOptions>, retry: number, elapsedMs: number, retryAfterMs: number | undefined): number | undefined {
  if (retry >= policy.maxAttempts) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const delay = Math.max(Math.floor(policy.random() * ceiling), retryAfterMs ?? 0);
  if (elapsedMs + delay > policy.maxElapsedMs) return undefined;
  return delay;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
