// Every CSS part an element exposes is documented with `@csspart`, and every documented part is
// exposed: its own `part="…"` attributes (in its module and in the template functions it imports)
// plus the parts it passes up with `exportparts`, which are made from the lists in
// src/widget/parts.ts. Read from the sources and the committed custom-elements.json.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import * as partLists from '../../src/widget/parts.js';

interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  cssParts?: { name: string }[];
}
const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as { modules: { path: string; declarations?: Declaration[] }[] };
const elements = manifest.modules.flatMap((mod) =>
  (mod.declarations ?? []).filter((d) => d.customElement && d.tagName).map((d) => ({ tag: d.tagName!, path: mod.path, documented: (d.cssParts ?? []).map((p) => p.name) })),
);
const elementModules = new Set(elements.map((e) => e.path));

/** `part="a b"` in templates, `setAttribute('part', 'a')` and `h('span', { part: 'a' })` in plain DOM code. */
function ownParts(source: string): string[] {
  const names = [
    ...[...source.matchAll(/(?<![\w-])part="([^"$]+)"/g)].flatMap((m) => m[1]!.split(/\s+/)),
    ...[...source.matchAll(/setAttribute\('part', '([^']+)'\)/g)].flatMap((m) => m[1]!.split(/\s+/)),
    ...[...source.matchAll(/[{,]\s*part: '([^']+)'/g)].flatMap((m) => m[1]!.split(/\s+/)),
  ];
  return names.filter(Boolean);
}

/** The outer names of `exportparts=${list}` (and `setAttribute('exportparts', list)`) with a list from parts.ts. */
function exportedParts(source: string): string[] {
  const lists = [...source.matchAll(/exportparts=\$\{(\w+)\}|setAttribute\('exportparts', (\w+)\)/g)].map((m) => (m[1] ?? m[2])!);
  assert.ok(!/exportparts="/.test(source), 'exportparts written by hand: use a list from src/widget/parts.ts');
  return lists.flatMap((name) => {
    const list = (partLists as Record<string, unknown>)[name];
    assert.equal(typeof list, 'string', `exportparts=\${${name}}: no such list in src/widget/parts.ts`);
    return partLists.exportedNames(list as string);
  });
}

/** `export function name` … up to the next top-level export: the source of one template helper. */
function exportedFunction(source: string, name: string): string {
  const start = source.search(new RegExp(`export function ${name}\\b`));
  if (start < 0) return '';
  const next = source.indexOf('\nexport ', start + 1);
  return source.slice(start, next < 0 ? undefined : next);
}

/** The element module's source plus the template functions it imports from helper modules (not elements, not styles). */
function templateSources(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  const out = [source];
  for (const m of source.matchAll(/^import \{([^}]+)\} from '(\.[^']+)\.js';$/gm)) {
    const target = normalize(join(dirname(path), `${m[2]}.ts`));
    if (!existsSync(target) || elementModules.has(target) || target.endsWith('.styles.ts')) continue;
    const helper = readFileSync(target, 'utf8');
    for (const name of m[1]!
      .split(',')
      .map((n) => n.replace(/^type\s+/, '').trim())
      .filter(Boolean))
      out.push(exportedFunction(helper, name));
  }
  return out;
}

describe('CSS parts and their docs', () => {
  it('the manifest lists the elements', () => {
    assert.ok(elements.length >= 8, `only ${elements.length} elements in custom-elements.json`);
  });

  for (const element of elements) {
    it(`<${element.tag}> documents exactly the parts it exposes`, () => {
      const sources = templateSources(element.path);
      const exposed = new Set(sources.flatMap((s) => [...ownParts(s), ...exportedParts(s)]));
      const documented = new Set(element.documented);
      const undocumented = [...exposed].filter((name) => !documented.has(name)).sort();
      const missing = [...documented].filter((name) => !exposed.has(name)).sort();
      assert.deepEqual(undocumented, [], `${element.tag}: exposed but not documented with @csspart`);
      assert.deepEqual(missing, [], `${element.tag}: documented with @csspart but not exposed`);
    });
  }
});
