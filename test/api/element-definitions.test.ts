// Every element in custom-elements.json is registered where the analyzer can see it: a module
// exports a `custom-element-definition` for its tag. Editors, Storybook and the React wrapper map
// tags to classes through these; a registration hidden behind a helper function drops them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Manifest {
  modules: { path: string; declarations?: { name: string; tagName?: string; customElement?: boolean }[]; exports?: { kind: string; name: string }[] }[];
}

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as Manifest;

describe('custom element definitions in the manifest', () => {
  it('each declared element has its custom-element-definition', () => {
    const tags = manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.customElement && d.tagName).map((d) => d.tagName!));
    const defined = new Set(manifest.modules.flatMap((m) => (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => e.name)));
    assert.ok(tags.length >= 10, `only ${tags.length} elements declared`);
    assert.deepEqual(
      tags.filter((tag) => !defined.has(tag)),
      [],
      'register these with customElements.define(tag, Class) in their module',
    );
  });
});
