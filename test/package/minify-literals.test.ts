// scripts/vite-minify-literals.ts: what the browser builds do to the widget's tagged templates.
// html``/svg`` lose only the indentation around newlines, css`` is minified, any other template
// literal is left alone, and the source map still points every token after a literal at its place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAst } from 'rollup/parseAst';
import { SourceMapConsumer } from 'source-map-js';
import { applyEdits, literalEdits, minifyCss, minifyHtml } from '../../scripts/vite-minify-literals.ts';

const parse = (code: string): unknown => parseAst(code);

const MODULE = [
  'const a = html`',
  '  <p class="x">',
  '    ${value}',
  '  </p>`;',
  'const b = svg`<g>\n    <path d="M0 0"/>\n  </g>`;',
  'const c = css`',
  '  :host {',
  '    color: ${red}; /* why */',
  '    margin: 0 auto;',
  '  }`; const after = 1;',
  'const d = `',
  '  keep   me`;',
  'const e = other`\n   untouched`;',
  'export { a, b, c, d, e, after };',
].join('\n');

function minify(code: string) {
  const edits = literalEdits(code, parse);
  assert.ok(edits);
  return applyEdits(code, edits, 'module.js');
}

describe('tagged template minification', () => {
  it('html``: a whitespace run holding a newline becomes one newline; other spaces stay', () => {
    assert.equal(minifyHtml('\n      <div\n        class="a b">  <b>x</b> \n\n   <i>y</i>\n    '), '\n<div\nclass="a b">  <b>x</b>\n<i>y</i>\n');
    assert.equal(minifyHtml('<p>one two</p>'), '<p>one two</p>');
  });

  it('css``: comments and whitespace go where CSS never needs them, the rest stays', () => {
    assert.equal(minifyCss('\n  a > b {\n    margin: calc(1px + 2px) ; /* c */\n    content: "x  y";\n  }\n'), 'a > b{margin:calc(1px + 2px);content:"x  y"}');
    assert.equal(minifyCss('a { /* unclosed'), null);
  });

  it('rewrites html``, svg`` and css`` in place, keeping interpolations, and nothing else', () => {
    const { code } = minify(MODULE);
    assert.match(code, /html`\n<p class="x">\n\$\{value\}\n<\/p>`/);
    assert.match(code, /svg`<g>\n<path d="M0 0"\/>\n<\/g>`/);
    assert.match(code, /css`:host\{color:\$\{red\};margin:0 auto\}`; const after = 1;/);
    assert.match(code, /const d = `\n {2}keep {3}me`/);
    assert.match(code, /other`\n {3}untouched`/);
  });

  it('maps every token outside the literals back to where it was written', () => {
    const { code, map } = minify(MODULE);
    const consumer = new SourceMapConsumer({ ...map, file: 'module.js' });
    for (const token of ['const after', 'red', 'value', 'const d', 'export {', 'untouched']) {
      const at = (text: string) => {
        const index = text.indexOf(token);
        const before = text.slice(0, index).split('\n');
        return { line: before.length, column: before.at(-1)!.length };
      };
      const original = consumer.originalPositionFor(at(code));
      assert.deepEqual({ line: original.line, column: original.column }, at(MODULE), token);
    }
  });

  it('leaves a module without those literals as it is', () => {
    assert.equal(literalEdits('const x = `\n  a`;', parse), null);
  });
});
