// Size of the standalone bundle (what a plain <script type="module"> page downloads).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { composition } from './bundle-composition.mjs';

export const name = 'bundle';
export const title = 'dist/ic-support-chat.min.js size';

// DESIGN.md: Lit, marked, DOMPurify and all widget code, for the full feature set (the three libraries ~35 KB).
const GZIP_BUDGET_KB = 75;

export async function run({ root }) {
  const file = join(root, 'dist', 'ic-support-chat.min.js');
  if (!existsSync(file)) {
    return { results: { skipped: 'dist/ic-support-chat.min.js missing: run `npm run build` first' }, table: [], notes: ['skipped: run `npm run build` first'] };
  }
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const kb = (n) => Math.round((n / 1024) * 10) / 10;
  // Loaded only when needed (another language's strings, the AI SDK transport): not in the budget.
  // The chunks the bundle itself imports (dist/chunks/ also holds the lazy build's).
  const chunks = [...new Set(bytes.toString('utf8').match(/chunks\/[\w-]+\.js/g) ?? [])].sort().map((f) => ({
    file: `dist/${f}`,
    gzipBytes: gzipSync(readFileSync(join(root, 'dist', f)), { level: 9 }).length,
  }));
  const { parts } = existsSync(`${file}.map`) ? composition(file) : { parts: [] };
  const results = { file: 'dist/ic-support-chat.min.js', rawBytes: bytes.length, gzipBytes: gzip, brotliBytes: brotli, parts, onDemandChunks: chunks };
  return {
    results,
    table: [
      { file: results.file, 'raw KB': kb(bytes.length), 'gzip KB': kb(gzip), 'brotli KB': kb(brotli) },
      ...parts.map((p) => ({ file: `  ${p.part}`, 'raw KB': kb(p.rawBytes), 'gzip KB': kb(p.gzipBytes), 'brotli KB': '' })),
    ],
    notes: parts.length ? ['part sizes are marginal (the bundle gzipped minus the bundle gzipped without that part), so they sum to less than the whole'] : [],
    budgets: [{ name: 'standalone bundle gzip', value: kb(gzip), limit: GZIP_BUDGET_KB, unit: ' KB', pass: gzip <= GZIP_BUDGET_KB * 1024 }],
  };
}
