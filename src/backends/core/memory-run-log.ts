// The run log in this process's memory: the default for one process (development, tests, a
// single instance). It passes the same contract suite as the Redis one (test/backends/core/stores/).
import type { RunEvent } from '../../protocol/types.js';
import {
  DEFAULT_RUN_LOG_EXPIRED_NOTICE_MS,
  DEFAULT_RUN_LOG_MAX_BYTES,
  DEFAULT_RUN_LOG_MAX_EVENTS,
  DEFAULT_RUN_LOG_TTL_MS,
  type IdempotencyClaim,
  type RunLogEntry,
  type RunLogLimits,
  type RunLogLookup,
  type RunLogOwner,
  type RunLogStore,
} from './stores.js';
import { Utf8Entries } from './utf8-entries.js';

/** `run.completed` or `run.failed`: the end of a run's stream segment. */
export function isTerminalEvent(event: RunEvent): boolean {
  return event.type === 'run.completed' || event.type === 'run.failed';
}

/** The limits with their defaults, checked once. */
export function runLogLimits(limits: RunLogLimits = {}): Required<RunLogLimits> {
  const resolved = {
    ttlMs: limits.ttlMs ?? DEFAULT_RUN_LOG_TTL_MS,
    maxEvents: limits.maxEvents ?? DEFAULT_RUN_LOG_MAX_EVENTS,
    maxBytes: limits.maxBytes ?? DEFAULT_RUN_LOG_MAX_BYTES,
    expiredNoticeMs: limits.expiredNoticeMs ?? DEFAULT_RUN_LOG_EXPIRED_NOTICE_MS,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(value > 0) || !Number.isFinite(value)) throw new TypeError(`Run log ${name} must be a positive number, got ${value}`);
  }
  return resolved;
}

interface Log extends RunLogOwner {
  /** Each event's JSON as UTF-8 bytes (see `Utf8Entries`); the oldest is event `firstSeq`, numbers consecutive. */
  json: Utf8Entries;
  firstSeq: number;
  bytes: number;
  lastSeq: number;
  settled: boolean;
  expires: number;
  watchers: Set<(entry: RunLogEntry) => void>;
}

/**
 * A `RunLogStore` in this process's memory. Bounded per run (`maxEvents`, `maxBytes`, oldest
 * dropped first) and in time (`ttlMs` after the last event); expired logs leave only their owner
 * for `expiredNoticeMs` (at most `maxExpiredNotices` of them), for the 410.
 */
export class InMemoryRunLogStore implements RunLogStore {
  readonly #limits: Required<RunLogLimits>;
  readonly #now: () => number;
  readonly #maxExpiredNotices: number;
  readonly #logs = new Map<string, Log>();
  readonly #expired = new Map<string, { owner: string; until: number }>();
  readonly #active = new Map<string, { runId: string; threadId: string; expires: number }>();
  readonly #keys = new Map<string, { fingerprint: string; runId: string | null; expires: number }>();
  #opsSinceSweep = 0;

  constructor(options: RunLogLimits & { now?: () => number; maxExpiredNotices?: number } = {}) {
    this.#limits = runLogLimits(options);
    this.#now = options.now ?? Date.now;
    this.#maxExpiredNotices = options.maxExpiredNotices ?? 100_000;
  }

  get limits(): Required<RunLogLimits> {
    return this.#limits;
  }

