// The demo (`npm start`'s server and page, local backend) in Chromium: "Previous conversations"
// works end to end, as a visitor would use it: New conversation keeps the conversation, the list
// reopens it on its own thread (the next question continues it on the backend), for an anonymous
// visitor (the list in the browser) and a signed-in one (the backend's list, across browsers).
// Needs the built bundle (npm run build) and Chromium; skipped, saying which is missing, without them.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { startDemo } from '../../demo/server.js';
// @ts-expect-error: a plain .mjs script without types
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';

const bundle = join('dist', 'ic-support-chat.min.js');
const browserPath = (findChromium as () => string | null)();
const missing = !existsSync(bundle) ? `${bundle} is missing (npm run build)` : !browserPath ? 'Chromium is missing (see scripts/chromium.mjs)' : undefined;

/** Asks a question and waits for the reply; resolves with the thread it went to. */
const ask = (page: Page, text: string) =>
  page.evaluate(`new Promise((resolve) => {
    const chat = document.getElementById('chat');
    chat.addEventListener('ic-run-complete', () => resolve(chat.currentThreadId), { once: true });
    chat.send(${JSON.stringify(text)});
  })`) as Promise<string>;

/** Polls `expression` in the page until it is true (waitForFunction would need 'unsafe-eval', which the demo's CSP forbids). */
async function until(page: Page, expression: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await page.evaluate(expression)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never true: ${expression}`);
}

/** Opens the header menu and picks an item, by its visible name. */
async function menu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

describe('demo: previous conversations in Chromium', { skip: missing }, () => {
  it('keeps, lists and reopens conversations, in the browser and, signed in, on the backend', async () => {
    const server = await startDemo({
      port: 0,
      env: { IC_DEMO_DELAY_MS: '2', IC_COOKIE_SECRET: 'threads-demo-secret-0123456789abcdef012345', IC_FILES_DIR: mkdtempSync(join(tmpdir(), 'ic-threads-demo-')) },
    });
    const browser = await chromium.launch({ executablePath: browserPath!, args: [...(CHROMIUM_ARGS as string[]), '--no-sandbox'] });
    try {
      // Anonymous: the list lives in this browser.
      const page = await browser.newPage();
      await page.goto(`${server.url}/`);
      await page.evaluate("customElements.whenDefined('ic-support-chat')");
      const first = await ask(page, 'How do I reset my password?');
      await menu(page, 'New conversation');
      await menu(page, 'Previous conversations');
      await page.getByRole('heading', { name: 'Previous conversations' }).waitFor();
      await page.locator('[part="thread"]', { hasText: 'How do I reset my password?' }).click();
      await page.getByRole('heading', { name: 'Previous conversations' }).waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate("document.getElementById('chat').currentThreadId"), first);
      assert.equal(await ask(page, 'And if I lost my email?'), first, 'the follow-up continues the reopened thread');

      // Signed in: the backend keeps the list, so another browser (context) sees it.
      const login = (p: Page) =>
        p.evaluate(
          `fetch('/demo/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: 'ada', display_name: 'Ada' }) }).then((r) => r.status)`,
        );
      const signedIn = await browser.newPage();
      await signedIn.goto(`${server.url}/`);
      assert.equal(await login(signedIn), 200);
      await signedIn.reload();
      await signedIn.evaluate("customElements.whenDefined('ic-support-chat')");
      await until(signedIn, "document.getElementById('chat').store.session?.features?.threads === true");
      const adas = await ask(signedIn, 'Can I get a refund?');
      await menu(signedIn, 'New conversation');

      const elsewhere = await (await browser.newContext()).newPage();
      await elsewhere.goto(`${server.url}/`);
      assert.equal(await login(elsewhere), 200);
      await elsewhere.reload();
      await elsewhere.evaluate("customElements.whenDefined('ic-support-chat')");
      await until(elsewhere, "document.getElementById('chat').store.session?.features?.threads === true");
      await menu(elsewhere, 'Previous conversations');
      await elsewhere.locator('[part="thread"]', { hasText: 'Can I get a refund?' }).click();
      await until(elsewhere, `document.getElementById('chat').currentThreadId === ${JSON.stringify(adas)}`);
      assert.equal(await elsewhere.evaluate("document.getElementById('chat').store.messages.length"), 2, 'the transcript came from the backend');
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
