// In-process implementations of the shared stores: the defaults for one process (development,
// tests). They pass the same contract suites (test/backends/core/stores/) as the Redis stores.
import type { ConcurrencyLease, ConcurrencyStore, RateLimitDecision, RateLimitRule, RateLimitStore, RunBus, RunCommand, RunHold } from './stores.js';

/** A clock, so the stores can be driven without waiting in tests of their own. */
type Clock = () => number;

/** Checks a rule once, where it is used, so a bad one fails loudly instead of allowing everything. */
export function assertRateLimitRule(rule: RateLimitRule): void {
  if (!(rule.windowMs > 0) || !(rule.max >= 1)) throw new TypeError('A rate limit needs windowMs > 0 and max >= 1');
}

/**
 * The sliding-window log of one key: drops hits older than the window, then counts one more or
 * answers how long until the oldest leaves the window. Mutates `hits` (sorted, oldest first).
 */
export function takeFromWindow(hits: number[], rule: RateLimitRule, now: number): RateLimitDecision {
  const since = now - rule.windowMs;
  let drop = 0;
  while (drop < hits.length && hits[drop]! <= since) drop++;
  if (drop) hits.splice(0, drop);
  if (hits.length >= Math.floor(rule.max)) {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((hits[0]! + rule.windowMs - now) / 1000)) };
  }
  hits.push(now);
  return { ok: true };
}

/**
 * A `RateLimitStore` in this process's memory. Memory is bounded: at most `maxKeys` keys (least
 * recently used dropped first, which at worst forgives that key's past hits), and per key no more
 * hits than the rule's `max`.
 */
export class InMemoryRateLimitStore implements RateLimitStore {
  readonly #hits = new Map<string, number[]>();
  readonly #maxKeys: number;
  readonly #now: Clock;

  constructor(options: { maxKeys?: number; now?: Clock } = {}) {
    this.#maxKeys = Math.max(1, options.maxKeys ?? 50_000);
    this.#now = options.now ?? Date.now;
  }

  async take(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    return this.takeNow(key, rule);
  }

  /** `take` without the promise, for callers on a hot path that know the store is local. */
  takeNow(key: string, rule: RateLimitRule): RateLimitDecision {
    assertRateLimitRule(rule);
    // One log per rule and key, so two rules on one key never count each other's hits.
    const k = `${rule.windowMs}:${rule.max}\u0000${key}`;
    const hits = this.#hits.get(k) ?? [];
    const decision = takeFromWindow(hits, rule, this.#now());
    // Re-inserted so the Map's order is least recently used first, then trimmed from that end.
    this.#hits.delete(k);
    if (hits.length > 0) this.#hits.set(k, hits);
    while (this.#hits.size > this.#maxKeys) this.#hits.delete(this.#hits.keys().next().value!);
    return decision;
  }

  /** How many keys are tracked (for tests of the bound). */
  get size(): number {
    return this.#hits.size;
  }
}

/**
 * A `ConcurrencyStore` in this process's memory. Slots expire after their `ttlMs` even if never
 * released; a key with no live slot is forgotten, so memory follows what is running now.
 */
export class InMemoryConcurrencyStore implements ConcurrencyStore {
  // key → lease token → expiry time
  readonly #slots = new Map<string, Map<object, number>>();
  readonly #now: Clock;

  constructor(options: { now?: Clock } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async acquire(key: string, max: number, ttlMs: number): Promise<ConcurrencyLease | null> {
    if (!(max >= 1) || !(ttlMs > 0)) throw new TypeError('acquire needs max >= 1 and ttlMs > 0');
    const now = this.#now();
    const slots = this.#slots.get(key) ?? new Map<object, number>();
    for (const [token, expires] of slots) if (expires <= now) slots.delete(token);
    if (slots.size >= Math.floor(max)) {
      this.#slots.set(key, slots);
      return null;
    }
    const token = {};
    slots.set(token, now + ttlMs);
    this.#slots.set(key, slots);
    return {
      release: async () => {
        const held = this.#slots.get(key);
        if (!held) return;
        held.delete(token);
        if (held.size === 0) this.#slots.delete(key);
      },
    };
  }

  /** How many keys have slots taken (for tests of the bound). */
  get size(): number {
    return this.#slots.size;
  }
}

/** A `RunBus` for one process: every run is held here, so a command is a plain call. */
export class InMemoryRunBus implements RunBus {
  readonly #runs = new Map<string, { owner: string; expires: number; onCommand: (command: RunCommand) => void; token: object }>();
  readonly #now: Clock;
  #holdsSinceSweep = 0;

  constructor(options: { now?: Clock } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async hold(runId: string, owner: string, ttlMs: number, onCommand: (command: RunCommand) => void): Promise<RunHold> {
    const token = {};
    this.#sweep();
    this.#runs.set(runId, { owner, expires: this.#now() + ttlMs, onCommand, token });
    return {
      release: async () => {
        if (this.#runs.get(runId)?.token === token) this.#runs.delete(runId);
      },
    };
  }

  async owner(runId: string): Promise<string | null> {
    return this.#live(runId)?.owner ?? null;
  }

  async send(runId: string, command: RunCommand): Promise<boolean> {
    const run = this.#live(runId);
    if (!run) return false;
    run.onCommand(command);
    return true;
  }

  #live(runId: string) {
    const run = this.#runs.get(runId);
    if (run && run.expires <= this.#now()) {
      this.#runs.delete(runId);
      return undefined;
    }
    return run;
  }

  // Holds never released (a caller that forgot) go when they expire, so the Map cannot grow forever.
  #sweep(): void {
    if (++this.#holdsSinceSweep < 256) return;
    this.#holdsSinceSweep = 0;
    const now = this.#now();
    for (const [id, run] of this.#runs) if (run.expires <= now) this.#runs.delete(id);
  }
}

export { InMemoryRunLogStore } from './memory-run-log.js';
