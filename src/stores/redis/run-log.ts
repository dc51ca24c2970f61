import { isTerminalEvent, runLogLimits } from '../../backends/core/memory-run-log.js';
import type { IdempotencyClaim, RunLogEntry, RunLogLimits, RunLogLookup, RunLogOwner, RunLogStore } from '../../backends/core/stores.js';
import type { RunEvent } from '../../protocol/types.js';
import { evalNow, positiveOption, randomId, type RedisCommandClient, type RedisSubscriber } from './client.js';
import { within } from './deadline.js';
import { APPEND, BIND, CLAIM, GET, LOOKUP, OPEN, READ, RELEASE, UNCLAIM, UNOPEN } from './run-log-scripts.js';

// A run's log is a Redis Stream whose entry ids are the events' sequence numbers (`<seq>-0`), so
// "after N" is an XRANGE from `N+1`. Beside it a hash of its metadata (owner, thread, last seq,
// settled, bytes) and a tombstone that outlives both, for the 410. The run id is a hash tag, so a
// run's keys share one Cluster slot.
//
// Following live: every append also PUBLISHes the entry on the run's channel, and a follower on
// another instance subscribes to it on the one subscriber connection the run bus already has. A
// blocking XREAD per follower would need a connection per follower (a blocked connection serves
// nobody else): a thousand resumed streams, a thousand connections. Pub/sub multiplexes any number
// of channels on one connection and brings the entry itself, so a follower reads the stream only
// to catch up (its start, or a gap after a missed message); the stream stays the source of truth.
//
// Writing: one script call per append was one round trip per delta (≈ 90 a turn) and, at 1,000
// streams, more script calls than one Redis core runs: the appends of one turn of the event loop,
// of every run, go in one call instead (see `append`). The scripts are in run-log-scripts.ts.

/** Most entries, and about the most bytes of JSON, in one append script (a longer script holds Redis). */
const BATCH_ENTRIES = 512;
const BATCH_BYTES = 512 * 1024;

/** The entries one run has waiting for the next write. */
interface PendingRun {
  runId: string;
  owner: string;
  /** seq, json, terminal ('1' | '0'), repeated. */
  args: string[];
  bytes: number;
}

/** Limits of the Redis run log: the shared ones, and how much may wait for a slow Redis. */
export interface RedisRunLogLimits extends RunLogLimits {
  /**
   * Most event JSON waiting to be written while Redis is slow or unreachable, counted in characters
   * (a byte each for ASCII). Default 32 Mi. Past it appends are refused, so a stalled Redis cannot
   * fill this process's memory. A run with an event refused logs nothing more but its terminal
   * event: its visitors connected to this instance still get every event; a resume from its log
   * stops at the gap, and the widget offers Retry.
   */
  maxUnwrittenBytes?: number;
}

export const DEFAULT_MAX_UNWRITTEN_BYTES = 32 * 1024 * 1024;

/** An append refused because too much is still waiting for Redis (`RedisRunLogLimits.maxUnwrittenBytes`). */
export class RunLogBacklogError extends Error {
  override readonly name = 'RunLogBacklogError';
}

/** A write of the log: the promise every `append` of its entries returned. */
class Batch {
  readonly runs = new Map<string, PendingRun>();
  entries = 0;
  bytes = 0;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (err: unknown) => void;
  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

const nextTurn: (fn: () => void) => unknown = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate ?? ((fn: () => void) => setTimeout(fn, 0));

const seqOf = (id: string) => Number(id.slice(0, id.indexOf('-')));

/** A `RunLogStore` on Redis Streams, shared by every instance (see the comment at the top). */
export class RedisRunLogStore implements RunLogStore {
  readonly #client: RedisCommandClient;
  readonly #subscriber: RedisSubscriber | undefined;
  readonly #prefix: string;
  readonly #limits: Required<RunLogLimits>;
  readonly #maxUnwritten: number;
  readonly #writer: RedisCommandClient;
  readonly #waitMs: number | undefined;

