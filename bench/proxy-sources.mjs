// Which code the proxy bench runs (its main thread and its load worker alike): the built package in
// dist/, what a site installs (the default; `npm run build` first), or the TypeScript sources
// through tsx (BENCH_PROXY_SOURCE=src: no build, for trying a change). Not the same code: tsx
// compiles with esbuild's keepNames, which gives every function created at run time a `name`
// property of its own (a call and a property store each). With 1,000 streams open that was 12 MB
// of the proxy's heap, and a cost on every closure made per delta, that the shipped code has not.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const SERVER_DIRS = ['src/backends', 'src/node', 'src/stores', 'src/protocol'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** `src` or `dist`, checked: dist must exist and be newer than every server source file. */
export function proxySourceKind() {
  const kind = process.env.BENCH_PROXY_SOURCE ?? 'dist';
  if (kind !== 'dist' && kind !== 'src') throw new Error(`BENCH_PROXY_SOURCE must be "dist" or "src", got "${kind}"`);
  if (kind === 'src') return kind;
  const built = fileURLToPath(new URL('dist/backends/core/index.js', root));
  let builtAt;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    throw new Error('The proxy bench runs the built package: run `npm run build` first (or BENCH_PROXY_SOURCE=src for the sources through tsx).');
  }
  const newest = Math.max(...SERVER_DIRS.map((d) => newestMtime(fileURLToPath(new URL(d, root)))));
  if (newest > builtAt) throw new Error('dist/ is older than the server sources: run `npm run build` first (or BENCH_PROXY_SOURCE=src).');
  return kind;
}

/** The module at `path` (a source path without its extension, e.g. `backends/core/index`) of that kind. */
export function proxyModule(kind, path) {
  return import(new URL(kind === 'src' ? `src/${path}.ts` : `dist/${path}.js`, root).href);
}
