// scripts/vite-shared-decorate.ts replaces each module's copy of esbuild's `__decorateClass` with an
// import of one shared copy. On the installed esbuild (through Vite, with the project's tsconfig) it
// must apply (an esbuild update that changes the helper fails here rather than quietly growing the
// bundle), keep the module's lines, and decorate exactly as the module's own copy did.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { transformWithEsbuild } from 'vite';
import { SHARED, SHARED_CODE, shareDecorateClass } from '../../scripts/vite-shared-decorate.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ic-shared-decorate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Property, accessor-returning and class decorators, in the order TypeScript applies them.
const SAMPLE = `
export const calls: string[] = [];
const mark = (label: string) => (_target: object, key: string) => { calls.push(label + ':' + key); };
const accessor = (_target: object, key: string): PropertyDescriptor => ({ get() { return 'got ' + key; }, configurable: true });
const tagged = <T extends new () => object>(cls: T): T => { calls.push('class'); return cls; };
@tagged
export class Sample {
  @mark('outer') @mark('inner') name = 'x';
  @accessor value!: string;
}
`;

/** Imports `code` as a module, the shared helper resolved to its own file. */
async function load(code: string, name: string): Promise<{ calls: string[]; Sample: new () => { name: string; value: string } }> {
  const helper = join(dir, 'shared.mjs');
  writeFileSync(helper, SHARED_CODE);
  const file = join(dir, name);
  writeFileSync(file, code.replace(JSON.stringify(SHARED), JSON.stringify(pathToFileURL(helper).href)));
  return (await import(pathToFileURL(file).href)) as never;
}

describe('one shared __decorateClass (scripts/vite-shared-decorate.ts)', () => {
  it("applies to the installed esbuild's output, keeps lines and decorates the same", async () => {
    const { code } = await transformWithEsbuild(SAMPLE, join(root, 'src/widget/sample.ts'));
    const shared = shareDecorateClass(code);
    assert.ok(shared !== null, "esbuild's __decorateClass is not the text the plugin knows: update ESBUILD_DECORATE_CLASS");
    assert.ok(!shared.includes('var __decorateClass'));
    assert.equal(shared.split('\n').length, code.split('\n').length, 'lines are kept for the source map');
    const own = await load(code, 'own.mjs');
    const viaShared = await load(shared, 'shared-user.mjs');
    assert.deepEqual(viaShared.calls, own.calls);
    assert.deepEqual(own.calls, ['inner:name', 'outer:name', 'class']);
    assert.equal(new viaShared.Sample().value, 'got value');
  });

  it('leaves a module without the helper alone', () => {
    assert.equal(shareDecorateClass('export const a = 1;\n'), null);
  });
});