  async open(runId: string, owner: RunLogOwner, liveMs: number): Promise<void> {
    this.#sweep();
    const expires = this.#now() + liveMs + this.#limits.ttlMs;
    const log = this.#live(runId);
    if (log) {
      log.expires = expires;
      log.settled = false;
    } else {
      this.#expired.delete(runId);
      this.#logs.set(runId, {
        owner: owner.owner,
        threadId: owner.threadId,
        json: new Utf8Entries(),
        firstSeq: 1,
        bytes: 0,
        lastSeq: 0,
        settled: false,
        expires,
        watchers: new Set(),
      });
    }
    this.#active.set(owner.owner, { runId, threadId: owner.threadId, expires });
  }

  async append(runId: string, seq: number, event: RunEvent, json?: string): Promise<void> {
    this.appendNow(runId, seq, event, json);
  }

  /** `append` without the promise (this store is local): the recorder's path, once per delta. */
  appendNow(runId: string, seq: number, event: RunEvent, json: string = JSON.stringify(event)): void {
    // Not `#live`: a log being written cannot expire (it lives the run's maximum time plus the ttl).
    const log = this.#logs.get(runId);
    if (!log) return;
    if (log.json.length === 0) log.firstSeq = seq;
    // Bytes of UTF-8: the bound is what the log holds.
    log.bytes += log.json.push(json);
    log.lastSeq = seq;
    const { maxEvents, maxBytes } = this.#limits;
    while (log.json.length > maxEvents || (log.bytes > maxBytes && log.json.length > 1)) {
      log.bytes -= log.json.shift();
      log.firstSeq++;
    }
    if (isTerminalEvent(event)) {
      log.settled = true;
      log.expires = this.#now() + this.#limits.ttlMs;
      const active = this.#active.get(log.owner);
      if (active?.runId === runId) this.#active.delete(log.owner);
    } else log.settled = false;
    if (log.watchers.size === 0) return;
    const entry = { seq, event };
    for (const watcher of log.watchers) watcher(entry);
  }

  async read(runId: string, afterSeq: number, limit: number): Promise<RunLogEntry[]> {
    const log = this.#live(runId);
    if (!log || log.json.length === 0) return [];
    // Sequence numbers are consecutive, so the index of `afterSeq + 1` is a subtraction.
    const start = Math.max(0, afterSeq + 1 - log.firstSeq);
    const end = Math.min(log.json.length, start + limit);
    const entries: RunLogEntry[] = [];
    for (let i = start; i < end; i++) entries.push({ seq: log.firstSeq + i, event: JSON.parse(log.json.at(i)) as RunEvent });
    return entries;
  }

  async lookup(runId: string): Promise<RunLogLookup> {
    const log = this.#live(runId);
    if (log) {
      const firstSeq = log.json.length > 0 ? log.firstSeq : log.lastSeq + 1;
      return { state: 'found', owner: log.owner, threadId: log.threadId, firstSeq, lastSeq: log.lastSeq, settled: log.settled };
    }
    const gone = this.#expired.get(runId);
    if (gone && gone.until > this.#now()) return { state: 'expired', owner: gone.owner };
    return { state: 'unknown' };
  }

  async watch(runId: string, onEntry: (entry: RunLogEntry) => void): Promise<() => Promise<void>> {
    const log = this.#live(runId);
    if (!log) return async () => {};
    // A wrapper per watch, so the same function watching twice is two watches.
    const watcher = (entry: RunLogEntry) => onEntry(entry);
    log.watchers.add(watcher);
    return async () => {
      log.watchers.delete(watcher);
    };
  }

  async activeRun(owner: string): Promise<{ runId: string; threadId: string } | null> {
    const active = this.#active.get(owner);
    if (!active) return null;
    if (active.expires <= this.#now() || !this.#live(active.runId)) {
      this.#active.delete(owner);
      return null;
    }
    return { runId: active.runId, threadId: active.threadId };
  }

  async claimKey(owner: string, key: string, fingerprint: string, liveMs: number): Promise<IdempotencyClaim> {
    this.#sweep();
    const k = `${owner}\u0000${key}`;
    const now = this.#now();
    const held = this.#keys.get(k);
    if (held && this.#keyAlive(held, now)) return { outcome: 'taken', fingerprint: held.fingerprint, runId: held.runId };
    this.#keys.set(k, { fingerprint, runId: null, expires: now + liveMs + this.#limits.ttlMs });
    return { outcome: 'claimed' };
  }

  async bindKey(owner: string, key: string, runId: string): Promise<void> {
    const held = this.#keys.get(`${owner}\u0000${key}`);
    if (!held) return;
    held.runId = runId;
    // As long as the log: a repeat after that finds neither, and starts a new run.
    held.expires = Math.max(held.expires, this.#logs.get(runId)?.expires ?? 0);
  }

  async releaseKey(owner: string, key: string, runId?: string): Promise<void> {
    const k = `${owner}\u0000${key}`;
    if (this.#keys.has(k) && this.#keys.get(k)!.runId === (runId ?? null)) this.#keys.delete(k);
  }

  /** A bound key lives while its run's log does (a settled log's ttl restarts with each segment). */
  #keyAlive(held: { runId: string | null; expires: number }, now: number): boolean {
    if (held.expires > now) return true;
    return held.runId !== null && this.#live(held.runId) !== undefined;
  }

  #live(runId: string): Log | undefined {
    const log = this.#logs.get(runId);
    if (log && log.expires <= this.#now()) {
      this.#retire(runId, log);
      return undefined;
    }
    return log;
  }

  #retire(runId: string, log: Log): void {
    this.#logs.delete(runId);
    this.#expired.set(runId, { owner: log.owner, until: log.expires + this.#limits.expiredNoticeMs });
    while (this.#expired.size > this.#maxExpiredNotices) this.#expired.delete(this.#expired.keys().next().value!);
  }

  // What nobody asks for again goes when it expires, so the Maps follow what is live.
  #sweep(): void {
    if (++this.#opsSinceSweep < 256) return;
    this.#opsSinceSweep = 0;
    const now = this.#now();
    for (const [id, log] of this.#logs) if (log.expires <= now) this.#retire(id, log);
    for (const [id, gone] of this.#expired) if (gone.until <= now) this.#expired.delete(id);
    for (const [owner, active] of this.#active) if (active.expires <= now) this.#active.delete(owner);
    for (const [k, held] of this.#keys) if (!this.#keyAlive(held, now)) this.#keys.delete(k);
  }
}
