// `npm run analyze` → custom-elements.json (committed; CI fails when it is stale).
// Modules are sorted by path: the analyzer lists them in the file system's directory order, which
// differs between checkouts and would make the committed manifest look stale on a fresh clone.
export default {
  globs: ['src/index.ts', 'src/widget/**/*.ts'],
  exclude: ['src/widget/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      // src/widget/define.ts registers the elements in a loop, which the analyzer reads as one
      // definition of a tag named "tag": list one definition per element instead, from each class's
      // `tagName`, so tools can find which module registers which tag.
      name: 'definitions-from-define',
      packageLinkPhase({ customElementsManifest }) {
        const define = customElementsManifest.modules.find((mod) => mod.path === 'src/widget/define.ts');
        if (!define) return;
        define.exports = customElementsManifest.modules
          .flatMap((mod) =>
            (mod.declarations ?? [])
              .filter((decl) => decl.customElement && decl.tagName)
              .map((decl) => ({ kind: 'custom-element-definition', name: decl.tagName, declaration: { name: decl.name, module: mod.path } })),
          )
          .sort((a, b) => (a.name < b.name ? -1 : 1)); // by tag: module order differs between checkouts
      },
    },
    {
      // Only what the package exports (src/index.ts) and the elements themselves: internal helpers
      // (the Markdown renderer's functions, storage details…) would read as public API.
      name: 'public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        const index = customElementsManifest.modules.find((mod) => mod.path === 'src/index.ts');
        if (!index) throw new Error('custom-elements manifest: src/index.ts was not analysed');
        const wholeModules = new Set();
        const names = new Set();
        for (const exp of index.exports ?? []) {
          // Re-exports name their module as written ('./widget/x.js', or 'src/widget/x.js' for
          // `export *`): point them at the analysed source path like every other reference.
          const from = exp.declaration?.module ?? '';
          const path = from.replace(/^\.\//, 'src/').replace(/\.js$/, '.ts');
          if (exp.declaration?.module) exp.declaration.module = path;
          if (exp.name === '*') wholeModules.add(path);
          else names.add(`${path}#${exp.declaration.name}`);
        }
        customElementsManifest.modules = customElementsManifest.modules.filter((mod) => {
          if (mod.path === 'src/index.ts' || mod.path === 'src/widget/define.ts') return true;
          const keep = (name) => wholeModules.has(mod.path) || names.has(`${mod.path}#${name}`);
          mod.declarations = (mod.declarations ?? []).filter((decl) => decl.customElement || keep(decl.name));
          // Private members are not API either (and their comments would make every refactor a
          // manifest change).
          for (const decl of mod.declarations) {
            if (decl.members) decl.members = decl.members.filter((member) => member.privacy !== 'private' && !member.name?.startsWith('#'));
          }
          mod.exports = (mod.exports ?? []).filter((exp) => exp.kind === 'custom-element-definition' || keep(exp.name));
          return mod.declarations.length > 0;
        });
      },
    },
    {
      name: 'sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
    {
      // The event classes extend `icEvent<Detail>()('ic-…')` (src/widget/events.ts), which the
      // analyzer reads as a mixin with the event's name for a superclass: they are CustomEvents.
      name: 'event-classes-are-custom-events',
      packageLinkPhase({ customElementsManifest }) {
        const events = customElementsManifest.modules.find((mod) => mod.path === 'src/widget/events.ts');
        for (const decl of events?.declarations ?? []) {
          if (decl.kind !== 'class' || !decl.mixins?.some((mixin) => mixin.name.startsWith('icEvent<'))) continue;
          delete decl.mixins;
          decl.superclass = { name: 'CustomEvent', module: 'src/widget/events.ts' };
        }
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