  /**
   * `writer` runs the appends (default `client`). `createRedisStores` gives it the connection
   * without `commandTimeoutMs`: a write that waits for a stalled Redis is bounded by
   * `maxUnwrittenBytes` instead, and timing it out would only queue the next batch behind it.
   * `waitMs` bounds how long `open`, `read` and `lookup` wait for this instance's own pending
   * writes of the run (`commandTimeoutMs`; default: as long as they take).
   */
  constructor(
    client: RedisCommandClient,
    subscriber: RedisSubscriber | undefined,
    prefix: string,
    limits: RedisRunLogLimits = {},
    { writer = client, waitMs }: { writer?: RedisCommandClient; waitMs?: number } = {},
  ) {
    this.#client = client;
    this.#writer = writer;
    this.#waitMs = waitMs;
    this.#subscriber = subscriber;
    this.#prefix = prefix;
    const { maxUnwrittenBytes = DEFAULT_MAX_UNWRITTEN_BYTES, ...shared } = limits;
    this.#limits = runLogLimits(shared);
    this.#maxUnwritten = positiveOption('Run log maxUnwrittenBytes', maxUnwrittenBytes);
  }

  #keys(runId: string): [meta: string, stream: string, tombstone: string] {
    const base = `${this.#prefix}rl:{${runId}}`;
    return [`${base}:m`, `${base}:e`, `${base}:g`];
  }

