// Size of the standalone bundle (what a plain <script type="module"> page downloads).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { composition } from './bundle-composition.mjs';

export const name = 'bundle';
export const title = 'dist/ic-support-chat.min.js size';

// DESIGN.md: Lit, marked, DOMPurify and all widget code, for the full feature set (the three libraries ~35 KB).
const GZIP_BUDGET_KB = 75;
/** The on-demand chunks that hold features rather than options (src/widget/lazy-parts.ts, the image viewer). */
const FEATURE_CHUNK = /^chunks\/(tool-ui|attachment-parts|image-viewer)-/;

/** The chunks `code` (the main file) imports, and those they import in turn, as `chunks/x.js` paths. */
function importedChunks(root, code) {
  const found = new Set(code.match(/chunks\/[\w-]+\.js/g) ?? []);
  for (const file of found) {
    // A chunk imports its siblings as "./name-hash.js" (and the main file as "../…", not followed).
    for (const [, name] of readFileSync(join(root, 'dist', file), 'utf8').matchAll(/["']\.\/([\w-]+\.js)["']/g)) found.add(`chunks/${name}`);
  }
  return [...found].sort();
}

export async function run({ root }) {
  const file = join(root, 'dist', 'ic-support-chat.min.js');
  if (!existsSync(file)) {
    return { results: { skipped: 'dist/ic-support-chat.min.js missing: run `npm run build` first' }, table: [], notes: ['skipped: run `npm run build` first'] };
  }
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const kb = (n) => Math.round((n / 1024) * 10) / 10;
  // Loaded only when needed: not in the budget. The chunks the bundle itself imports (dist/chunks/
  // also holds the lazy build's). Another language's strings and the AI SDK transport are options;
  // the tool-call and approval UI, the attachment chip and image shrinking, and the image viewer are
  // features a conversation may use (prefetched when the browser is idle): "full feature set loaded"
  // adds those to the main file, each gzipped on its own as the browser fetches it.
  const chunks = importedChunks(root, bytes.toString('utf8')).map((f) => ({
    file: `dist/${f}`,
    gzipBytes: gzipSync(readFileSync(join(root, 'dist', f)), { level: 9 }).length,
    feature: FEATURE_CHUNK.test(f),
  }));
  const fullFeatureSetGzipBytes = chunks.reduce((sum, c) => sum + (c.feature ? c.gzipBytes : 0), gzip);
  const { parts } = existsSync(`${file}.map`) ? composition(file) : { parts: [] };
  const results = { file: 'dist/ic-support-chat.min.js', rawBytes: bytes.length, gzipBytes: gzip, brotliBytes: brotli, fullFeatureSetGzipBytes, parts, onDemandChunks: chunks };
  return {
    results,
    table: [
      { file: results.file, 'raw KB': kb(bytes.length), 'gzip KB': kb(gzip), 'brotli KB': kb(brotli) },
      { file: 'full feature set loaded (+ tool UI, attachment, image viewer chunks)', 'raw KB': '', 'gzip KB': kb(fullFeatureSetGzipBytes), 'brotli KB': '' },
      ...parts.map((p) => ({ file: `  ${p.part}`, 'raw KB': kb(p.rawBytes), 'gzip KB': kb(p.gzipBytes), 'brotli KB': '' })),
    ],
    notes: parts.length ? ['part sizes are marginal (the bundle gzipped minus the bundle gzipped without that part), so they sum to less than the whole'] : [],
    budgets: [{ name: 'standalone bundle gzip', value: kb(gzip), limit: GZIP_BUDGET_KB, unit: ' KB', pass: gzip <= GZIP_BUDGET_KB * 1024 }],
  };
}
