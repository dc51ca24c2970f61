// `npm run build`: clean dist/, library modules + standalone bundle with Vite, declarations with tsc.
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureLocales } from './locales.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The language registry tsc needs (Vite writes it too); generated from src/widget/i18n/locales/.
await ensureLocales();
rmSync('dist', { recursive: true, force: true });
run('npx', ['vite', 'build', '--mode', 'lib', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'standalone', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'lazy', '--logLevel', 'warn']);
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
// Typings for frameworks not installed here (types/README.md): copied beside dist/jsx/elements.d.ts,
// each with an empty module so the type-only exports resolve for runtimes and bundlers too.
for (const name of ['preact', 'solid', 'vue']) {
  copyFileSync(`types/${name}.d.ts`, `dist/jsx/${name}.d.ts`);
  writeFileSync(`dist/jsx/${name}.js`, 'export {};\n');
}