  #channel(runId: string): string {
    return `${this.#prefix}rl:{${runId}}`;
  }

  #active(owner: string): string {
    return `${this.#prefix}rl:a:${owner}`;
  }

  #key(owner: string, key: string): string {
    return `${this.#prefix}rl:k:${owner}:${key}`;
  }

  async open(runId: string, owner: RunLogOwner, liveMs: number): Promise<void> {
    const lifetime = Math.ceil(liveMs + this.#limits.ttlMs);
    this.#owners.set(runId, owner.owner);
    // A writer that dies mid-run leaves its entry behind: bounded, oldest dropped.
    if (this.#owners.size > 100_000) this.#owners.delete(this.#owners.keys().next().value!);
    // A continuation reopens the log only after the segment before it is written (its terminal event settles it).
    await this.#written(runId);
    const [meta, stream, tombstone] = this.#keys(runId);
    const active = this.#active(owner.owner);
    try {
      await OPEN.run(this.#client, [meta, stream, tombstone, active], [owner.owner, owner.threadId, lifetime, lifetime + this.#limits.expiredNoticeMs, runId]);
    } catch (err) {
      // Maybe run after all (no answer in time): taken back on the same connection, so after it.
      evalNow(UNOPEN, this.#client, [meta, active], [runId]).catch(() => {});
      throw err;
    }
  }

  /**
   * Appends are written together: every entry appended during one turn of the event loop, of any
   * run, goes to Redis in one script call (a few, past `BATCH_ENTRIES`), after the previous write
   * has answered. At 1,000 streams that is one round trip for tens of deltas instead of one each;
   * when Redis is slow the batches grow instead of the queue of calls. Every `append` of a batch
   * returns the batch's promise. Entries reach the log (and followers elsewhere) a turn later; this
   * instance's own `open`, `read` and `lookup` of a run wait for what it still has to write of it.
   * What waits is bounded (`maxUnwrittenBytes`): past it, the run's appends are refused.
   */
  append(runId: string, seq: number, event: RunEvent, json = JSON.stringify(event)): Promise<void> {
    const terminal = isTerminalEvent(event);
    // The terminal event is always written, past the bound too (it is small): it settles the log
    // and sets its last number, so a continuation numbers on from what the visitor saw and no
    // reader waits for an end that never comes. Readers stop at the gap before it.
    if (terminal) this.#refused.delete(runId);
    else {
      const refused = this.#refused.get(runId) ?? (this.#unwritten + json.length > this.#maxUnwritten ? this.#refuse(runId) : undefined);
      if (refused) return refused;
    }
    this.#unwritten += json.length;
    const batch = (this.#next ??= new Batch());
    let run = batch.runs.get(runId);
    if (!run) {
      run = { runId, owner: this.#owners.get(runId) ?? '', args: [], bytes: 0 };
      batch.runs.set(runId, run);
      this.#writing.set(runId, batch.done);
    }
    run.args.push(String(seq), json, terminal ? '1' : '0');
    run.bytes += json.length;
    batch.bytes += json.length;
    batch.entries++;
    if (terminal) this.#owners.delete(runId);
    if (!this.#flushQueued && !this.#inFlight) {
      this.#flushQueued = true;
      nextTurn(this.#flush);
    }
    return batch.done;
  }

  // The batch being filled, the one being written, and per run the write that has its last entry.
  #next: Batch | undefined;
  #inFlight: Batch | undefined;
  #flushQueued = false;
  readonly #writing = new Map<string, Promise<void>>();
  // Bytes of event JSON in #next and #inFlight; and the runs whose log stopped at a refused append,
  // each with the one rejected promise all its later appends return (its writer reports it once).
  #unwritten = 0;
  readonly #refused = new Map<string, Promise<void>>();

  #refuse(runId: string): Promise<void> {
    const mib = (this.#unwritten / 1024 / 1024).toFixed(1);
    const refused = Promise.reject(
      new RunLogBacklogError(
        `Run ${runId} is no longer logged (but for its terminal event): ${mib} Mi characters of run events are still waiting for Redis (slow or unreachable; maxUnwrittenBytes). ` +
          'Its visitors here still get every event; a resume from the log stops at the gap.',
      ),
    );
    refused.catch(() => {});
    this.#refused.set(runId, refused);
    // A writer that dies mid-run never sends the terminal event that removes its entry: bounded, oldest dropped.
    if (this.#refused.size > 100_000) this.#refused.delete(this.#refused.keys().next().value!);
    return refused;
  }

  readonly #flush = (): void => {
    this.#flushQueued = false;
    const batch = this.#next;
    if (!batch || this.#inFlight) return;
    this.#next = undefined;
    this.#inFlight = batch;
    const finish = () => {
      this.#inFlight = undefined;
      this.#unwritten -= batch.bytes;
      for (const [runId] of batch.runs) if (this.#writing.get(runId) === batch.done) this.#writing.delete(runId);
      if (this.#next && !this.#flushQueued) {
        this.#flushQueued = true;
        nextTurn(this.#flush);
      }
    };
    this.#write(batch).then(
      () => {
        finish();
        batch.resolve();
      },
      (err: unknown) => {
        finish();
        batch.reject(err);
      },
    );
  };

  /** One script call per slice of the batch, sent together (one connection keeps their order). */
  async #write(batch: Batch): Promise<void> {
    const { ttlMs, maxEvents, maxBytes, expiredNoticeMs } = this.#limits;
    const head = [maxEvents, maxBytes, ttlMs, expiredNoticeMs].map(String);
    const calls: Promise<unknown>[] = [];
    let keys: string[] = [];
    let args = head.slice();
    let entries = 0;
    let bytes = 0;
    const send = () => {
      calls.push(APPEND.run(this.#writer, keys, args));
      keys = [];
      args = head.slice();
      entries = 0;
      bytes = 0;
    };
    for (const run of batch.runs.values()) {
      if (entries > 0 && (entries >= BATCH_ENTRIES || bytes >= BATCH_BYTES)) send();
      keys.push(...this.#keys(run.runId), this.#active(run.owner));
      args.push(run.runId, this.#channel(run.runId), String(run.args.length / 3));
      for (const arg of run.args) args.push(arg);
      entries += run.args.length / 3;
      bytes += run.bytes;
    }
    if (entries > 0) send();
    // Settled only when every slice has answered: `finish` then lets go of the whole batch.
    const failed = (await Promise.allSettled(calls)).find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Waits until what this instance appended to `runId` so far is in Redis (failed writes included). */
  async #written(runId: string): Promise<void> {
    const pending = this.#writing.get(runId)?.catch(() => {});
    if (pending) await (this.#waitMs === undefined ? pending : within(pending, this.#waitMs, "the run log's pending write"));
  }

  // The owner of each run this instance writes (from `open`), to name their active-run key.
  readonly #owners = new Map<string, string>();

  async read(runId: string, afterSeq: number, limit: number): Promise<RunLogEntry[]> {
    await this.#written(runId);
    const raw = (await READ.run(this.#client, [this.#keys(runId)[1]], [`${afterSeq + 1}-0`, limit])) as [string, string[]][] | null;
    return (raw ?? []).map(([id, fields]) => ({ seq: seqOf(id), event: JSON.parse(fields[1]!) as RunEvent }));
  }

  async lookup(runId: string): Promise<RunLogLookup> {
    await this.#written(runId);
    const raw = (await LOOKUP.run(this.#client, this.#keys(runId), [])) as string[];
    if (raw[0] === 'found') {
      const lastSeq = Number(raw[3]);
      return { state: 'found', owner: raw[1]!, threadId: raw[2]!, lastSeq, settled: raw[4] === '1', firstSeq: raw[5] ? seqOf(raw[5]) : lastSeq + 1 };
    }
    if (raw[0] === 'expired') return { state: 'expired', owner: raw[1]! };
    return { state: 'unknown' };
  }

  async watch(runId: string, onEntry: (entry: RunLogEntry) => void): Promise<() => Promise<void>> {
    const subscriber = this.#subscriber;
    // Without a subscriber connection nothing is announced: followers catch up by reading.
    if (!subscriber) return async () => {};
    const channel = this.#channel(runId);
    const listener = (message: string) => {
      const cut = message.indexOf('\n');
      try {
        onEntry({ seq: Number(message.slice(0, cut)), event: JSON.parse(message.slice(cut + 1)) as RunEvent });
      } catch {
        // Not ours: ignored (the stream is the source of truth).
      }
    };
    await subscriber.subscribe(channel, listener);
    return () => subscriber.unsubscribe(channel, listener).then(() => undefined);
  }

  async activeRun(owner: string): Promise<{ runId: string; threadId: string } | null> {
    const value = await GET.run(this.#client, [this.#active(owner)], []);
    if (typeof value !== 'string') return null;
    const cut = value.indexOf('\n');
    return { runId: value.slice(0, cut), threadId: value.slice(cut + 1) };
  }

  async claimKey(owner: string, key: string, fingerprint: string, liveMs: number): Promise<IdempotencyClaim> {
    const redisKey = this.#key(owner, key);
    const claimant = randomId();
    let raw: [string, string] | null;
    try {
      raw = (await CLAIM.run(this.#client, [redisKey], [fingerprint, Math.ceil(liveMs + this.#limits.ttlMs), claimant])) as [string, string] | null;
    } catch (err) {
      // Maybe run after all: a key claimed by a request that failed would answer its retries
      // "still being started" for the log's lifetime. Taken back if it is this claim's.
      evalNow(UNCLAIM, this.#client, [redisKey], [claimant]).catch(() => {});
      throw err;
    }
    if (!raw) return { outcome: 'claimed' };
    return { outcome: 'taken', fingerprint: raw[0], runId: raw[1] === '' ? null : raw[1] };
  }

  async bindKey(owner: string, key: string, runId: string): Promise<void> {
    await BIND.run(this.#client, [this.#key(owner, key), this.#keys(runId)[0]], [runId]);
  }

  async releaseKey(owner: string, key: string, runId?: string): Promise<void> {
    await RELEASE.run(this.#client, [this.#key(owner, key)], [runId ?? '']);
  }
}
