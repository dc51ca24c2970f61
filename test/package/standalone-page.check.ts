// Run by scripts/check-package.mjs after `npm run build` (not by `npm test`: it needs dist/).
// The standalone file works from a plain HTML page opened over http with only
// `<script type="module" src=…>`: examples/plain-html and dist/ are served on 127.0.0.1 with the
// real local backend at /api/support, and a question gets a streamed reply in Chromium.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright';
import { createSupportHandler } from '../../src/backends/core/index.js';
import { createLocalBackend } from '../../src/backends/local/index.js';
import { toNodeListener } from '../../src/node/index.js';
// @ts-expect-error: plain JS helpers without typings
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
// @ts-expect-error: plain JS helpers without typings
import { serveStatic } from '../../scripts/static-server.mjs';

test('examples/plain-html streams a reply with only the standalone <script type="module">', async () => {
  const backend = createLocalBackend({ articlesDir: 'demo/help', delayMs: 5, filesDir: mkdtempSync(join(tmpdir(), 'ic-standalone-')) });
  const api = toNodeListener(createSupportHandler({ backend, basePath: '/api/support', rateLimit: false, cookie: { secret: 'check-package-only-cookie-secret-0123456789' } }));
  const server = await serveStatic({ '/examples/plain-html/': 'examples/plain-html', '/dist/': 'dist' }, api);
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const scripts: string[] = [];
    // Failed loads are reported by URL below (the browser's own /favicon.ico request aside).
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`HTTP ${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}/examples/plain-html/index.html`);
    await page.waitForFunction(() => customElements.get('ic-support-chat') !== undefined);
    const result = await page.evaluate(async () => {
      const chat = document.querySelector('ic-support-chat') as HTMLElement & {
        send(text: string): Promise<boolean>;
        updateComplete: Promise<unknown>;
        store: { on(type: 'delta', listener: () => void): () => void };
      };
      await chat.updateComplete;
      // The reply must arrive as many deltas (streamed), not in one piece.
      let deltas = 0;
      const off = chat.store.on('delta', () => deltas++);
      const done = new Promise<CustomEvent>((resolve) => chat.addEventListener('ic-run-complete', (e) => resolve(e as CustomEvent), { once: true }));
      await chat.send('How do I reset my password?');
      const event = await done;
      off();
      return { lengths: deltas, stopReason: event.detail.stopReason as string, text: JSON.stringify(event.detail.message) };
    });
    assert.equal(result.stopReason, 'end_turn');
    assert.match(result.text.toLowerCase(), /password/);
    assert.ok(result.lengths > 3, `the reply should stream in many deltas (saw ${result.lengths})`);
    // Another language's table is an on-demand chunk: switching `lang` imports it and re-renders.
    await page.evaluate(() => document.querySelector('ic-support-chat')!.setAttribute('lang', 'de'));
    await page.waitForFunction(() => {
      const composer = document.querySelector('ic-support-chat')?.shadowRoot?.querySelector('ic-composer');
      return composer?.shadowRoot?.querySelector('button[type="submit"]')?.textContent?.includes('Senden');
    });
    // The standalone file, and at most its own on-demand chunks beside it (no bare imports, no CDN).
    assert.equal(scripts[0], '/dist/ic-support-chat.min.js');
    assert.ok(scripts.some((s) => /^\/dist\/chunks\/de-/.test(s)));
    for (const s of scripts.slice(1)) assert.match(s, /^\/dist\/chunks\//);
    assert.deepEqual(errors, []);

    // The lazy entry shows the launcher alone, then imports the panel chunk on first open.
    const lazy = await browser.newPage();
    lazy.on('pageerror', (e) => errors.push(e.message));
    const lazyPage = `${server.url}/dist/lazy-check.html`;
    await lazy.route(lazyPage, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><script type="module" src="ic-support-chat.lazy.js"></script><ic-support-chat mode="launcher" endpoint="/api/support"></ic-support-chat>`,
      }),
    );
    await lazy.goto(lazyPage);
    await lazy.waitForFunction(() => !!document.querySelector('ic-support-chat')?.shadowRoot?.querySelector('ic-launcher'));
    assert.equal(await lazy.evaluate(() => (document.querySelector('ic-support-chat') as HTMLElement & { loaded: boolean }).loaded), false);
    await lazy.evaluate(() => (document.querySelector('ic-support-chat') as HTMLElement & { open(): void }).open());
    await lazy.waitForFunction(() => (document.querySelector('ic-support-chat') as HTMLElement & { loaded: boolean }).loaded);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
