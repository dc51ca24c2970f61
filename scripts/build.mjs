// `npm run build`: clean dist/, library modules + standalone bundle with Vite, declarations with tsc.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync('dist', { recursive: true, force: true });
run('npx', ['vite', 'build', '--mode', 'lib', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'standalone', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'lazy', '--logLevel', 'warn']);
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
