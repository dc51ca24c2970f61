// scripts/vite-dompurify-helpers.ts writes `x` for DOMPurify's `_slicedToArray(x, 2)` over
// `Object.entries()` pairs (always arrays, which the helper returns as they are). On the installed
// DOMPurify it must apply (an update that changes the shape fails here rather than quietly growing
// the bundle), change nothing but those calls, and keep a module that loads; on any other
// `_slicedToArray` use it refuses. (Sanitising through the built bundle: test/package/standalone-page.check.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { dropSlicedToArray } from '../../scripts/vite-dompurify-helpers.ts';

const purifyFile = join(createRequire(import.meta.url).resolve('dompurify'), '..', 'purify.es.mjs');
const original = readFileSync(purifyFile, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'ic-dompurify-helpers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("DOMPurify without Babel's _slicedToArray (scripts/vite-dompurify-helpers.ts)", () => {
  it('applies to the installed DOMPurify and changes only those calls', async () => {
    const result = dropSlicedToArray(original);
    assert.ok('code' in result, `refused: ${'refused' in result ? result.refused : ''}`);
    assert.equal(result.code.length, original.length, 'positions are kept for the source map');
    assert.doesNotMatch(result.code, /_slicedToArray\(_/);
    // Every difference is inside a replaced call.
    const changed = [...original].flatMap((c, i) => (c === result.code[i] ? [] : [i]));
    assert.ok(changed.length > 0);
    for (const at of changed) assert.match(original.slice(at - 40, at + 40), /_slicedToArray\(\w+, 2\)/);
    const file = join(dir, 'purify.mjs');
    writeFileSync(file, result.code);
    const patched = ((await import(pathToFileURL(file).href)) as { default: { version: string } }).default;
    const full = ((await import(pathToFileURL(purifyFile).href)) as { default: { version: string } }).default;
    assert.equal(patched.version, full.version);
  });

  it('refuses when the pattern is missing or another call remains', () => {
    const loop = 'for (const p of entries(o)) {\n\tvar q = _slicedToArray(p, 2);\n}\n';
    assert.ok('code' in dropSlicedToArray(`function _slicedToArray(r, e) {}\n${loop}`));
    assert.deepEqual(dropSlicedToArray('var a = _slicedToArray(b, 2);'), { refused: 'no `_slicedToArray(x, 2)` over `entries()`' });
    assert.deepEqual(dropSlicedToArray(`${loop}var a = _slicedToArray(b, 2);`), { refused: 'another `_slicedToArray` call remains' });
  });
});
