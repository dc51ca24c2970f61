// bench/bundle.bench.mjs budgets the full feature set: the standalone file plus every chunk it
// imports (statically or with import(), and what those import), except the options, recognised by
// the source modules in their maps (scripts/chunk-roles.mjs). A new feature chunk counts without
// being listed anywhere; an option's own imports do not count; a root given as a relative path works.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, it } from 'node:test';
// @ts-expect-error: a plain .mjs bench without typings
import { run } from '../../bench/bundle.bench.mjs';

interface Chunk {
  file: string;
  feature: boolean;
}

const root = mkdtempSync(join(tmpdir(), 'ic-bundle-bench-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A built file with a source map naming `sources` (relative to the file, as Rollup writes them). */
function file(path: string, code: string, sources: string[]): void {
  const full = join(root, 'dist', path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, code);
  writeFileSync(`${full}.map`, JSON.stringify({ version: 3, sources, names: [], mappings: 'AAAA' }));
}

it('counts the main file and every feature chunk it reaches, not the options', async () => {
  const src = (path: string) => relative(join(root, 'dist', 'chunks'), join(root, 'src', path));
  file('ic-support-chat.min.js', 'import("./chunks/features-a.js");import("./chunks/de-b.js");import("./chunks/ai-sdk-transport-c.js");export const x=1;', [
    relative(join(root, 'dist'), join(root, 'src/standalone.ts')),
  ]);
  file('chunks/features-a.js', 'import{x}from"../ic-support-chat.min.js";import"./new-part-d.js";export const y=x;', [src('widget/tool-ui.ts')]);
  file('chunks/new-part-d.js', 'export const z=2;', [src('widget/new-part/new-part.ts')]);
  file('chunks/de-b.js', 'export default {};', [src('widget/i18n/locales/de.ts')]);
  file('chunks/ai-sdk-transport-c.js', 'import"./ui-only-e.js";export class T{}', [src('widget/transport/ai-sdk-transport.ts')]);
  file('chunks/ui-only-e.js', 'export const u=3;', [src('widget/transport/ui-message-assembler.ts')]);
  file('chunks/unrelated-f.js', 'export const w=4;', [src('widget/launcher/lazy-panel.ts')]);

  for (const where of [root, relative(process.cwd(), root)]) {
    const { results } = (await run({ root: where })) as { results: { gzipBytes: number; fullFeatureSetGzipBytes: number; onDemandChunks: (Chunk & { gzipBytes: number })[] } };
    const roles = Object.fromEntries(results.onDemandChunks.map((c) => [c.file.replace(/^.*dist\//, ''), c.feature]));
    assert.deepEqual(roles, { 'chunks/ai-sdk-transport-c.js': false, 'chunks/de-b.js': false, 'chunks/features-a.js': true, 'chunks/new-part-d.js': true }, where);
    const features = results.onDemandChunks.filter((c) => c.feature).reduce((sum, c) => sum + c.gzipBytes, 0);
    assert.equal(results.fullFeatureSetGzipBytes, results.gzipBytes + features);
  }
});
