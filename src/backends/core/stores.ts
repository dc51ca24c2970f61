// The server state a support endpoint shares between its instances, behind small async interfaces:
// in memory for one process (development, tests), Redis (`ic-support-chat/stores/redis`) for many.
// Every implementation must pass the contract suites in test/backends/core/stores/.

/** The answer of a rate limiter: go ahead, or wait this many seconds. */
export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A sliding window: at most `max` hits per `windowMs`. */
export interface RateLimitRule {
  windowMs: number;
  max: number;
}

/** Counts requests per key in a sliding window, shared by every instance that uses the same store. */
export interface RateLimitStore {
  /** Counts one hit for `key` under `rule`, or refuses it (and does not count it) with the wait until a slot frees up. */
  take(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

/** One slot taken from a `ConcurrencyStore`; give it back when the work ends. */
export interface ConcurrencyLease {
  /** Frees the slot (idempotent). */
  release(): Promise<void>;
}

/** Caps how many things (open streams) run at once per key, across instances. */
export interface ConcurrencyStore {
  /**
   * Takes one of `max` slots under `key`, or `null` when all are taken. A slot frees itself after
   * `ttlMs` even if never released, so an instance that dies cannot hold slots forever.
   */
  acquire(key: string, max: number, ttlMs: number): Promise<ConcurrencyLease | null>;
}

/** What one instance asks of the instance that holds a run. */
export type RunCommand = { type: 'cancel' };

/** This instance's hold on a run, taken when the run starts and released when it ends. */
export interface RunHold {
  release(): Promise<void>;
}

/**
 * Where a run lives: the instance streaming a run registers it, so a cancel that reaches any
 * instance finds the owner (404 for another visitor's run) and stops the stream where it is held,
 * even when the upstream has no cancel endpoint of its own.
 */
export interface RunBus {
  /**
   * Registers run `runId` of visitor `owner` (the core's `kind:id` key) on this instance for at most
   * `ttlMs`; `onCommand` receives the commands sent to it until the hold is released.
   */
  hold(runId: string, owner: string, ttlMs: number, onCommand: (command: RunCommand) => void): Promise<RunHold>;
  /** The owner of a run held anywhere, or `null` when no instance holds it (finished, expired, never existed). */
  owner(runId: string): Promise<string | null>;
  /** Delivers `command` to the instance holding the run; `true` when one received it. */
  send(runId: string, command: RunCommand): Promise<boolean>;
}

/**
 * Who started each run, kept after it ended, so a later request about the run (feedback) is taken
 * from its owner only: another visitor's run answers 404 like one that never existed.
 */
export interface RunOwnerStore {
  /** Records that visitor `owner` (the core's `kind:id` key) started `runId`, for `ttlMs`. */
  remember(runId: string, owner: string, ttlMs: number): Promise<void>;
  /** The owner of `runId`, or `null` when unknown or expired. */
  owner(runId: string): Promise<string | null>;
}

/** The shared stores the core handler uses. Any left out are kept in this process's memory. */
export interface SupportStores {
  rateLimit?: RateLimitStore;
  concurrency?: ConcurrencyStore;
  runBus?: RunBus;
  /** Run owners for feedback; default in memory (feedback reaching another instance is then 404). */
  runOwners?: RunOwnerStore;
}
