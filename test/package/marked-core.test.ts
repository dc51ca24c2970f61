// scripts/vite-marked-core.ts drops marked's `marked()` facade from the browser builds. On the
// installed marked it must apply (a marked update that changes the facade's shape fails here rather
// than quietly growing the bundle), keep every class the widget imports, and leave a module that
// renders exactly as the original; on a facade with an effect, or a name the rest mentions, it refuses.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parseAst } from 'rollup/parseAst';
import { stripMarkedFacade } from '../../scripts/vite-marked-core.ts';

const markedFile = createRequire(import.meta.url).resolve('marked');
const original = readFileSync(markedFile, 'utf8');
const parse = (code: string): unknown => parseAst(code);
const dir = mkdtempSync(join(tmpdir(), 'ic-marked-core-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SAMPLE = [
  '# Title\n\nSome *em*, **strong**, `code`, ~~del~~ and a [link](https://example.com "t").',
  '- one\n- two\n  1. nested\n\n> quote\n\n```js\nlet x = 1;\n```',
  '| a | b |\n|---|:-:|\n| 1 | 2 |\n\n<b>html</b> https://auto.example\n\n---\nline  \nbreak',
];

describe('marked without its facade (scripts/vite-marked-core.ts)', () => {
  it('applies to the installed marked, keeps its classes and renders the same', async () => {
    const result = stripMarkedFacade(original, parse);
    assert.ok('code' in result, `refused: ${'refused' in result ? result.refused : ''}`);
    assert.equal(result.code.split('\n').length, original.split('\n').length, 'lines are kept for the source map');
    // Nothing instantiates the Marked class any more, so the bundler drops it and all it alone uses.
    const markedClass = /([\w$]+) as Marked\b/.exec(original)?.[1];
    assert.ok(markedClass && original.includes(`new ${markedClass}`));
    assert.ok(!result.code.includes(`new ${markedClass}`));
    const file = join(dir, 'marked-core.mjs');
    writeFileSync(file, result.code);
    const core = (await import(pathToFileURL(file).href)) as typeof import('marked');
    const full = (await import(pathToFileURL(markedFile).href)) as typeof import('marked');
    for (const name of ['Lexer', 'Parser', 'Renderer', 'Tokenizer', 'getDefaults'] as const) assert.equal(typeof core[name], 'function', name);
    // The Marked class itself stays exported (a class declaration has no effect; Rollup drops it unused).
    for (const name of ['marked', 'use', 'parse', 'setOptions', 'lexer']) assert.ok(!(name in core), `${name} is still exported`);
    for (const text of SAMPLE) {
      const render = (m: typeof core) => new m.Parser(m.getDefaults()).parse(new m.Lexer(m.getDefaults()).lex(text));
      assert.equal(render(core), render(full));
    }
  });

  const facade = (tail: string, head = '') =>
    `class M{use(){}}function G(){return{}}${head}var v=new M;function x(a){return v.use(a)}x.defaults=G;${tail}export{M as Marked,G as getDefaults,x as marked};`;

  it('drops a plain facade', () => {
    const result = stripMarkedFacade(facade(''), parse);
    assert.ok('code' in result);
    assert.match(result.code, /export\{M as Marked,G as getDefaults\};/);
    assert.doesNotMatch(result.code, /new M|x\.defaults/);
  });

  it('refuses a facade with an effect, or whose names the rest of the module mentions', () => {
    assert.deepEqual(stripMarkedFacade(facade('console.log(x);'), parse), { refused: 'an unexpected statement in the facade: console.log(x);' });
    assert.deepEqual(stripMarkedFacade(facade('var w=G();'), parse), { refused: "`w`'s value may have effects" });
    assert.deepEqual(stripMarkedFacade(facade('', 'function y(){return x}'), parse), { refused: 'the rest of the module mentions `x`' });
    assert.deepEqual(stripMarkedFacade('export{};', parse), { refused: 'no Marked export' });
  });
});
