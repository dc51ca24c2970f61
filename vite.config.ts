// Three builds from one config (select with `--mode`):
//  - `lib` (default): every public entry point to dist/, one file per source module, dependencies left
//    as imports so the user's bundler dedupes Lit and friends. Types come from `tsc` (scripts/build.mjs).
//  - `standalone`: dist/ic-support-chat.min.js, one ESM file (Lit and marked inlined) for a
//    plain `<script type="module">` on any page, plus on-demand chunks (other languages, the AI SDK
//    transport) in dist/chunks/.
//  - `lazy`: dist/ic-support-chat.lazy.js, the launcher first (≤ 5 KB gzip), the panel on first open.
import { builtinModules } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { ensureLocales } from './scripts/locales.mjs';
import { featureChunks } from './scripts/vite-feature-chunk.ts';
import { groupedTemplates } from './scripts/vite-group-templates.ts';
import { librariesFirst } from './scripts/vite-libraries-first.ts';
import { markedCore } from './scripts/vite-marked-core.ts';
import { markedOptions } from './scripts/vite-marked-options.ts';
import { minifyLiterals } from './scripts/vite-minify-literals.ts';
import { sharedDecorateClass } from './scripts/vite-shared-decorate.ts';

const libEntries: Record<string, string> = {
  index: 'src/index.ts',
  'protocol/index': 'src/protocol/index.ts',
  'backends/core/index': 'src/backends/core/index.ts',
  'backends/local/index': 'src/backends/local/index.ts',
  'backends/ingram/index': 'src/backends/ingram/index.ts',
  'backends/ingram/emulator/index': 'src/backends/ingram/emulator/index.ts',
  'backends/ai-sdk/index': 'src/backends/ai-sdk/index.ts',
  'backends/testing/index': 'src/backends/testing/index.ts',
  'cli/ic-support-chat': 'src/cli/ic-support-chat.ts',
  'node/index': 'src/node/index.ts',
  'stores/redis/index': 'src/stores/redis/index.ts',
  'react/index': 'src/react/index.ts',
  // Type-only entries (JSX typings): empty modules, so `import type {} from '…'` resolves everywhere.
  'jsx/react': 'src/jsx/react.ts',
  'jsx/global': 'src/jsx/global.ts',
};

const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys((pkg as { optionalDependencies?: Record<string, string> }).optionalDependencies ?? {}),
  ...Object.keys((pkg as { peerDependencies?: Record<string, string> }).peerDependencies ?? {}),
  ...builtinModules,
].map((name) => new RegExp(`^${name.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&')}(/.*)?$`));
external.push(/^node:/);

/**
 * The minifier drops the libraries' own licence comments; one line keeps the notices they require.
 * Added after minification (Rollup's `output.banner` is minified away), shifting the source map by
 * that one line. A chunk without any of their code (the feature chunk, a language) names ours alone.
 */
function licenseBanner(): Plugin {
  const ours = `/*! ic-support-chat ${pkg.version} | MIT`;
  const libraries = `${ours} | includes Lit (BSD-3-Clause), marked (MIT) */`;
  return {
    name: 'ic-license-banner',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const banner = chunk.moduleIds.some((id) => /[/\\]node_modules[/\\]/.test(id)) ? libraries : `${ours} */`;
        chunk.code = `${banner}\n${chunk.code}`;
        if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`;
      }
    },
  };
}

/**
 * Vite wraps each dynamic `import()` of an app build in a preloader (link rel=modulepreload for the
 * chunk's own imports, CSS loading, a `vite:preloadError` event on window). Our chunks have no
 * preloadable imports and no CSS (modulePreload is off), so only its cost remained: the plain
 * `import()` it ends up making is all a language table, the AI SDK transport or the panel needs.
 */
function plainDynamicImports(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'ic-plain-dynamic-imports',
    enforce: 'pre',
    apply: 'build',
    load(id) {
      return id === helper ? { code: 'export const __vitePreload = (load) => load();', moduleSideEffects: false } : null;
    },
  };
}

/**
 * A browser-ready build of one entry: minified, chunks beside it in dist/chunks/ resolved relative to
 * the entry's URL (so the folder can be served from anywhere). Built as an app bundle rather than in
 * library mode: Vite keeps whitespace in ES library builds (for downstream tree-shaking), which a file
 * loaded straight by a browser does not need.
 */
function browserBuild(name: string, entry: string, entryFileNames: string, preserveEntrySignatures: 'exports-only' | 'allow-extension') {
  return {
    plugins: [plainDynamicImports(), librariesFirst(), minifyLiterals(), sharedDecorateClass(), markedCore(), markedOptions(), groupedTemplates(), licenseBanner()],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      // Terser rather than esbuild: two compress passes and top-level mangling in a module save about
      // 3% gzip on the standalone bundle (bench: bundle section), for a few seconds more build time.
      // Measured and left out: passes: 3, pure_getters, unsafe, unsafe_arrows, keep_fargs: false,
      // wrap_func_args (under 80 B each, each an assumption about the code). Property mangling has
      // nothing of ours left to take: private members are `#names`, which terser already shortens,
      // and the remaining long names are Lit's, the DOM's, public API or wire-protocol fields.
      minify: 'terser' as const,
      terserOptions: { module: true, compress: { passes: 2 }, format: { comments: /^!/ } },
      modulePreload: false as const,
      rollupOptions: {
        input: { [name]: entry },
        preserveEntrySignatures,
        output: {
          format: 'es' as const,
          entryFileNames,
          chunkFileNames: 'chunks/[name]-[hash].js',
          manualChunks: featureChunks(),
          onlyExplicitManualChunks: true,
        },
      },
    },
  };
}

export default defineConfig(async ({ mode }) => {
  // The language registry is generated from src/widget/i18n/locales/ (scripts/locales.mjs): written
  // here too, so `npx vite build` and Storybook (which loads this config) never see it missing or stale.
  await ensureLocales();
  // dist/ic-support-chat.lazy.js: the launcher alone (a few KB), which imports the panel chunk on
  // first open or hover.
  if (mode === 'lazy') return browserBuild('ic-support-chat.lazy', 'src/lazy.ts', '[name].js', 'allow-extension');
  // dist/ic-support-chat.min.js: everything for English and protocol v1 in one file; what is only
  // sometimes needed (other languages' strings, the AI SDK transport) is split into dist/chunks/.
  // 'allow-extension' because those chunks import shared code from the main file itself; with
  // 'exports-only' Rollup would move all of it into a second file.
  if (mode === 'standalone') return browserBuild('ic-support-chat', 'src/standalone.ts', '[name].min.js', 'allow-extension');
  return {
    plugins: [minifyLiterals()],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      minify: false,
      lib: { entry: libEntries, formats: ['es'] },
      rollupOptions: {
        external,
        output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
      },
    },
  };
});
