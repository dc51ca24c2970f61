import type { ConversationStore } from '../../backends/ai-sdk/conversation-store.js';
import type { ConcurrencyStore, RateLimitStore, RunBus, RunLogStore, RunOwnerStore } from '../../backends/core/stores.js';
import type { SmithDirectory } from '../../backends/ingram/smith-directory.js';
import { positiveOption, type RedisCommandClient, type RedisSubscriber } from './client.js';
import { RedisConcurrencyStore } from './concurrency.js';
import { RedisConversationStore } from './conversations.js';
import { clientWithDeadline, DEFAULT_COMMAND_TIMEOUT_MS, subscriberWithDeadline } from './deadline.js';
import { RedisRateLimitStore } from './rate-limit.js';
import { RedisRunBus } from './run-bus.js';
import { RedisRunLogStore, type RedisRunLogLimits } from './run-log.js';
import { RedisRunOwnerStore } from './run-owners.js';
import { RedisSmithDirectory } from './smith-directory.js';
import { RedisThreadIndex } from './thread-index.js';
import type { ThreadIndexStore } from '../../backends/core/thread-index.js';

export interface RedisStoresOptions {
  /** A connected client: node-redis v5 as it is, anything else through an adapter (docs/deploying.md). */
  client: RedisCommandClient;
  /**
   * A second connection for pub/sub, so cancel reaches the instance streaming a run
   * (node-redis: `await client.duplicate().connect()`). Without it, runs are still registered but
   * commands cannot be delivered.
   */
  subscriber?: RedisSubscriber;
  /** Put before every key and channel, to share one Redis between apps. Default `ic:`. */
  prefix?: string;
  /**
   * How long a request waits for Redis before the visitor gets `503 unavailable` (with
   * Retry-After) and `onError` the reason: a Redis that stops answering no longer holds every
   * request open. Default 5,000 ms. The run log's writes are bounded by `runLog.maxUnwrittenBytes` instead.
   */
  commandTimeoutMs?: number;
  /**
   * How long a smith directory entry lives after it was last used. Default 400 days: no browser
   * keeps a cookie longer, so a claimed anonymous cookie cannot outlive its entry.
   */
  smithDirectoryTtlMs?: number;
  /** How long a conversation is kept after its last turn. Default 30 days. */
  conversationTtlMs?: number;
  /** Messages kept per conversation. Default 100. */
  maxMessages?: number;
  /**
   * Bounds and lifetime of each run's event log (defaults: 10 minutes after the run, 10,000 events,
   * 2 MiB), and how much may wait for a slow or unreachable Redis (`maxUnwrittenBytes`, 32 MiB).
   */
  runLog?: RedisRunLogLimits;
}

/** Every shared store on one Redis. */
export interface RedisStores {
  rateLimit: RateLimitStore;
  concurrency: ConcurrencyStore;
  runBus: RunBus;
  /** Each run's events on Redis Streams: a reply resumes on any instance. */
  runLog: RunLogStore;
  /** Who started each run, for feedback from any instance. */
  runOwners: RunOwnerStore;
  smithDirectory: SmithDirectory;
  conversations: ConversationStore;
  /** Signed-in visitors' lists of past conversations (`features.threads`), kept as long as conversations. */
  threads: ThreadIndexStore;
}

/**
 * The stores that let several instances of a support endpoint act as one service: pass
 * `{rateLimit, concurrency, runBus, runLog, runOwners, threads}` as the handler's `stores`, `smithDirectory` to the Ingram
 * backend and `conversations` as the AI SDK backend's `history`.
 *
 * ```ts
 * import { createClient } from 'redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const subscriber = await client.duplicate().connect();
 * const stores = createRedisStores({ client, subscriber });
 * ```
 */
export function createRedisStores(options: RedisStoresOptions): RedisStores {
  if (!options?.client || typeof options.client.eval !== 'function') {
    throw new TypeError('createRedisStores needs `client`: a connected Redis client with eval().');
  }
  const timeoutMs = positiveOption('commandTimeoutMs', options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  const client = clientWithDeadline(options.client, timeoutMs);
  const subscriber = options.subscriber && subscriberWithDeadline(options.subscriber, timeoutMs);
  const prefix = options.prefix ?? 'ic:';
  return {
    rateLimit: new RedisRateLimitStore(client, prefix),
    concurrency: new RedisConcurrencyStore(client, prefix),
    runBus: new RedisRunBus(client, subscriber, prefix),
    runLog: new RedisRunLogStore(client, subscriber, prefix, options.runLog, { writer: options.client, waitMs: timeoutMs }),
    runOwners: new RedisRunOwnerStore(client, prefix),
    smithDirectory: new RedisSmithDirectory(client, prefix, options.smithDirectoryTtlMs ?? 400 * 24 * 3600_000),
    threads: new RedisThreadIndex(client, prefix, options.conversationTtlMs),
    conversations: new RedisConversationStore(client, prefix, {
      ...(options.maxMessages !== undefined ? { maxMessages: options.maxMessages } : {}),
      ...(options.conversationTtlMs !== undefined ? { ttlMs: options.conversationTtlMs } : {}),
    }),
  };
}
