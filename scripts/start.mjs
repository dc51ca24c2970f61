// `npm start`: build the widget when dist/ is missing or older than src/, then run the demo server
// (demo/server.ts through tsx) on PORT (default 8787).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUNDLE = join('dist', 'ic-support-chat.min.js');

/** Newest modification time of any file under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

function needsBuild() {
  if (!existsSync(BUNDLE)) return 'dist/ic-support-chat.min.js is missing';
  const inputs = Math.max(newest('src'), ...['package.json', 'vite.config.ts'].filter(existsSync).map((f) => statSync(f).mtimeMs));
  return inputs > statSync(BUNDLE).mtimeMs ? 'src/ changed since the last build' : null;
}

const reason = needsBuild();
if (reason) {
  console.log(`▶ npm run build (${reason})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('The build failed; fix it and run npm start again.');
    process.exit(r.status ?? 1);
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', join('demo', 'server.ts')], { stdio: 'inherit', env: process.env });
// The server drains on these (open replies get IC_DRAIN_GRACE_MS, default 10 s) and exits 0; we
// wait for it and exit with its code. It ignores the second SIGINT a terminal's Ctrl-C also sends it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
