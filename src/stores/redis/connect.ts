import type { RedisCommandClient, RedisSubscriber } from './client.js';
import { createRedisStores, type RedisStores, type RedisStoresOptions } from './create-redis-stores.js';

/** The slice of node-redis v5 used to open the connections (typed here: the package is optional). */
interface NodeRedisClient extends RedisCommandClient, RedisSubscriber {
  connect(): Promise<NodeRedisClient>;
  duplicate(): NodeRedisClient;
  close(): Promise<unknown>;
  on(event: 'error', listener: (err: unknown) => void): unknown;
}
interface NodeRedisModule {
  createClient(options: { url: string }): NodeRedisClient;
}

export interface ConnectRedisStoresOptions extends Omit<RedisStoresOptions, 'client' | 'subscriber'> {
  /** `redis://[user:pass@]host:port[/db]`, or `rediss://…` for TLS. */
  url: string;
  /** Connection errors after the first connect (node-redis reconnects by itself). Default: `console.error`. */
  onError?: (err: unknown) => void;
}

/** The stores, and a way to close the two connections they use. */
export interface ConnectedRedisStores extends RedisStores {
  /** The command connection, for the app's own few keys (e.g. the demo's sign-in sessions). */
  readonly client: RedisCommandClient;
  close(): Promise<void>;
}

/**
 * Opens the two node-redis connections the stores need (commands, and pub/sub for the run bus) and
 * returns the stores on them. Needs the optional peer dependency `redis` (v5), loaded only here.
 *
 * ```ts
 * const stores = await connectRedisStores({ url: process.env.REDIS_URL! });
 * process.once('SIGTERM', () => stores.close());
 * ```
 */
export async function connectRedisStores(options: ConnectRedisStoresOptions): Promise<ConnectedRedisStores> {
  const { url, onError = (err: unknown) => console.error('[ic-support-chat redis]', err), ...rest } = options;
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) throw new TypeError('connectRedisStores needs `url`: redis://host:port or rediss://host:port');
  let redis: NodeRedisModule;
  try {
    redis = (await import('redis' as string)) as NodeRedisModule;
  } catch (err) {
    throw new Error('connectRedisStores needs node-redis, an optional peer dependency: npm install redis@5', { cause: err });
  }
  const base = redis.createClient({ url });
  base.on('error', onError);
  const client = await base.connect();
  let subscriber: NodeRedisClient;
  try {
    const sub = client.duplicate();
    sub.on('error', onError);
    subscriber = await sub.connect();
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
  return {
    ...createRedisStores({ ...rest, client, subscriber }),
    client,
    close: async () => {
      await Promise.allSettled([subscriber.close(), client.close()]);
    },
  };
}
