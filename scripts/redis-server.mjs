// The real Redis the Node tests run the shared stores against: Debian's `redis-server`, started on a
// free port with no persistence and stopped afterwards. Installed when missing and we are root
// (as scripts/chromium.mjs does for the browser); otherwise we stop and say how to install it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'];

export function findRedisServer() {
  const fromEnv = process.env.REDIS_SERVER_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const onPath = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Returns the redis-server binary, installing Debian's package first when missing and we may. */
export function ensureRedisServer() {
  let found = findRedisServer();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    console.log("redis-server is missing: installing Debian's redis-server (apt-get install -y redis-server)…");
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'inherit' });
    found = findRedisServer();
    if (found) return found;
  }
  console.error(
    [
      'The Node tests run the shared stores against a real Redis, and no redis-server was found.',
      'Install it and run the tests again:',
      '  sudo apt-get update && sudo apt-get install -y redis-server   (macOS: brew install redis)',
      'or point REDIS_SERVER_PATH at a redis-server binary, or IC_TEST_REDIS_URL at a Redis the tests may write to.',
    ].join('\n'),
  );
  process.exit(1);
}

/** A port free now on 127.0.0.1 (for a Redis server, or one test runner's own server). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a throwaway redis-server on a free port; resolves once it accepts connections. */
export async function startRedisServer(binary = ensureRedisServer()) {
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 20 s:\n${log}`)), 20_000);
    child.once('error', (err) => reject(err));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${log}`)));
    const check = () => (log.includes('Ready to accept connections') ? (clearTimeout(timer), resolve()) : setTimeout(check, 20));
    check();
  });
  child.removeAllListeners('exit');
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url: `redis://127.0.0.1:${port}`, stop };
}
