// Size of the standalone bundle: what a plain <script type="module"> page downloads for the full
// feature set, and the main file alone.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { OPTION_MODULE } from '../scripts/chunk-roles.mjs';
import { composition } from './bundle-composition.mjs';

export const name = 'bundle';
export const title = 'standalone bundle size: the full feature set and dist/ic-support-chat.min.js';

// DESIGN.md: Lit, marked and all widget code, for the full feature set (DESIGN names DOMPurify too; the
// renderer builds DOM from marked's tokens instead, see src/widget/markdown/build-dom.ts).
const GZIP_BUDGET_KB = 75;

// Rollup's minified ESM output: `import{…}from"./x.js"`, `export{…}from"./x.js"`, and `import("./x.js")`.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+\.js)["']/g;

/** The source modules a built file holds, from its source map (empty without one). */
function sourcesOf(file) {
  if (!existsSync(`${file}.map`)) return [];
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  return map.sources.map((source) => resolve(dirname(file), map.sourceRoot ?? '', source));
}

/**
 * Every chunk the main file imports, statically or with `import()`, and those they import in turn.
 * A chunk that holds an option (scripts/chunk-roles.mjs: another language's strings, the AI SDK
 * transport) is listed but not counted, and what only it imports is not followed; every other chunk
 * is a feature: the widget loads it on first need and prefetches it when the browser is idle.
 */
function chunkGraph(mainFile) {
  const main = resolve(mainFile);
  const chunks = new Map();
  const visit = (file) => {
    for (const [, path] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const next = resolve(dirname(file), path);
      if (next === main || chunks.has(next)) continue;
      if (!existsSync(next)) throw new Error(`${next} is imported but missing: rebuild with \`npm run build\``);
      const option = sourcesOf(next).some((source) => OPTION_MODULE.test(source.replaceAll('\\', '/')));
      chunks.set(next, { option });
      if (!option) visit(next);
    }
  };
  visit(main);
  return chunks;
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
  // Each file gzipped on its own, as the browser fetches it.
  const chunks = [...chunkGraph(file)]
    .map(([path, { option }]) => {
      const code = readFileSync(path);
      return { file: relative(root, path).replaceAll('\\', '/'), rawBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, feature: !option };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
  const features = chunks.filter((c) => c.feature);
  const fullFeatureSetGzipBytes = features.reduce((sum, c) => sum + c.gzipBytes, gzip);
  const fullFeatureSetRawBytes = features.reduce((sum, c) => sum + c.rawBytes, bytes.length);
  // Per part, over the full feature set: each file's marginal sizes (bench/bundle-composition.mjs), summed.
  const parts = [];
  for (const path of [file, ...features.map((c) => join(root, c.file))].filter((f) => existsSync(`${f}.map`))) {
    for (const row of composition(path).parts) {
      const sum = parts.find((p) => p.part === row.part) ?? parts[parts.push({ part: row.part, rawBytes: 0, gzipBytes: 0 }) - 1];
      sum.rawBytes += row.rawBytes;
      sum.gzipBytes += row.gzipBytes;
    }
  }
  const results = {
    file: 'dist/ic-support-chat.min.js',
    rawBytes: bytes.length,
    gzipBytes: gzip,
    brotliBytes: brotli,
    fullFeatureSetGzipBytes,
    fullFeatureSetRawBytes,
    parts,
    onDemandChunks: chunks,
  };
  return {
    results,
    table: [
      {
        file: `full feature set: the main file + ${features.length} feature chunk(s)`,
        'raw KB': kb(fullFeatureSetRawBytes),
        'gzip KB': kb(fullFeatureSetGzipBytes),
        'brotli KB': '',
      },
      { file: results.file, 'raw KB': kb(bytes.length), 'gzip KB': kb(gzip), 'brotli KB': kb(brotli) },
      ...parts.map((p) => ({ file: `  ${p.part}`, 'raw KB': kb(p.rawBytes), 'gzip KB': kb(p.gzipBytes), 'brotli KB': '' })),
      ...chunks.map((c) => ({ file: `${c.file} (${c.feature ? 'feature' : 'option, not counted'})`, 'raw KB': kb(c.rawBytes), 'gzip KB': kb(c.gzipBytes), 'brotli KB': '' })),
    ],
    notes: parts.length
      ? ['part sizes (full feature set) are marginal (each file gzipped minus that file gzipped without the part, summed over the files), so they sum to less than the whole']
      : [],
    budgets: [
      { name: 'standalone full feature set gzip', value: kb(fullFeatureSetGzipBytes), limit: GZIP_BUDGET_KB, unit: ' KB', pass: fullFeatureSetGzipBytes <= GZIP_BUDGET_KB * 1024 },
    ],
  };
}
