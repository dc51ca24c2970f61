// A real Redis for tests: the one `npm test` started (IC_TEST_REDIS_URL), or, when a test file runs
// alone, a private `redis-server` on a free port, stopped when the process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import type { RedisCommandClient, RedisSubscriber } from '../../src/stores/redis/index.js';

let started: Promise<string> | undefined;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `redis-server` on a free port (no persistence); resolves with its URL once it accepts commands. */
export async function startRedisServer(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout!.on('data', (chunk) => (log += chunk));
  proc.stderr!.on('data', (chunk) => (log += chunk));
  await new Promise<void>((resolve, reject) => {
    proc.once('error', (err) => reject(new Error(`Could not start redis-server (${err.message}). Install it: sudo apt-get install -y redis-server`)));
    proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${log}`)));
    const check = () => (log.includes('Ready to accept connections') ? resolve() : setTimeout(check, 20));
    check();
  });
  proc.removeAllListeners('exit');
  return { url: `redis://127.0.0.1:${port}`, process: proc };
}

/** The URL of a Redis for this test process. */
export function redisUrl(): Promise<string> {
  const fromEnv = process.env.IC_TEST_REDIS_URL;
  if (fromEnv) return Promise.resolve(fromEnv);
  started ??= startRedisServer().then((server) => {
    child = server.process;
    // Not kept alive by its child: the test process ends when its tests do.
    child.unref();
    (child.stdout as unknown as { unref?: () => void })?.unref?.();
    (child.stderr as unknown as { unref?: () => void })?.unref?.();
    process.once('exit', () => child?.kill('SIGKILL'));
    return server.url;
  });
  return started;
}

/** Two connections to the test Redis (commands, and pub/sub), and a way to close both. */
export interface RedisConnection {
  client: RedisCommandClient;
  subscriber: RedisSubscriber;
  close(): Promise<void>;
}

export async function connectRedis(): Promise<RedisConnection> {
  const client = await createClient({ url: await redisUrl() }).connect();
  const subscriber = await client.duplicate().connect();
  return {
    client,
    subscriber,
    close: async () => {
      await Promise.allSettled([subscriber.close(), client.close()]);
    },
  };
}

/** A key prefix no other test uses, so tests share one Redis without seeing each other's keys. */
export function uniquePrefix(): string {
  return `test:${process.pid}:${Math.random().toString(36).slice(2)}:`;
}
