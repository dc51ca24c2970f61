// In-process implementations of the shared stores: the defaults for one process (development,
// tests). They pass the same contract suites as the Redis stores.
import { SlidingWindowRateLimiter } from './rate-limiter.js';
import type {
  ConcurrencyLease,
  ConcurrencyStore,
  RateLimitDecision,
  RateLimitRule,
  RateLimitStore,
  RunBus,
  RunCommand,
  RunHold,
} from './stores.js';

/** A `RateLimitStore` in this process's memory; keys are bounded (least recently used dropped first). */
export class InMemoryRateLimitStore implements RateLimitStore {
  readonly #limiters = new Map<string, SlidingWindowRateLimiter>();
  readonly #maxKeys: number;

  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 50_000;
  }

  async take(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    // One window log per rule, so two rules on one key never count each other's hits.
    const ruleKey = `${rule.windowMs}:${rule.max}`;
    let limiter = this.#limiters.get(ruleKey);
    if (!limiter) {
      limiter = new SlidingWindowRateLimiter({ ...rule, maxKeys: this.#maxKeys });
      this.#limiters.set(ruleKey, limiter);
    }
    return limiter.take(key);
  }
}

/** A `ConcurrencyStore` in this process's memory. */
export class InMemoryConcurrencyStore implements ConcurrencyStore {
  // key → lease id → expiry time
  readonly #slots = new Map<string, Map<number, number>>();
  #nextId = 0;

  async acquire(key: string, max: number, ttlMs: number): Promise<ConcurrencyLease | null> {
    const now = Date.now();
    let slots = this.#slots.get(key);
    if (slots) {
      for (const [id, expires] of slots) if (expires <= now) slots.delete(id);
    } else {
      slots = new Map();
      this.#slots.set(key, slots);
    }
    if (slots.size >= max) return null;
    const id = ++this.#nextId;
    slots.set(id, now + ttlMs);
    const held = slots;
    return {
      release: async () => {
        held.delete(id);
        if (held.size === 0 && this.#slots.get(key) === held) this.#slots.delete(key);
      },
    };
  }
}

/** A `RunBus` for one process: every run is held here, so commands are plain calls. */
export class InMemoryRunBus implements RunBus {
  readonly #runs = new Map<string, { owner: string; expires: number; onCommand: (command: RunCommand) => void; token: object }>();

  async hold(runId: string, owner: string, ttlMs: number, onCommand: (command: RunCommand) => void): Promise<RunHold> {
    const token = {};
    this.#runs.set(runId, { owner, expires: Date.now() + ttlMs, onCommand, token });
    return {
      release: async () => {
        if (this.#runs.get(runId)?.token === token) this.#runs.delete(runId);
      },
    };
  }

  #live(runId: string) {
    const run = this.#runs.get(runId);
    if (run && run.expires <= Date.now()) {
      this.#runs.delete(runId);
      return undefined;
    }
    return run;
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
}
