// What a page pays in launcher mode before the visitor opens the chat: dist/ic-support-chat.lazy.js
// as `npm run build` ships it, with every chunk it imports statically (the browser fetches those at
// once), each gzipped on its own. What that first load imports dynamically (the quick panel right
// after the page's load, the full chat when the browser is idle or the visitor shows intent) and
// their static imports come after load; the panel's own dynamic imports (another language's strings,
// the AI SDK transport) only when needed. Then click → focused composer in Chromium under a slow
// phone's profile (bench/launcher-open.mjs), with the idle prefetch and cold.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OPEN_BUDGET_MS, measureOpen } from './launcher-open.mjs';

export const name = 'launcher';
export const title = 'launcher mode: first load (dist/ic-support-chat.lazy.js, gzip) and click → focused composer';

// DESIGN.md: in launcher mode the page pays ≤ 5 KB gzip up to load.
const BUDGET_BYTES = 5 * 1024;

// Rollup's minified ESM output: `import{…}from"./x.js"`, `import"./x.js"`, `export{…}from"./x.js"`,
// and `import("./x.js")` for dynamic imports (module preloading is off in vite.config.ts).
const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{},\s]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

function importsOf(file) {
  const code = readFileSync(file, 'utf8');
  const at = (m) => resolve(dirname(file), m[1]);
  return { static: [...code.matchAll(STATIC_IMPORT)].map(at), dynamic: [...code.matchAll(DYNAMIC_IMPORT)].map(at) };
}

/** Follows static imports from `roots`, skipping `seen`; returns the files reached. */
function closure(roots, seen) {
  const reached = new Set();
  const visit = (file) => {
    if (seen.has(file) || reached.has(file)) return;
    if (!existsSync(file)) throw new Error(`${file} is imported but missing: rebuild with \`npm run build\``);
    reached.add(file);
    for (const next of importsOf(file).static) visit(next);
  };
  roots.forEach(visit);
  return reached;
}

/** Measures the lazy build in `root/dist`. Returns the first-load, on-open and on-demand gzip sizes. */
export function measure(root) {
  const entry = join(root, 'dist', 'ic-support-chat.lazy.js');
  if (!existsSync(entry)) return null;
  const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
  const sum = (files) => [...files].reduce((total, file) => total + gz(file), 0);
  const dynamicOf = (files) => [...files].flatMap((file) => importsOf(file).dynamic);

  const firstLoad = closure([entry], new Set());
  const onOpen = closure(dynamicOf(firstLoad), firstLoad);
  const onDemand = closure(dynamicOf(onOpen), new Set([...firstLoad, ...onOpen]));
  const firstLoadGzip = sum(firstLoad);
  const name = (file) => relative(root, file);
  const quick = [...onOpen].filter((file) => /quick-panel-[^/]*\.js$/.test(file));
  return {
    launcher_first_load_gzip_bytes: firstLoadGzip,
    quick_panel_after_load_gzip_bytes: sum(quick),
    panel_on_open_gzip_bytes: sum(onOpen) - sum(quick),
    on_demand_gzip_bytes: sum(onDemand),
    first_load_files: [...firstLoad].map(name),
    on_open_files: [...onOpen].map(name),
    budget_bytes: BUDGET_BYTES,
    pass: firstLoadGzip <= BUDGET_BYTES,
  };
}

/** `npm run bench` section (see scripts/bench.mjs); also usable alone: `run()` resolves the numbers. */
export async function run(ctx = { root: process.cwd() }) {
  const sizes = measure(ctx.root ?? process.cwd());
  const open = sizes && (await measureOpen(ctx.root ?? process.cwd(), ctx.log));
  const results = sizes && { ...sizes, open };
  if (!results) {
    return { results: { skipped: 'dist/ic-support-chat.lazy.js missing: run `npm run build` first' }, table: [], notes: ['skipped: run `npm run build` first'] };
  }
  const kb = (n) => Math.round((n / 1024) * 10) / 10;
  return {
    ...results,
    results,
    table: [
      { what: 'up to load (entry + static imports)', 'gzip KB': kb(results.launcher_first_load_gzip_bytes) },
      { what: 'right after load (quick panel)', 'gzip KB': kb(results.quick_panel_after_load_gzip_bytes) },
      { what: 'when idle, or on hover/focus/press (full chat)', 'gzip KB': kb(results.panel_on_open_gzip_bytes) },
      { what: 'only when needed (other languages, AI SDK transport)', 'gzip KB': kb(results.on_demand_gzip_bytes) },
      ...['prefetched', 'cold'].map((key) => ({
        what: `click → focused composer / full chat, ${key === 'cold' ? 'cold (no idle prefetch)' : 'after the idle prefetch'} (ms)`,
        'gzip KB': `${open[key].composer_ms} / ${open[key].full_chat_ms}`,
      })),
    ],
    notes: [
      `open: Chromium, ${open.profile.cpuSlowdown}× CPU slowdown, ${open.profile.downloadKbps / 1000} Mbps / ${open.profile.latencyMs} ms, gzip, median of ${open.runs} runs`,
    ],
    budgets: [
      {
        name: 'launcher first load gzip',
        value: kb(results.launcher_first_load_gzip_bytes),
        limit: BUDGET_BYTES / 1024,
        unit: ' KB',
        pass: results.pass,
      },
      {
        name: 'click → focused composer (idle prefetch)',
        value: open.prefetched.composer_ms,
        limit: OPEN_BUDGET_MS,
        unit: ' ms',
        pass: open.prefetched.composer_ms <= OPEN_BUDGET_MS,
      },
    ],
  };
}
