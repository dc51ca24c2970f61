// React ships CommonJS only, which the test server's node-resolve cannot serve to a browser. This
// dev-server plugin bundles react + react-dom/client once with esbuild (one React copy) and serves
// ES modules with named exports where node-resolve points `react` and `react-dom/client`.
import { createRequire } from 'node:module';
import { relative, sep } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const BUNDLE_PATH = '/__react-bundle__.js';
const MODULES: Record<string, string> = { react: 'React', 'react-dom/client': 'Client' };

function servedPath(id: string): string {
  const parts = relative(process.cwd(), require.resolve(id)).split(sep);
  // A node_modules outside the served root (a git worktree's symlink) is served under the dev
  // server's outside-root prefix, which counts the `..` steps.
  const up = parts.findIndex((part) => part !== '..');
  return up === 0 ? '/' + parts.join('/') : `/__wds-outside-root__/${up}/${parts.slice(up).join('/')}`;
}

function facade(id: string, name: string): string {
  const keys = Object.keys(require(id) as object).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  return `import { ${name} as ns } from '${BUNDLE_PATH}';
const m = ns.default ?? ns;
export default m;
export const { ${keys.join(', ')} } = m;
`;
}

export function reactEsmPlugin() {
  let bundle: Promise<string> | undefined;
  const paths = new Map(Object.entries(MODULES).map(([id, name]) => [servedPath(id), facade(id, name)]));
  return {
    name: 'react-esm',
    async serve(context: { path: string }) {
      if (context.path === BUNDLE_PATH) {
        bundle ??= build({
          stdin: { contents: `export * as React from 'react'; export * as Client from 'react-dom/client';`, resolveDir: process.cwd(), loader: 'js' },
          bundle: true,
          write: false,
          format: 'esm',
          platform: 'browser',
          define: { 'process.env.NODE_ENV': '"development"' },
          logLevel: 'silent',
        }).then((r) => r.outputFiles[0]!.text);
        return { body: await bundle, type: 'js' };
      }
      const body = paths.get(context.path);
      return body ? { body, type: 'js' } : undefined;
    },
  };
}
