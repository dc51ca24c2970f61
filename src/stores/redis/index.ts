/**
 * `ic-support-chat/stores/redis`: the shared stores on Redis, for several instances of one support
 * endpoint (see docs/deploying.md). Pass a connected client; the package does not import a Redis
 * library itself, so node-redis v5 (the optional peer dependency `redis`), ioredis or a REST client
 * all fit through the small `RedisCommandClient` shape.
 */
export { createRedisStores, type RedisStores, type RedisStoresOptions } from './create-redis-stores.js';
export { connectRedisStores, type ConnectRedisStoresOptions, type ConnectedRedisStores } from './connect.js';
export { RedisRateLimitStore } from './rate-limit.js';
export { RedisConcurrencyStore } from './concurrency.js';
export { RedisRunBus } from './run-bus.js';
export { RedisRunOwnerStore } from './run-owners.js';
export { RedisThreadIndex } from './thread-index.js';
export { RedisRunLogStore, RunLogBacklogError, type RedisRunLogLimits } from './run-log.js';
export { RedisUnavailableError } from './deadline.js';
export { RedisSmithDirectory } from './smith-directory.js';
export { RedisConversationStore, type RedisConversationStoreOptions } from './conversations.js';
export type { RedisCommandClient, RedisMessageListener, RedisScriptArgs, RedisSubscriber } from './client.js';
