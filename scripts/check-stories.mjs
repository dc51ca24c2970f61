// The Storybook catalogue check (`npm run check-stories` builds it first): serves storybook-static/
// on 127.0.0.1, opens every story in Chromium and fails on any console error, page error, failed
// play function (interaction test) or axe violation. Never builds and never downloads a browser.
// The callbacks given to page.evaluate run in the page, where `window` and `document` exist.
/* global window, document */
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const STATIC_DIR = 'storybook-static';
const STORY_TIMEOUT_MS = 30_000;
/** How long a story may keep streaming before axe runs anyway. */
const SETTLE_MS = 8_000;
/** Stories tagged so never finish on purpose (a reply that streams on, for Stop): checked mid-stream after this. */
const FOREVER_TAG = 'streams-forever';
const FOREVER_SETTLE_MS = 1_000;
const CONCURRENCY = Number(process.env.CHECK_STORIES_CONCURRENCY ?? 2);
const filter = process.argv[2] ?? '';

if (!existsSync(`${STATIC_DIR}/index.json`)) {
  console.error(`${STATIC_DIR}/index.json is missing: run 'npm run build-storybook' first.`);
  process.exit(1);
}
const executablePath = findChromium();
if (!executablePath) {
  console.error('Chromium not found (set CHROME_PATH or install chromium).');
  process.exit(1);
}

const index = JSON.parse(readFileSync(`${STATIC_DIR}/index.json`, 'utf8'));
const stories = Object.values(index.entries).filter((e) => e.type === 'story' && e.id.includes(filter));
if (stories.length === 0) {
  console.error('No stories found in index.json.');
  process.exit(1);
}
const axeSource = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

// The browser asks for /favicon.ico on its own: not a failure of the catalogue.
const server = await serveStatic({ '/': STATIC_DIR }, (req, res) => {
  res.writeHead(req.url === '/favicon.ico' ? 204 : 404);
  res.end();
});
const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
const started = Date.now();
const failures = [];

// Catches the preview's channel as soon as it is created, to hear `storyFinished` (after play).
const listenToChannel = () => {
  const w = /** @type {any} */ (window);
  w.__storyDone = null;
  let channel;
  Object.defineProperty(w, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set: (value) => {
      channel = value;
      value.on('storyFinished', (e) => (w.__storyDone = { status: e.status, reporters: e.reporters }));
      value.on('playFunctionThrewException', (e) => console.error('play function threw:', e?.message ?? e));
      value.on('storyThrewException', (e) => console.error('story threw:', e?.message ?? e));
      value.on('storyErrored', (e) => console.error('story errored:', e?.title ?? '', e?.description ?? ''));
      value.on('storyMissing', (id) => console.error('story missing:', id));
    },
  });
};

async function checkStory(context, story) {
  const problems = [];
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}${msg.location()?.url ? ` (${msg.location().url})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  try {
    await page.addInitScript(listenToChannel);
    await page.goto(`${server.url}/iframe.html?id=${encodeURIComponent(story.id)}&viewMode=story`);
    const done = await page.waitForFunction(() => /** @type {any} */ (window).__storyDone, null, { timeout: STORY_TIMEOUT_MS }).then((h) => h.jsonValue());
    if (done.status !== 'success') problems.push(`story finished with status "${done.status}"`);
    // Let scripted replies finish (stories that stream forever are checked mid-stream).
    await page
      .waitForFunction(
        () => [...document.querySelectorAll('ic-support-chat')].every((c) => /** @type {any} */ (c).store?.status !== 'sending' && c.store?.status !== 'streaming'),
        null,
        { timeout: story.tags?.includes(FOREVER_TAG) ? FOREVER_SETTLE_MS : SETTLE_MS, polling: 100 },
      )
      .catch(() => {});
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const result = await /** @type {any} */ (window).axe.run('#storybook-root', { resultTypes: ['violations'] });
      return result.violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .map((n) => JSON.stringify(n.target))
            .slice(0, 3)
            .join(', ')}`,
      );
    });
    for (const v of violations) problems.push(`axe: ${v}`);
  } catch (err) {
    problems.push(`did not finish: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  } finally {
    await page.close();
  }
  return problems;
}

const queue = [...stories];
async function worker() {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  for (let story = queue.shift(); story; story = queue.shift()) {
    const t0 = Date.now();
    const problems = await checkStory(context, story);
    const ms = Date.now() - t0;
    if (problems.length) {
      failures.push({ story, problems });
      console.log(`✗ ${story.id} (${ms} ms)`);
      for (const p of problems) console.log(`    ${p}`);
    } else {
      console.log(`✓ ${story.id} (${ms} ms)`);
    }
  }
  await context.close();
}

try {
  await Promise.all(Array.from({ length: Math.max(1, CONCURRENCY) }, worker));
} finally {
  await browser.close();
  await server.close();
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  console.error(`\n${failures.length} of ${stories.length} stories failed (${seconds} s).`);
  process.exit(1);
}
console.log(`\nAll ${stories.length} stories passed: no console errors, no axe violations (${seconds} s).`);
