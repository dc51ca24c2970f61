import { isTerminalEvent, runLogLimits } from '../../backends/core/memory-run-log.js';
import type { IdempotencyClaim, RunLogEntry, RunLogLimits, RunLogLookup, RunLogOwner, RunLogStore } from '../../backends/core/stores.js';
import type { RunEvent } from '../../protocol/types.js';
import { RedisScript, type RedisCommandClient, type RedisSubscriber } from './client.js';

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

const OPEN = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'o', ARGV[1], 't', ARGV[2], 'last', 0, 'term', 0, 'bytes', 0)
else
  redis.call('HSET', KEYS[1], 'term', 0)
end
local owner = redis.call('HGET', KEYS[1], 'o')
local thread = redis.call('HGET', KEYS[1], 't')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
redis.call('SET', KEYS[3], owner, 'PX', ARGV[4])
redis.call('SET', KEYS[4], ARGV[5] .. '\\n' .. thread, 'PX', ARGV[3])
return 1`);

// KEYS: meta, stream, tombstone, active. ARGV: seq, json, terminal, maxEvents, maxBytes, ttl, notice, channel, runId.
const APPEND = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('XADD', KEYS[2], ARGV[1] .. '-0', 'e', ARGV[2])
local bytes = redis.call('HINCRBY', KEYS[1], 'bytes', string.len(ARGV[2]))
local maxEvents = tonumber(ARGV[4])
local maxBytes = tonumber(ARGV[5])
while true do
  local count = redis.call('XLEN', KEYS[2])
  if not (count > maxEvents or (bytes > maxBytes and count > 1)) then break end
  local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
  redis.call('XDEL', KEYS[2], oldest[1])
  bytes = redis.call('HINCRBY', KEYS[1], 'bytes', -string.len(oldest[2][2]))
end
redis.call('HSET', KEYS[1], 'last', ARGV[1], 'term', ARGV[3])
if ARGV[3] == '1' then
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  redis.call('PEXPIRE', KEYS[2], ARGV[6])
  redis.call('SET', KEYS[3], redis.call('HGET', KEYS[1], 'o'), 'PX', tonumber(ARGV[6]) + tonumber(ARGV[7]))
  local active = redis.call('GET', KEYS[4]) or ''
  if string.sub(active, 1, string.len(ARGV[9]) + 1) == ARGV[9] .. '\\n' then redis.call('DEL', KEYS[4]) end
elseif redis.call('PTTL', KEYS[2]) < 0 then
  redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]))
end
redis.call('PUBLISH', ARGV[8], ARGV[1] .. '\\n' .. ARGV[2])
return 1`);

const READ = new RedisScript(`return redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])`);

const LOOKUP = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 1 then
  local m = redis.call('HMGET', KEYS[1], 'o', 't', 'last', 'term')
  local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
  return {'found', m[1], m[2], m[3], m[4], first and first[1] or ''}
end
local owner = redis.call('GET', KEYS[3])
if owner then return {'expired', owner} end
return {'unknown'}`);

const GET = new RedisScript(`return redis.call('GET', KEYS[1])`);

const CLAIM = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('HMGET', KEYS[1], 'f', 'r')
end
redis.call('HSET', KEYS[1], 'f', ARGV[1], 'r', '')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return false`);

// The key lives as long as the run's log: a repeat after that finds neither, and starts anew.
const BIND = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1])
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`);

const RELEASE = new RedisScript(`if (redis.call('HGET', KEYS[1], 'r') or '') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

const seqOf = (id: string) => Number(id.slice(0, id.indexOf('-')));

/** A `RunLogStore` on Redis Streams, shared by every instance (see the comment at the top). */
export class RedisRunLogStore implements RunLogStore {
  readonly #client: RedisCommandClient;
  readonly #subscriber: RedisSubscriber | undefined;
  readonly #prefix: string;
  readonly #limits: Required<RunLogLimits>;

  constructor(client: RedisCommandClient, subscriber: RedisSubscriber | undefined, prefix: string, limits: RunLogLimits = {}) {
    this.#client = client;
    this.#subscriber = subscriber;
    this.#prefix = prefix;
    this.#limits = runLogLimits(limits);
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
    await OPEN.run(this.#client, [...this.#keys(runId), this.#active(owner.owner)], [owner.owner, owner.threadId, lifetime, lifetime + this.#limits.expiredNoticeMs, runId]);
  }

  append(runId: string, seq: number, event: RunEvent, json = JSON.stringify(event)): Promise<void> {
    const owner = this.#owners.get(runId) ?? '';
    const terminal = isTerminalEvent(event);
    if (terminal) this.#owners.delete(runId);
    const { ttlMs, maxEvents, maxBytes, expiredNoticeMs } = this.#limits;
    const write = () =>
      APPEND.run(
        this.#client,
        [...this.#keys(runId), this.#active(owner)],
        [seq, json, terminal ? 1 : 0, maxEvents, maxBytes, ttlMs, expiredNoticeMs, this.#channel(runId), runId],
      );
    // One run's appends are chained: EVALSHA's NOSCRIPT retry (a fresh server, a failover) could
    // otherwise let a later entry overtake an earlier one, which XADD would refuse.
    const previous = this.#tails.get(runId);
    const forget = () => {
      if (this.#tails.get(runId) === done) this.#tails.delete(runId);
    };
    const done: Promise<void> = (previous ? previous.then(write, write) : write()).then(forget, (err: unknown) => {
      forget();
      throw err;
    });
    this.#tails.set(runId, done);
    return done;
  }

  readonly #tails = new Map<string, Promise<void>>();

  // The owner of each run this instance writes (from `open`), to name their active-run key.
  readonly #owners = new Map<string, string>();

  async read(runId: string, afterSeq: number, limit: number): Promise<RunLogEntry[]> {
    const raw = (await READ.run(this.#client, [this.#keys(runId)[1]], [`${afterSeq + 1}-0`, limit])) as [string, string[]][] | null;
    return (raw ?? []).map(([id, fields]) => ({ seq: seqOf(id), event: JSON.parse(fields[1]!) as RunEvent }));
  }

  async lookup(runId: string): Promise<RunLogLookup> {
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
    const raw = (await CLAIM.run(this.#client, [this.#key(owner, key)], [fingerprint, Math.ceil(liveMs + this.#limits.ttlMs)])) as [string, string] | null;
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
