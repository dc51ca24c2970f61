// One on-demand chunk for the features, instead of one per dynamic import.
//
// The widget loads the parts only some conversations show with `import()` (src/widget/lazy-parts.ts,
// the header menu, reply tools, run resumption, …), and prefetches them all when the browser is idle
// after the chat first renders. Rollup makes a chunk of each, and each is gzipped on its own: a dozen
// small files, each without the compression context of the others, cost about 4.5 KB gzip more than
// the same code in one file (bench: bundle). This `manualChunks` puts every module that only those
// imports reach into one `features` chunk. Modules the entry (or an option, or the lazy entry's
// panel) reaches statically stay where Rollup puts them; with `onlyExplicitManualChunks` their
// dependencies are not pulled into the features chunk either.
//
// Options (scripts/chunk-roles.mjs: another language's strings, the AI SDK transport) keep their own
// chunks: most pages never load them.
import type { GetManualChunk, ManualChunkMeta } from 'rollup';
import { OPTION_MODULE, PANEL_MODULE } from './chunk-roles.mjs';

const FEATURES = 'features';

/** Every module the entries, the options and the panels import statically (directly or not). */
function reachedStatically(meta: ManualChunkMeta): Set<string> {
  const roots = [...meta.getModuleIds()].filter((id) => meta.getModuleInfo(id)?.isEntry || OPTION_MODULE.test(id) || PANEL_MODULE.test(id));
  const reached = new Set<string>();
  const visit = (id: string): void => {
    if (reached.has(id)) return;
    reached.add(id);
    for (const next of meta.getModuleInfo(id)?.importedIds ?? []) visit(next);
  };
  roots.forEach(visit);
  return reached;
}

/** The `manualChunks` of the browser builds (with `onlyExplicitManualChunks: true`). */
export function featureChunks(): GetManualChunk {
  let statics: Set<string> | undefined;
  return (id, meta) => {
    statics ??= reachedStatically(meta);
    if (statics.has(id) || meta.getModuleInfo(id)?.isExternal) return null;
    return FEATURES;
  };
}
