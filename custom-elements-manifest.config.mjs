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
  ],
};
