/** Requests allowed per visitor within a sliding window. */
export interface RateLimitOptions {
  windowMs: number;
  max: number;
  /**
   * The key requests are counted under; default: the visitor's id. A client that drops its cookie
   * gets a fresh anonymous id on every request, so add a network key (e.g. a trusted client IP
   * header from your proxy) if that matters to you.
   */
  key?: (request: Request, visitorKey: string) => string;
}

import type { RateLimitDecision } from './stores.js';

export type { RateLimitDecision };

/**
 * An in-memory sliding-window log per key. One process only: behind several servers, put a shared
 * limiter (e.g. at the proxy) in front. Memory is bounded by `maxKeys`; the oldest keys go first.
 */
export class SlidingWindowRateLimiter {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #maxKeys: number;
  readonly #hits = new Map<string, number[]>();

  constructor(options: { windowMs: number; max: number; maxKeys?: number }) {
    if (!(options.windowMs > 0) || !(options.max >= 1)) {
      throw new TypeError('rateLimit needs windowMs > 0 and max >= 1');
    }
    this.#windowMs = options.windowMs;
    this.#max = Math.floor(options.max);
    this.#maxKeys = options.maxKeys ?? 50_000;
  }

  /** Counts one request for `key`, or refuses it with the seconds until a slot frees up. */
  take(key: string, now = Date.now()): RateLimitDecision {
    const since = now - this.#windowMs;
    let hits = this.#hits.get(key);
    if (hits) {
      let drop = 0;
      while (drop < hits.length && hits[drop]! <= since) drop++;
      if (drop) hits.splice(0, drop);
    } else {
      hits = [];
    }
    if (hits.length >= this.#max) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((hits[0]! + this.#windowMs - now) / 1000)) };
    }
    hits.push(now);
    // Re-insert so Map order is least-recently-used first, then trim the oldest keys.
    this.#hits.delete(key);
    this.#hits.set(key, hits);
    while (this.#hits.size > this.#maxKeys) {
      const oldest = this.#hits.keys().next().value as string;
      this.#hits.delete(oldest);
    }
    return { ok: true };
  }
}
