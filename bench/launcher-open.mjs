// Click → focused composer in launcher mode (dist/ic-support-chat.lazy.js), in Chromium under a slow
// phone's profile: 4× CPU slowdown (CDP Emulation.setCPUThrottlingRate) on a 1.6 Mbps / 150 ms link
// (Network.emulateNetworkConditions), every script served gzipped, a fresh browser context (empty
// cache) per run. Two cases:
//  - idle prefetch: the page loads, the browser goes idle, the chat's code is fetched in the
//    background (what every visitor who reads the page for a moment gets), then the launcher is clicked;
//  - cold: the idle prefetch never runs (requestIdleCallback stubbed out before the page loads), so
//    the code is fetched from the click (the hover just before it only starts that a moment earlier).
// Times are from the pointerdown to the first frame in which a message box has focus ("composer"),
// and to the first frame in which the full chat's own message box has it ("full chat").
// The callbacks given to page.evaluate / addInitScript run in the page, where `window` exists.
/* global window, document, requestAnimationFrame, customElements */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';

export const PROFILE = { cpuSlowdown: 4, downloadKbps: 1600, uploadKbps: 750, latencyMs: 150 };
export const OPEN_BUDGET_MS = 150;
const RUNS = Number(process.env.BENCH_LAUNCHER_RUNS ?? 5);
// BENCH_LAUNCHER_CASES=cold measures one case only.
const CASES = [
  ['prefetched', false],
  ['cold', true],
].filter(([name]) => !process.env.BENCH_LAUNCHER_CASES || process.env.BENCH_LAUNCHER_CASES.split(',').includes(name));

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Launcher open bench</title><script type="module" src="/dist/ic-support-chat.lazy.js"></script></head>
<body><main><h1>Help centre</h1><p>${'A page the visitor reads before asking. '.repeat(40)}</p></main>
<ic-support-chat mode="launcher" endpoint="/api/support" persist="none" greeting="Hi! How can we help?"></ic-support-chat></body></html>`;

/** The page, dist/ gzipped (as a CDN serves it), and the smallest protocol-v1 session answer. */
function startServer(root) {
  const dist = join(root, 'dist');
  const cache = new Map();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(gzipSync(PAGE));
    } else if (path.startsWith('/dist/') && path.endsWith('.js')) {
      const file = normalize(join(dist, path.slice('/dist/'.length)));
      if (!file.startsWith(dist + sep) || !existsSync(file)) return void res.writeHead(404).end();
      if (!cache.has(file)) cache.set(file, gzipSync(readFileSync(file), { level: 9 }));
      res.writeHead(200, { 'content-type': 'text/javascript', 'content-encoding': 'gzip', 'cache-control': 'max-age=3600' }).end(cache.get(file));
    } else if (req.method === 'POST' && path === '/api/support/session') {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ v: 1, visitor: { kind: 'anonymous' } }));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

/**
 * Installed before the page's scripts: stamps the pointerdown, then checks at every frame where focus
 * is (a focus move inside one shadow tree never reaches a document listener, so polling it is).
 */
function instrument(cold) {
  if (cold) window.requestIdleCallback = () => 0;
  const marks = (window.__openMarks = {});
  const frame = () => {
    const now = performance.now();
    let active = document.activeElement;
    let inCore = false;
    while (active?.shadowRoot?.activeElement) {
      inCore ||= active.tagName === 'IC-SUPPORT-CHAT-CORE';
      active = active.shadowRoot.activeElement;
    }
    if (active?.tagName === 'TEXTAREA') {
      marks.composer ??= now;
      if (inCore) marks.full ??= now;
    }
    if (marks.full === undefined) requestAnimationFrame(frame);
  };
  window.addEventListener(
    'pointerdown',
    () => {
      marks.down ??= performance.now();
      requestAnimationFrame(frame);
    },
    true,
  );
}

async function openOnce(browser, url, cold) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: PROFILE.latencyMs,
      downloadThroughput: (PROFILE.downloadKbps * 1000) / 8,
      uploadThroughput: (PROFILE.uploadKbps * 1000) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpuSlowdown });
    await page.addInitScript(instrument, cold);
    await page.goto(url, { waitUntil: 'load' });
    const launcher = page.locator('ic-support-chat ic-launcher button');
    await launcher.waitFor();
    if (!cold) await page.waitForFunction(() => customElements.get('ic-support-chat-core') !== undefined, null, { timeout: 30_000 });
    // Cold: clicked a second after load, before any idle time would have fetched the chat.
    else await page.waitForTimeout(1000);
    await launcher.click();
    await page
      .waitForFunction(() => window.__openMarks.full !== undefined, null, { timeout: 30_000 })
      .catch(async (error) => {
        const state = await page.evaluate(() => {
          const path = [];
          for (let a = document.activeElement; a; a = a.shadowRoot?.activeElement) path.push(a.tagName);
          return `${JSON.stringify(window.__openMarks)}; focus: ${path.join(' > ')}`;
        });
        throw new Error(`${error.message} (${state})`);
      });
    const marks = await page.evaluate(() => window.__openMarks);
    return { composer: marks.composer - marks.down, full: marks.full - marks.down };
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Medians over RUNS runs of each case, in ms (rounded), or null when dist/ is not built. */
export async function measureOpen(root, log = () => {}) {
  if (!existsSync(join(root, 'dist', 'ic-support-chat.lazy.js'))) return null;
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found (set CHROME_PATH or install chromium)');
  const { server, url } = await startServer(root);
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const out = { profile: PROFILE, runs: RUNS };
  try {
    for (const [name, cold] of CASES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await openOnce(browser, url, cold));
      log(`${name}: composer ${runs.map((r) => Math.round(r.composer)).join(', ')} ms; full chat ${runs.map((r) => Math.round(r.full)).join(', ')} ms`);
      out[name] = { composer_ms: Math.round(median(runs.map((r) => r.composer))), full_chat_ms: Math.round(median(runs.map((r) => r.full))) };
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}
