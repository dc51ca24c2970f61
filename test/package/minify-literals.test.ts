// scripts/vite-minify-literals.ts: what the browser builds do to the widget's tagged templates.
// Lines are kept (the source maps rely on it), html``/svg`` lose only the indentation around
// newlines, css`` is minified, and any other template literal is left alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAst } from 'rollup/parseAst';
import { minifyCssLiterals, minifyHtml } from '../../scripts/vite-minify-literals.ts';

const parse = (code: string): unknown => parseAst(code);

describe('tagged template minification', () => {
  it('html``: a whitespace run holding newlines becomes its newlines; other spaces stay', () => {
    assert.equal(minifyHtml('\n      <div\n        class="a b">  <b>x</b> \n\n   <i>y</i>\n    '), '\n<div\nclass="a b">  <b>x</b>\n\n<i>y</i>\n');
    assert.equal(minifyHtml('<p>one two</p>'), '<p>one two</p>');
  });

  it('rewrites html``, svg`` and css`` in place, keeping lines and interpolations, and nothing else', () => {
    const code = [
      'const a = html`',
      '  <p class="x">',
      '    ${value}',
      '  </p>`;',
      'const b = svg`<g>\n    <path d="M0 0"/>\n  </g>`;',
      'const c = css`',
      '  :host {',
      '    color: ${red}; /* why */',
      '  }`;',
      'const d = `',
      '  keep   me`;',
      'const e = other`\n   untouched`;',
    ].join('\n');
    const out = minifyCssLiterals(code, parse);
    assert.ok(out);
    assert.equal(out.split('\n').length, code.split('\n').length);
    assert.match(out, /html`\n<p class="x">\n\$\{value\}\n<\/p>`/);
    assert.match(out, /svg`<g>\n<path d="M0 0"\/>\n<\/g>`/);
    assert.match(out, /css`\n:host\{\ncolor:\$\{red\}\n\}`/);
    assert.match(out, /const d = `\n {2}keep {3}me`/);
    assert.match(out, /other`\n {3}untouched`/);
  });

  it('leaves a module without those literals as it is', () => {
    assert.equal(minifyCssLiterals('const x = `\n  a`;', parse), null);
  });
});
