// Try this folder from the repository: `npm run build && node examples/plain-html/serve.mjs`, then
// open http://127.0.0.1:8787/examples/plain-html/. One port serves the page, the built widget it
// loads (`../../dist/ic-support-chat.min.js` and `dist/chunks/`) and the local backend at
// /api/support, answering from demo/help/. `PORT` and `HOST` override 8787 and 127.0.0.1.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
// The package imports itself by name (its `exports`), so these are the built dist/ files.
import { createSupportHandler } from 'ic-support-chat/backends/core';
import { createLocalBackend } from 'ic-support-chat/backends/local';
import { serve } from 'ic-support-chat/node';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Only what the page needs is served, not the whole repository.
const FOLDERS = { '/examples/plain-html/': join(root, 'examples/plain-html'), '/dist/': join(root, 'dist') };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json; charset=utf-8' };

const api = createSupportHandler({
  basePath: '/api/support',
  backend: createLocalBackend({ articlesDir: join(root, 'demo/help'), productName: 'Acme Cloud Notes' }),
});

async function staticFile(pathname) {
  const prefix = Object.keys(FOLDERS).find((p) => pathname.startsWith(p));
  if (!prefix) return null;
  const dir = FOLDERS[prefix];
  const rel = decodeURIComponent(pathname.slice(prefix.length)) || 'index.html';
  const file = normalize(join(dir, rel));
  const type = TYPES[extname(file)];
  if (!type || !file.startsWith(dir + sep)) return null;
  try {
    if (!(await stat(file)).isFile()) return null;
    return new Response(await readFile(file), { headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' } });
  } catch {
    return null;
  }
}

const handle = await serve(
  async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/api/support' || pathname.startsWith('/api/support/')) return api(request);
    if (request.method === 'GET' || request.method === 'HEAD') {
      const file = await staticFile(pathname).catch(() => null);
      if (file) return file;
    }
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  },
  { port: Number(process.env.PORT ?? 8787), host: process.env.HOST ?? '127.0.0.1' },
);
console.log(`Open ${handle.url}/examples/plain-html/`);
