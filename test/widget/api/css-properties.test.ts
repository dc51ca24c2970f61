// The `--ic-*` custom properties agree with their docs: every one the elements' styles read is
// documented with `@cssprop` on `<ic-support-chat>` (the element pages theme), every documented one
// is read, and an element's own `@cssprop` list names only properties its styles read. An older
// name kept as an alias (`var(--ic-new, var(--ic-old, …))`) is not documented on its own.
import { expect } from '@open-wc/testing';
import '../../../src/widget/define.js';
import { whenAttachmentUiReady, whenToolUiReady } from '../../../src/widget/lazy-parts.js';

// Every element, the on-demand ones (lazy-parts.ts) included, must be defined to have its styles read.
before(() => Promise.all([whenToolUiReady(), whenAttachmentUiReady()]));

interface ManifestElement {
  tagName?: string;
  customElement?: boolean;
  cssProperties?: { name: string }[];
}

async function documented(): Promise<Map<string, Set<string>>> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as { modules: { declarations?: ManifestElement[] }[] };
  const byTag = new Map<string, Set<string>>();
  for (const decl of manifest.modules.flatMap((m) => m.declarations ?? [])) {
    if (decl.customElement && decl.tagName) byTag.set(decl.tagName, new Set((decl.cssProperties ?? []).map((p) => p.name)));
  }
  return byTag;
}

/** All the CSS an element's shadow root uses (adopted sheets and `<style>` elements). */
async function shadowCss(tag: string): Promise<string> {
  const element = document.createElement(tag);
  document.body.append(element);
  try {
    await (element as Partial<{ updateComplete: Promise<unknown> }>).updateComplete;
    const root = element.shadowRoot;
    if (!root) return '';
    const sheets = root.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText));
    const styles = [...root.querySelectorAll('style')].map((style) => style.textContent ?? '');
    return [...sheets, ...styles].join('\n');
  } finally {
    element.remove();
  }
}

const namesIn = (css: string): Set<string> => new Set([...css.matchAll(/var\(\s*(--ic-[a-z0-9-]+)/g)].map((m) => m[1]!));
/** `var(--ic-new, var(--ic-old, …))`: `--ic-old` is an alias of `--ic-new`. */
const aliasesIn = (css: string): Set<string> => new Set([...css.matchAll(/var\(\s*--ic-[a-z0-9-]+\s*,\s*var\(\s*(--ic-[a-z0-9-]+)/g)].map((m) => m[1]!));

describe('CSS custom properties and their docs', () => {
  it('every --ic-* property read is documented on ic-support-chat, and every documented one is read', async () => {
    const docs = await documented();
    const used = new Set<string>();
    const aliases = new Set<string>();
    for (const tag of docs.keys()) {
      const css = await shadowCss(tag);
      for (const name of namesIn(css)) used.add(name);
      for (const name of aliasesIn(css)) aliases.add(name);
    }
    const chatDocs = docs.get('ic-support-chat')!;
    const undocumented = [...used].filter((name) => !aliases.has(name) && !chatDocs.has(name)).sort();
    expect(undocumented, 'read by the styles but not documented on ic-support-chat').to.deep.equal([]);
    const unused = [...chatDocs].filter((name) => !used.has(name)).sort();
    expect(unused, 'documented on ic-support-chat but read by no style').to.deep.equal([]);
  });

  it('each element documents only properties its own styles read, and no alias in place of its name', async () => {
    const docs = await documented();
    for (const [tag, names] of docs) {
      if (tag === 'ic-support-chat') continue;
      const css = await shadowCss(tag);
      const used = namesIn(css);
      const aliases = aliasesIn(css);
      expect(
        [...names].filter((name) => !used.has(name)),
        `${tag}: documented but not read`,
      ).to.deep.equal([]);
      expect(
        [...names].filter((name) => aliases.has(name)),
        `${tag}: documents an alias`,
      ).to.deep.equal([]);
    }
  });
});
