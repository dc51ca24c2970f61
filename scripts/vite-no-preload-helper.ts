// Vite wraps every dynamic `import()` of a browser build in its `__vitePreload` helper, which adds
// `<link rel=modulepreload>` tags for the imported chunk's dependencies. Module preloading is off in
// vite.config.ts (each on-demand chunk is fetched when needed, and the lazy entry's panel chunk
// imports only the entry), so the helper only ever calls the import, yet it still ships: ~0.4 KB gzip
// in the launcher's first load, which has a 5 KB budget, and as much in the standalone bundle.
// This plugin answers Vite's request for the helper module with one that just calls the import.
import type { Plugin } from 'vite';

const PRELOAD_HELPER_ID = '\0vite/preload-helper.js';

export function noPreloadHelper(): Plugin {
  return {
    name: 'ic-no-preload-helper',
    enforce: 'pre',
    load(id) {
      return id === PRELOAD_HELPER_ID ? 'export const __vitePreload = (load) => load();' : null;
    },
  };
}
