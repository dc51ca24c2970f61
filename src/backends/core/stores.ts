import type { ThreadIndexStore } from './thread-index.js';
import type { RunEvent } from '../../protocol/types.js';

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

/** One event of a run's log and its sequence number (the SSE `id`: 1 for `run.started`, then +1 per event). */
export interface RunLogEntry {
  seq: number;
  event: RunEvent;
}

/** Who a run's log belongs to. */
export interface RunLogOwner {
  /** The visitor's key (`kind:id`): only they may read the log. */
  owner: string;
  threadId: string;
}

/** What a store knows of a run's log. */
export type RunLogLookup =
  | {
      state: 'found';
      owner: string;
      threadId: string;
      /** Lowest sequence number still kept (above 1 once the log was trimmed to its bounds). */
      firstSeq: number;
      /** Highest sequence number appended (0 before the first event). */
      lastSeq: number;
      /** The last event is terminal (`run.completed` / `run.failed`): nothing follows until a continuation. */
      settled: boolean;
    }
  /** The log's events expired; `owner` is kept a while longer so its visitor gets 410, anyone else 404. */
  | { state: 'expired'; owner: string }
  | { state: 'unknown' };

/** The answer to claiming an idempotency key: it is now this request's, or an earlier request's. */
export type IdempotencyClaim = { outcome: 'claimed' } | { outcome: 'taken'; fingerprint: string; runId: string | null };

/** Limits of a run log store: each run's log is bounded and expires. */
export interface RunLogLimits {
  /** How long a run's log (and its idempotency key) is kept after its last event. Default 10 minutes. */
  ttlMs?: number;
  /** Most events kept per run; older ones are dropped first. Default 10,000. */
  maxEvents?: number;
  /** Most bytes of event JSON kept per run; older events are dropped first. Default 2 MiB. */
  maxBytes?: number;
  /** How long after its events expired a run still answers 410 (not 404) to its visitor. Default 24 hours. */
  expiredNoticeMs?: number;
}

export const DEFAULT_RUN_LOG_TTL_MS = 10 * 60_000;
export const DEFAULT_RUN_LOG_MAX_EVENTS = 10_000;
export const DEFAULT_RUN_LOG_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_RUN_LOG_EXPIRED_NOTICE_MS = 24 * 3600_000;

/**
 * Each run's events, kept so a visitor whose connection dropped (or who reloaded the page) can
 * resume the reply from any instance (`GET /runs/{id}/events`), plus the idempotency keys of
 * `POST /runs`. One writer per run at a time (the instance driving it) assigns the sequence
 * numbers; any instance reads and follows. Bounded per run and expiring (see `RunLogLimits`).
 */
export interface RunLogStore {
  /**
   * Starts a run's log, or reopens it for a continuation (an approval decision). The log lives
   * at least `liveMs` (the run's maximum time) plus the ttl, so a writer that dies cannot keep it forever.
   */
  open(runId: string, owner: RunLogOwner, liveMs: number): Promise<void>;
  /**
   * Appends the event numbered `seq` (the writer's count: last + 1). A terminal event settles the
   * log and starts its ttl. Calls for one run are made in order and are applied in that order.
   * `json` is `JSON.stringify(event)` when the caller has it already (the recorder does, for the
   * stream's frame), so a delta is serialised once on its way.
   */
  append(runId: string, seq: number, event: RunEvent, json?: string): Promise<void>;
  /** Entries with `afterSeq < seq`, oldest first, at most `limit` of them. */
  read(runId: string, afterSeq: number, limit: number): Promise<RunLogEntry[]>;
  lookup(runId: string): Promise<RunLogLookup>;
  /**
   * Calls `onEntry` with every entry appended to the run from now on, by any instance, until the
   * returned function is called. Entries may arrive late or be missed (read the gap with `read`).
   */
  watch(runId: string, onEntry: (entry: RunLogEntry) => void): Promise<() => Promise<void>>;
  /** The visitor's run that has not reached its terminal event yet, if any (the latest opened). */
  activeRun(owner: string): Promise<{ runId: string; threadId: string } | null>;
  /**
   * Claims `key` of visitor `owner` for a request whose body hashes to `fingerprint`, or returns the
   * earlier claim (`runId` is `null` while that request has not started its run yet).
   */
  claimKey(owner: string, key: string, fingerprint: string, liveMs: number): Promise<IdempotencyClaim>;
  /** Names the run a claimed key started; the key then lives as long as the run's log. */
  bindKey(owner: string, key: string, runId: string): Promise<void>;
  /**
   * Gives a key up so a retry can run: one not bound to a run yet (its request failed before
   * starting one), or, with `runId`, one bound to that run (whose log is gone).
   */
  releaseKey(owner: string, key: string, runId?: string): Promise<void>;
}

/** The shared stores the core handler uses. Any left out are kept in this process's memory. */
export interface SupportStores {
  rateLimit?: RateLimitStore;
  concurrency?: ConcurrencyStore;
  runBus?: RunBus;
  /** Run owners for feedback; default in memory (feedback reaching another instance is then 404). */
  runOwners?: RunOwnerStore;
  /** Each run's events, for resuming a reply on any instance. */
  runLog?: RunLogStore;
  /** Signed-in visitors' lists of threads (`features.threads`); default in memory. */
  threads?: ThreadIndexStore;
}
