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

import { assertRateLimitRule, takeFromWindow } from './memory-stores.js';
import type { RateLimitDecision } from './stores.js';

export type { RateLimitDecision };

/**
 * An in-memory sliding-window log per key, for one rule. One process only: behind several servers,
 * use a shared `RateLimitStore` (e.g. `ic-support-chat/stores/redis`). Memory is bounded by
 * `maxKeys`; the least recently used keys go first.
 */
export class SlidingWindowRateLimiter {
  readonly #rule: { windowMs: number; max: number };
  readonly #maxKeys: number;
  readonly #hits = new Map<string, number[]>();

  constructor(options: { windowMs: number; max: number; maxKeys?: number }) {
    try {
      assertRateLimitRule(options);
    } catch {
      throw new TypeError('rateLimit needs windowMs > 0 and max >= 1');
    }
    this.#rule = { windowMs: options.windowMs, max: Math.floor(options.max) };
    this.#maxKeys = options.maxKeys ?? 50_000;
  }

  /** Counts one request for `key`, or refuses it with the seconds until a slot frees up. */
  take(key: string, now = Date.now()): RateLimitDecision {
    const hits = this.#hits.get(key) ?? [];
    const decision = takeFromWindow(hits, this.#rule, now);
    // Re-insert so Map order is least-recently-used first, then trim the oldest keys.
    this.#hits.delete(key);
    this.#hits.set(key, hits);
    while (this.#hits.size > this.#maxKeys) {
      const oldest = this.#hits.keys().next().value as string;
      this.#hits.delete(oldest);
    }
    return decision;
  }
}
