// `npm run analyze` → custom-elements.json (committed; CI fails when it is stale).
// Modules are sorted by path: the analyzer lists them in the file system's directory order, which
// differs between checkouts and would make the committed manifest look stale on a fresh clone.
export default {
  globs: ['src/widget/**/*.ts'],
  exclude: ['src/widget/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
    {
      // `this.dispatchEvent(new IcOpenEvent(…))` yields an event with a type but no name beside the
      // documented `@fires {IcOpenEvent} ic-open`: keep the documented one only.
      name: 'drop-unnamed-events',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((event) => event.name);
          }
        }
      },
    },
    {
      // Attributes read in getters (`observedAttributes`, no Lit) get the getter's description.
      name: 'attribute-descriptions-from-members',
      packageLinkPhase({ customElementsManifest }) {
        const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            for (const attr of decl.attributes ?? []) {
              if (attr.description) continue;
              const member = decl.members?.find((m) => m.name === (attr.fieldName ?? camel(attr.name)) && m.description);
              if (member) {
                attr.description = member.description;
                attr.fieldName ??= member.name;
                if (!attr.type && member.type) attr.type = member.type;
              }
            }
          }
        }
      },
    },
  ],
};
