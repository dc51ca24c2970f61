// `npm test`: type-check, Node tests (protocol, backends, adapters), then browser tests in Chromium.
// Flags: --node or --browser runs one half; extra args after `--` go to the browser runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './chromium.mjs';

const args = process.argv.slice(2);
const only = args.includes('--node') ? 'node' : args.includes('--browser') ? 'browser' : 'all';
const passThrough = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function run(cmd, cmdArgs, env = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (only === 'all') {
  console.log('\n▶ type-check');
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
}

if (only !== 'browser') {
  const files = walk('test').filter((f) => !f.startsWith(join('test', 'widget')));
  console.log(`\n▶ node tests (${files.length} files)`);
  run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
}

if (only !== 'node') {
  const chromium = ensureChromium();
  console.log(`\n▶ browser tests (Chromium: ${chromium})`);
  run(process.execPath, ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs', ...passThrough], {
    CHROME_PATH: chromium,
  });
}
