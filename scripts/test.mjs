// `npm test`: type-check, Node tests (protocol, backends, adapters; the shared stores against a real
// redis-server started here, see scripts/redis-server.mjs), then browser tests in Chromium.
// Flags: --node or --browser runs one half; extra args after `--` go to the browser runner.
// Ends with one plain line, `tests: N passed, N failed`, summing both runners.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './chromium.mjs';
import { startRedisServer } from './redis-server.mjs';

const args = process.argv.slice(2);
const only = args.includes('--node') ? 'node' : args.includes('--browser') ? 'browser' : 'all';
const passThrough = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
const totals = { passed: 0, failed: 0 };

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function finish(code) {
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code);
}

/** Runs a command, echoing its output, and resolves with its exit code and everything it printed. */
function runCapturing(cmd, cmdArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

if (only === 'all') {
  console.log('\n▶ type-check (src, tests, stories)');
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('npx', ['tsc', '-p', 'stories/tsconfig.json', '--noEmit']);
  // Each layer with only the types it may use, then the Node-side tests and demo against them
  // (tsconfig.layers.json); test/package/layers.test.ts proves a cross-layer import fails here.
  console.log('\n▶ layers (tsc -b tsconfig.layers.json)');
  run('npx', ['tsc', '-b', 'tsconfig.layers.json']);
}

if (only !== 'browser') {
  const files = walk('test').filter((f) => !f.startsWith(join('test', 'widget')));
  console.log(`\n▶ node tests (${files.length} files)`);
  // Spec output for people; a TAP copy to count passes and failures from.
  const dir = mkdtempSync(join(tmpdir(), 'ic-node-tests-'));
  const tap = join(dir, 'results.tap');
  // One Redis for every test file (each uses its own key prefix), unless one is given.
  const redis = process.env.IC_TEST_REDIS_URL ? null : await startRedisServer();
  if (redis) console.log(`  (redis-server for the store tests: ${redis.url})`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { stdio: 'inherit', env: { ...process.env, ...(redis ? { IC_TEST_REDIS_URL: redis.url } : {}) } },
  );
  await redis?.stop();
  const text = readFileSync(tap, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  totals.passed += Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  totals.failed += Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
  if (r.status !== 0) finish(r.status ?? 1);
}

if (only !== 'node') {
  const chromium = ensureChromium();
  console.log(`\n▶ browser tests (Chromium: ${chromium})`);
  const { code, output } = await runCapturing(
    process.execPath,
    ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs', ...passThrough],
    { CHROME_PATH: chromium },
  );
  const counts = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
  if (counts) {
    totals.passed += Number(counts[1]);
    totals.failed += Number(counts[2]);
  } else if (code !== 0) {
    totals.failed += 1; // the runner failed before reporting any result
  }
  if (code !== 0) finish(code);
}

finish(0);
