// scripts/vite-marked-options.ts bakes the widget's marked options into marked for the browser
// builds. On the installed marked (after the facade is dropped, as the build does) it must apply (a
// marked update that changes the shape fails here rather than quietly growing the bundle), keep
// positions, remove the unused rule sets, and render every sample exactly as marked does with those
// options; the options it bakes must be the ones src/widget/markdown/render-blocks.ts passes, the one
// module that gives marked options.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parseAst } from 'rollup/parseAst';
import { stripMarkedFacade } from '../../scripts/vite-marked-core.ts';
import { MARKED_FLAGS, specialiseMarked } from '../../scripts/vite-marked-options.ts';

const root = join(import.meta.dirname, '..', '..');
const markedFile = createRequire(import.meta.url).resolve('marked');
const parse = (code: string): unknown => parseAst(code);
const dir = mkdtempSync(join(tmpdir(), 'ic-marked-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Each construct where GFM, `breaks` or `pedantic` change the output, and the common ones.
const SAMPLES = [
  '# Title\n\nSome *em*, **strong**, ***both***, `code`, ~~del~~, ~single~ and a [link](https://example.com "t").',
  '#NoSpace\n\nSetext\n===\n\nline one\nline two  \nhard break\\\nand\nsoft',
  '- one\n- two\n  1. nested\n  2) paren\n\n* star\n+ plus\n\n- [ ] task\n- [x] done',
  '> quote\n> > nested\n\n```js\nlet x = 1;\n```\n\n~~~\ntilde\n~~~\n\n    indented code',
  '| a | b |\n|---|:-:|\n| 1 | 2 |\n| x \\| y | `|` |\n\nno | table\n-- | --',
  '<b>html</b> <span class="x">inline</span>\n\n<div>\nblock\n</div>\n\n<!-- c -->',
  'https://auto.example www.example.com user@example.com <https://angle.example> http://x.y/a_(b)',
  '[ref] and [text][ref] and ![img](/a.png "t")\n\n[ref]: https://example.com "T"\n\n[broken][nope]',
  '*a **b** c* _d __e__ f_ snake_case_word **unclosed *nest\n\n*   spaced   *',
  '1. a\n\n   para in item\n\n2. b\n10. ten\n\n---\n___\n* * *',
  'Footnote-like [^1] and HTML entity &amp; &copy; &#169; &#xA9; < > "quotes"\n\n[^1]: not a footnote',
  'Line\twith\ttabs\n\n\tcode with tab\n\n  - two-space list\n      - deeper',
];

async function load(code: string, name: string): Promise<typeof import('marked')> {
  const file = join(dir, name);
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)) as typeof import('marked');
}

describe("marked with the widget's options baked in (scripts/vite-marked-options.ts)", () => {
  it('applies to the installed marked and renders the same', async () => {
    const core = stripMarkedFacade(readFileSync(markedFile, 'utf8'), parse);
    assert.ok('code' in core);
    const result = specialiseMarked(core.code, parse);
    assert.ok('code' in result, `refused: ${'refused' in result ? result.refused : ''}`);
    assert.equal(result.code.length, core.code.length, 'positions are kept for the source map');
    assert.doesNotMatch(result.code, new RegExp(`\\.options\\.(${Object.keys(MARKED_FLAGS).join('|')})\\b`));
    assert.doesNotMatch(result.code, /pedantic:[A-Za-z_$]/, 'the pedantic rule sets are gone');
    const baked = await load(result.code, 'baked.mjs');
    const full = await load(readFileSync(markedFile, 'utf8'), 'full.mjs');
    for (const text of SAMPLES) {
      const render = (m: typeof full) => {
        const options = { ...m.getDefaults(), ...MARKED_FLAGS };
        return new m.Parser(options).parse(new m.Lexer(options).lex(text));
      };
      assert.equal(render(baked), render(full), text);
    }
  });

  it('bakes the options render-blocks.ts passes, the only module giving marked options', async () => {
    const source = readFileSync(join(root, 'src/widget/markdown/render-blocks.ts'), 'utf8');
    const options = /const OPTIONS: MarkedOptions = \{([\s\S]*?)\n\};/.exec(source)?.[1];
    assert.ok(options, 'OPTIONS in render-blocks.ts');
    assert.match(options, /^\s*\.\.\.getDefaults\(\),/, "OPTIONS starts from marked's defaults");
    const defaults = (await import('marked')).getDefaults() as unknown as Record<string, unknown>;
    for (const [flag, value] of Object.entries(MARKED_FLAGS)) {
      // Set in OPTIONS to that value, or left to marked's default, which is that value.
      if (new RegExp(`\\b${flag}:`).test(options)) assert.match(options, new RegExp(`\\b${flag}: ${value},`), flag);
      else assert.equal(defaults[flag], value, flag);
    }
    const users: string[] = [];
    const visit = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (/\.ts$/.test(entry.name) && /^import (?!type )[^;]*from 'marked'/m.test(readFileSync(path, 'utf8'))) users.push(relative(root, path));
      }
    };
    visit(join(root, 'src'));
    assert.deepEqual(users, [join('src', 'widget', 'markdown', 'render-blocks.ts')]);
  });

  it('refuses a module where an option is written or the rule sets differ', () => {
    const sets = 'var a=1,b={normal:a,gfm:a,pedantic:a},c={normal:a,gfm:a,breaks:a,pedantic:a};';
    assert.ok('code' in specialiseMarked(`${sets}function f(o){return o.options.gfm}`, parse));
    assert.deepEqual(specialiseMarked(`${sets}function f(o){o.options.gfm=!1}`, parse), { refused: 'an option is written: o.options.gfm' });
    assert.deepEqual(specialiseMarked('var b={normal:1};function f(o){return o.options.gfm}', parse), { refused: '0 rule-set tables, not 2' });
    assert.deepEqual(specialiseMarked(sets, parse), { refused: 'no read of marked’s options' });
  });
});
