// What a page pays in launcher mode before the visitor opens the chat: the lazy entry (src/lazy.ts)
// bundled the way a CDN build ships it (ESM, minified, code splitting), counting the entry chunk and
// every chunk it imports statically (the browser fetches those at once), each gzipped on its own.
// The dynamically imported panel chunk is what loads on first open (or hover/focus of the launcher).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const name = 'launcher';
export const title = 'launcher-mode first load (src/lazy.ts, gzip)';

const BUDGET_BYTES = 10 * 1024;

/** Bundles the lazy entry and measures it. Returns the first-load and on-open gzip sizes. */
export async function measure(root) {
  const outdir = mkdtempSync(join(tmpdir(), 'ic-launcher-bench-'));
  try {
    const result = await build({
      entryPoints: [join(root, 'src', 'lazy.ts')],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      target: 'es2022',
      outdir,
      metafile: true,
      logLevel: 'silent',
      tsconfig: join(root, 'tsconfig.json'),
      define: { 'process.env.NODE_ENV': '"production"' },
      conditions: ['production'],
    });
    const outputs = result.metafile.outputs;
    const key = (file) => file.split('/').pop();
    const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint?.endsWith('src/lazy.ts'));
    if (!entry) throw new Error('esbuild produced no output for src/lazy.ts');
    const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

    // The entry and its static imports, transitively: what loads before the chat opens.
    const firstLoad = new Set();
    const visit = (file) => {
      if (firstLoad.has(file)) return;
      firstLoad.add(file);
      for (const imported of outputs[file].imports) if (imported.kind === 'import-statement') visit(imported.path);
    };
    visit(entry);
    const all = Object.keys(outputs).filter((file) => file.endsWith('.js'));
    const firstLoadGzip = [...firstLoad].reduce((sum, file) => sum + gz(file), 0);
    const onOpenGzip = all.filter((file) => !firstLoad.has(file)).reduce((sum, file) => sum + gz(file), 0);
    return {
      launcher_first_load_gzip_bytes: firstLoadGzip,
      panel_on_open_gzip_bytes: onOpenGzip,
      first_load_files: [...firstLoad].map(key),
      budget_bytes: BUDGET_BYTES,
      pass: firstLoadGzip <= BUDGET_BYTES,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** `npm run bench` section (see scripts/bench.mjs); also usable alone: `run()` resolves the numbers. */
export async function run(ctx = { root: process.cwd() }) {
  const results = await measure(ctx.root ?? process.cwd());
  const kb = (n) => Math.round((n / 1024) * 10) / 10;
  return {
    ...results,
    results,
    table: [
      { what: 'before the chat opens (entry + static imports)', 'gzip KB': kb(results.launcher_first_load_gzip_bytes) },
      { what: 'on first open (dynamic import)', 'gzip KB': kb(results.panel_on_open_gzip_bytes) },
    ],
    budgets: [
      {
        name: 'launcher first load gzip',
        value: kb(results.launcher_first_load_gzip_bytes),
        limit: BUDGET_BYTES / 1024,
        unit: ' KB',
        pass: results.pass,
      },
    ],
  };
}
