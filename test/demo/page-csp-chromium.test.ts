// The demo page under its own Content-Security-Policy, in Chromium: it loads, the widget renders,
// a reply streams (with a tool call and an attachment preview), the launcher mode works, and the
// browser reports no CSP violation and no console error. Needs the built bundle (npm run build)
// and Chromium; skipped, saying which is missing, without them.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { startDemo } from '../../demo/server.js';
// @ts-expect-error: a plain .mjs script without types
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';

const bundle = join('dist', 'ic-support-chat.min.js');
const browserPath = (findChromium as () => string | null)();
const missing = !existsSync(bundle) ? `${bundle} is missing (npm run build)` : !browserPath ? 'Chromium is missing (see scripts/chromium.mjs)' : undefined;

// One transparent pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

describe('demo page in Chromium under its CSP', { skip: missing }, () => {
  it('loads, renders the widget, streams replies and reports no CSP violation', async () => {
    const server = await startDemo({
      port: 0,
      env: { IC_DEMO_DELAY_MS: '2', IC_COOKIE_SECRET: 'csp-test-secret-0123456789abcdef0123456789', IC_FILES_DIR: mkdtempSync(join(tmpdir(), 'ic-csp-')) },
    });
    const browser = await chromium.launch({ executablePath: browserPath!, args: [...(CHROMIUM_ARGS as string[]), '--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      // A string, not a function: tsx's helpers would not exist in the page.
      await page.addInitScript(`
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      `);
      const res = await page.goto(`${server.url}/`);
      assert.match(res!.headers()['content-security-policy'] ?? '', /frame-ancestors 'self'/);
      await page.evaluate("customElements.whenDefined('ic-support-chat')");

      const ask = (text: string) =>
        page.evaluate(`new Promise((resolve) => {
          const chat = document.getElementById('chat');
          chat.addEventListener('ic-run-complete', (e) => resolve(e.detail.message), { once: true });
          chat.send(${JSON.stringify(text)});
        })`) as Promise<{ status: string; parts: { kind: string; text?: string }[] }>;

      const reply = await ask('How do I reset my password?');
      assert.equal(reply.status, 'complete');
      assert.match(reply.parts.find((p) => p.kind === 'text')?.text ?? '', /password/i);
      // Rendered (the Markdown renderer and Lit work under the policy), not only received.
      await page.getByText('Reset a forgotten password').first().waitFor();

      await page.locator('input[type=file]').first().setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
      const tool = await ask('Where is my order A-1001?');
      assert.ok(tool.parts.some((p) => p.kind === 'tool_call'));
      const previews = await page.evaluate(`(() => {
        const found = [];
        const walk = (root) => { for (const el of root.querySelectorAll('*')) { if (el.tagName === 'IMG' && el.src.startsWith('blob:')) found.push(el.naturalWidth); if (el.shadowRoot) walk(el.shadowRoot); } };
        walk(document);
        return found;
      })()`);
      assert.deepEqual(previews, [1], 'the attachment preview (blob:) loaded');

      await page.selectOption('#mode-select', 'launcher');
      await page.selectOption('#lang-select', 'ar');
      await page.waitForTimeout(300);

      assert.deepEqual(await page.evaluate('window.__violations'), []);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
