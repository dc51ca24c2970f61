// `npm test`: type-check, Node tests (protocol, backends, adapters; the shared stores against a real
// redis-server started here, see scripts/redis-server.mjs), then browser tests in Chromium,
// Firefox and WebKit with the visual snapshots (test/visual/) in Chromium: Firefox in a lane of its
// own beside the others, which run one after another (docs/development.md, "Browser tests and CI time").
// Flags: --node or --browser runs one half; --engines=chromium,firefox picks engines (also
// IC_TEST_ENGINES); extra args after `--` go to the browser runner.
// Ends with one plain line, `tests: N passed, N failed`, summing both runners and every engine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './chromium.mjs';
import { ensureLocales } from './locales.mjs';
import { freePort, startRedisServer } from './redis-server.mjs';
import { ensureFirefox } from './firefox.mjs';
import { ensureWebKit } from './webkit.mjs';

const args = process.argv.slice(2);
const only = args.includes('--node') ? 'node' : args.includes('--browser') ? 'browser' : 'all';
const passThrough = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
const ownArgs = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
const ENGINES = {
  chromium: { label: 'Chromium', ensure: ensureChromium },
  firefox: { label: 'Firefox', ensure: ensureFirefox },
  webkit: { label: 'WebKit', ensure: ensureWebKit },
};
const engineList = (ownArgs.find((a) => a.startsWith('--engines='))?.slice('--engines='.length) ?? process.env.IC_TEST_ENGINES ?? Object.keys(ENGINES).join(','))
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean);
for (const e of engineList) {
  if (!(e in ENGINES)) {
    console.error(`Unknown engine "${e}": expected ${Object.keys(ENGINES).join(', ')}`);
    process.exit(2);
  }
}
const totals = { passed: 0, failed: 0 };
/** What failed, by engine, repeated at the very end of the log (a CI log may keep only its tail). */
const failures = [];
/** A Node test file whose header says this runs alone: it bounds event-loop or wall-clock time. */
const SERIAL_MARK = 'test:alone';
// The language registry every half compiles against, generated from src/widget/i18n/locales/.
await ensureLocales();

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
  if (failures.length) console.log(`\n▶ failed\n  ${failures.slice(0, 40).join('\n  ')}${failures.length > 40 ? `\n  … and ${failures.length - 40} more` : ''}`);
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code);
}

