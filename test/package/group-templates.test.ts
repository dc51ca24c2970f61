// scripts/vite-group-templates.ts moves the text of every tagged template in a chunk to a table at
// its top and calls each tag with its site's entry. The rewritten chunk must behave the same: the
// same strings (cooked and raw) and values reach each tag, with the same `this`, in the same order;
// a site's strings array is one object, the same on every evaluation and different from any other
// site's; a tag under `new` is left alone; and the source map leads each moved text back to its site.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAst } from 'rollup/parseAst';
import { SourceMapConsumer } from 'source-map-js';
import { groupTemplates } from '../../scripts/vite-group-templates.ts';

const parse = (code: string): unknown => parseAst(code);

const CHUNK = `
const calls = [];
const tag = (strings, ...values) => { calls.push({ strings, raw: strings.raw, values }); return strings; };
const obj = { name: 'obj', tag(strings, ...values) { calls.push({ self: this.name, strings: [...strings], values }); return this; } };
// new New(x) with a template is new (New(template)): the tag returns the class constructed.
function New(strings) { return class { constructor() { this.strings = strings; } }; }
const order = [];
const at = (label) => (order.push(label), label);
function render(x) {
  return [
    tag\`<p class="a">\${x}</p>\`,
    tag\`:host{color:\${x}}\`,
    obj.tag\`a\${at('one')}b\${at('two')}c\`,
    tag\`outer \${tag\`<b>inner \${x}</b>\`} end\`,
    tag\`plain\`,
    tag\`escapes \\\` \\\${x} \\u0041 \\n\`,
    String.raw\`raw \\unicode \${x}\`,
    new New\`constructed\`,
  ];
}
export const first = render(1);
export const second = render(2);
export { calls, order };
`;

async function run(code: string): Promise<Record<string, unknown>> {
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>;
}

describe('tagged templates grouped at the top of a chunk (scripts/vite-group-templates.ts)', () => {
  it('behaves as the original chunk', async () => {
    const result = groupTemplates(CHUNK, parse);
    assert.ok(result);
    // The texts moved: the first line is the table, markup first.
    const [table, ...rest] = result.code.split('\n');
    assert.match(table!, /^const __icTag=\(s\)=>s,__icTemplates=\[__icTag`<p class="a">\$\{0\}<\/p>`,__icTag`<b>inner \$\{0\}<\/b>`,/);
    assert.doesNotMatch(rest.join('\n'), /class="a"|:host\{/);
    assert.match(result.code, /new New`constructed`/);

    const original = await run(CHUNK);
    const grouped = await run(result.code);
    const shape = (calls: unknown) => JSON.stringify(calls);
    assert.equal(shape(grouped['calls']), shape(original['calls']));
    assert.deepEqual(grouped['order'], original['order']);
    assert.deepEqual(grouped['order'], ['one', 'two', 'one', 'two']);
    const first = grouped['first'] as unknown[];
    const second = grouped['second'] as unknown[];
    assert.equal(second[6], 'raw \\unicode 2');
    assert.equal((first[7] as { strings: string[] }).strings[0], 'constructed');
    // One frozen strings array per site, the same on every evaluation, with its raw strings.
    for (const k of [0, 1, 4, 5]) {
      assert.equal(first[k], second[k], `site ${k} keeps its identity`);
      assert.ok(Object.isFrozen(first[k]) && Array.isArray((first[k] as { raw?: unknown }).raw));
    }
    assert.notEqual(first[0], first[1]);
    const calls = grouped['calls'] as { strings: TemplateStringsArray }[];
    assert.equal(calls[6]!.strings[0], 'escapes ` ${x} A \n');
    assert.equal(calls[6]!.strings.raw[0], 'escapes \\` \\${x} \\u0041 \\n');
  });

  it('maps each moved text back to its site', () => {
    const result = groupTemplates(CHUNK, parse);
    assert.ok(result);
    const map = new SourceMapConsumer({ ...result.map, version: '3', file: 'chunk.js' } as never);
    for (const needle of [':host{color:', 'inner ', 'class="a"', 'calls.push']) {
      const at = result.code.indexOf(needle);
      const line = result.code.slice(0, at).split('\n').length;
      const column = at - result.code.lastIndexOf('\n', at - 1) - 1;
      const original = map.originalPositionFor({ line, column });
      const want = CHUNK.indexOf(needle);
      assert.equal(original.line, CHUNK.slice(0, want).split('\n').length, needle);
      assert.equal(original.column, want - CHUNK.lastIndexOf('\n', want - 1) - 1, needle);
    }
  });

  it('leaves a chunk without tagged templates alone', () => {
    assert.equal(groupTemplates('export const a = `x${1}`;', parse), null);
  });
});