/** Runs a command, echoing its output unless told not to, and resolves with its exit code and everything it printed. */
function runCapturing(cmd, cmdArgs, env, echoOutput = true) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      if (echoOutput) stream.write(chunk);
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
  const files = walk('test').filter((f) => !f.startsWith(join('test', 'widget')) && !f.startsWith(join('test', 'visual')));
  // Most files wait on sockets and timers, so several run at once (Node's default on two cores is
  // one at a time: 3m10s here, 1m55s with four). Files that bound how long the event loop may be held
  // (the abuse suite, and any file marked as below) run afterwards, alone, so a neighbour's CPU is
  // never counted against them.
  const alone = (f) => f.startsWith(join('test', 'abuse')) || readFileSync(f, 'utf8').includes(SERIAL_MARK);
  const groups = [
    { files: files.filter((f) => !alone(f)), concurrency: Number(process.env.IC_TEST_CONCURRENCY ?? 4) },
    { files: files.filter(alone), concurrency: 1 },
  ];
  console.log(`\n▶ node tests (${files.length} files: ${groups[0].files.length} ${groups[0].concurrency} at a time, then ${groups[1].files.length} timing-sensitive ones alone)`);
  // Spec output for people; a TAP copy to count passes and failures from.
  const dir = mkdtempSync(join(tmpdir(), 'ic-node-tests-'));
  // One Redis for every test file (each uses its own key prefix), unless one is given.
  const redis = process.env.IC_TEST_REDIS_URL ? null : await startRedisServer();
  if (redis) console.log(`  (redis-server for the store tests: ${redis.url})`);
  let status = 0;
  for (const [i, group] of groups.entries()) {
    if (!group.files.length) continue;
    const tap = join(dir, `results-${i}.tap`);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        `--test-concurrency=${group.concurrency}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...group.files,
      ],
      { stdio: 'inherit', env: { ...process.env, ...(redis ? { IC_TEST_REDIS_URL: redis.url } : {}) } },
    );
    const text = readFileSync(tap, 'utf8');
    totals.passed += Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
    totals.failed += Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
    // Node's TAP nests subtests; every failing one and its parents say `not ok`.
    for (const [, name] of text.matchAll(/^\s*not ok \d+ - (.*)$/gm)) failures.push(`Node: ${name}`);
    if (r.status !== 0 && !status) status = r.status ?? 1;
  }
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (status !== 0) finish(status);
}

if (only !== 'node') {
  // The engines run in two lanes side by side: Firefox, which shows one page at a time (see
  // test/support/firefox-launcher.ts) and mostly waits on streams and back-offs (it used 116 s of CPU
  // in 227 s alone), beside Chromium, the visual snapshots and WebKit one after another. The side
  // lane's output is held and printed when it ends, so the log reads one engine at a time.
  // IC_TEST_LANES=1 runs every engine one after another, as before.
  const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''); // eslint-disable-line no-control-regex
  const WTR = ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js'];
  const runs = engineList.map((name) => {
    const { label, ensure } = ENGINES[name];
    const found = ensure();
    return { name, label, title: `browser tests (${label}: ${typeof found === 'string' ? found : found.browser})`, config: 'web-test-runner.config.mjs', args: passThrough };
  });
  // Visual snapshots (test/visual/): Chromium only, one page at a time; baselines are Chromium's.
  if (engineList.includes('chromium') && !passThrough.includes('--files')) {
    const at = runs.findIndex((r) => r.name === 'chromium') + 1;
    runs.splice(at, 0, {
      name: 'chromium',
      label: 'visual snapshots',
      title: 'visual snapshots (Chromium, test/visual/)',
      config: 'test/visual/web-test-runner.visual.config.mjs',
      args: [],
    });
  }
  const twoLanes = process.env.IC_TEST_LANES !== '1' && runs.some((r) => r.name === 'firefox') && runs.some((r) => r.name !== 'firefox');
  const side = twoLanes ? runs.filter((r) => r.name === 'firefox') : [];
  const main = runs.filter((r) => !side.includes(r));

  /** One runner process; every run goes on when another fails, so one log shows every engine. */
  async function runOne(run, echo) {
    const began = Date.now();
    const { code, output } = await runCapturing(
      process.execPath,
      [...WTR, '--config', run.config, ...run.args],
      { IC_TEST_ENGINE: run.name, IC_TEST_PORT: String(await freePort()) },
      echo,
    );
    const counts = [...stripAnsi(output).matchAll(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)].pop();
    const seconds = ((Date.now() - began) / 1000).toFixed(0);
    const summary = `${run.label}: ${counts ? `${counts[1]} passed, ${counts[2]} failed${counts[3] !== undefined ? `, ${counts[3]} skipped` : ''}` : 'no result'} in ${seconds} s`;
    // A runner that failed before reporting any result counts as one failure.
    return { code, output, summary, passed: Number(counts?.[1] ?? 0), failed: counts ? Number(counts[2]) : code !== 0 ? 1 : 0 };
  }
  async function lane(list, echo) {
    const results = [];
    for (const run of list) {
      if (echo) console.log(`\n▶ ${run.title}`);
      results.push({ run, ...(await runOne(run, echo)) });
    }
    return results;
  }
  if (side.length) console.log(`\n▶ ${side.map((r) => r.label).join(', ')} in a lane of its own beside ${main.map((r) => r.label).join(', ')} (its output follows theirs)`);
  const [mainResults, sideResults] = await Promise.all([lane(main, true), lane(side, false)]);
  for (const { run, output } of sideResults) {
    console.log(`\n▶ ${run.title} (ran beside the others)`);
    process.stdout.write(output);
  }
  let firstFailure = 0;
  for (const r of [...mainResults, ...sideResults]) {
    totals.passed += r.passed;
    totals.failed += r.failed;
    for (const [, line] of stripAnsi(r.output).matchAll(/^FAILED: (.*)$/gm)) failures.push(`${r.run.label}: ${line}`);
    if (r.code !== 0 && !firstFailure) firstFailure = r.code;
  }
  console.log(`\n▶ browser engines\n  ${[...mainResults, ...sideResults].map((r) => r.summary).join('\n  ')}`);
  if (firstFailure) finish(firstFailure);
}

finish(0);
