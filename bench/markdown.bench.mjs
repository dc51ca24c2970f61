// Streaming Markdown: main-thread time to stream a reply in 5,000 deltas over a real SSE stream vs
// rendering the same final text once (one delta), at 25, 100 and 400 KB; the ratio; and the longest
// frame of rendering work. Runs in Chromium through the real <ic-support-chat> when the standalone
// bundle is built (else the markdown module alone, bundled with esbuild — the output says which).
// The callbacks given to page.evaluate run in the page, where `window` exists.
/* global window */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { formatEvent } from '../src/protocol/sse-writer.ts';
import { generateMarkdown, splitDeltas } from './markdown-text.mjs';
import { loadMaps, report } from './markdown-profile.mjs';

export const name = 'markdown';
export const title = 'streaming Markdown vs one-shot render (Chromium)';

// BENCH_MARKDOWN_SIZES=100 (comma-separated KB) measures only those sizes (a quicker check).
const SIZES_KB = process.env.BENCH_MARKDOWN_SIZES ? process.env.BENCH_MARKDOWN_SIZES.split(',').map(Number) : [25, 100, 400];
const DELTAS = 5000;
/** "paced": DELTAS events spread over about STREAM_SECONDS (a very fast model: ~20 KB/s at 100 KB);
 * "burst": all of them written as fast as loopback takes them (the renderer must catch up in
 * bounded frames). Both are real SSE streams through the same code. */
const STREAM_SECONDS = 5;
const TICK_MS = 4;
const RATIO_BUDGET = 3;
const FRAME_BUDGET_MS = 16;
const REPEATS = 3;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function bundleMarkdown(root) {
  const result = await build({
    stdin: {
      contents:
        "export { StreamingMarkdown, renderMarkdown } from './src/widget/markdown/streaming-markdown.ts';\n" +
        "export { markdownStyles } from './src/widget/markdown/markdown.styles.ts';\n",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    target: 'es2022',
    tsconfig: join(root, 'tsconfig.json'),
  });
  return result.outputFiles[0].text;
}

/** A tiny server: the bench page, the bundles, and a protocol-v1 backend streaming `current`. */
function startServer(root, markdownJs) {
  const current = { deltas: [''], paced: true };
  const page = readFileSync(join(root, 'bench', 'markdown-page.html'));
  // Snapshot the bundle: a rebuild of dist/ during the run must not break it.
  const distPath = join(root, 'dist', 'ic-support-chat.min.js');
  const dist = existsSync(distPath) ? readFileSync(distPath) : null;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (req.method === 'GET' && url.pathname === '/markdown.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(markdownJs);
    } else if (req.method === 'GET' && url.pathname === '/ic-support-chat.min.js' && dist) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(dist);
    } else if (req.method === 'GET' && url.pathname.endsWith('.js') && existsSync(join(root, 'dist', normalize(url.pathname)))) {
      // Chunks the standalone bundle may import (served from dist/, never outside it).
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(root, 'dist', normalize(url.pathname))));
    } else if (req.method === 'POST' && url.pathname === '/api/support/session') {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ v: 1, visitor: { kind: 'anonymous' }, limits: { max_file_bytes: 1e7, max_files: 5, accept: ['image/png'] } }));
    } else if (req.method === 'POST' && url.pathname === '/api/support/runs') {
      for await (const _ of req); // drain the body
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      const run = { v: 1, run_id: 'run_bench' };
      res.write(formatEvent({ type: 'run.started', ...run, thread_id: 'chat_bench' }));
      const { deltas, paced } = current;
      const perTick = Math.max(1, Math.ceil(deltas.length / ((STREAM_SECONDS * 1000) / TICK_MS)));
      for (let i = 0; i < deltas.length; i += perTick) {
        let chunk = '';
        for (const delta of deltas.slice(i, i + perTick)) chunk += formatEvent({ type: 'message.delta', ...run, delta });
        const ok = res.write(chunk);
        if (paced && deltas.length > 1) await sleep(TICK_MS);
        else if (!ok) await new Promise((r) => res.once('drain', r));
      }
      res.end(formatEvent({ type: 'run.completed', ...run, stop_reason: 'end_turn' }));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, current, port: server.address().port })));
}

async function taskSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value;
}

/** Longest main-thread task (ms) in a Chromium trace. */
function longestTask(trace) {
  const events = JSON.parse(trace.toString()).traceEvents ?? [];
  const mainThreads = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  let max = 0;
  for (const e of events) {
    if (e.name === 'RunTask' && e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`)) max = Math.max(max, e.dur / 1000);
  }
  return max;
}

export async function run({ root, log, profileMode }) {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found (set CHROME_PATH or install chromium)');
  const hasElement = existsSync(join(root, 'dist', 'ic-support-chat.min.js')) && existsSync(join(root, 'src', 'widget', 'support-chat'));
  const mode = process.env.BENCH_MARKDOWN_MODE ?? (hasElement ? 'element' : 'direct');
  const { server, current, port } = await startServer(root, await bundleMarkdown(root));
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const rows = [];
  const sizes = {};
  const notes = [];
  let measuredVia = mode;
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    page.on('pageerror', (e) => log('page error:', e.message));
    page.on('crash', () => log('page crashed'));
    if (process.env.BENCH_DEBUG) page.on('console', (m) => log('console:', m.text()));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');

    /** One measured run: returns main-thread seconds and what the page reports. */
    const measure = async (deltas, { trace = false, paced = true, profile = false, follow = false } = {}) => {
      current.deltas = deltas;
      current.paced = paced;
      await page.goto(`http://127.0.0.1:${port}/?mode=${measuredVia}`);
      let used;
      try {
        used = await page.evaluate(() => window.__prepare());
      } catch (error) {
        if (measuredVia !== 'element') throw error;
        // The bundle did not load (e.g. dist/ being rebuilt): measure the module alone, and say so.
        notes.push(`element mode failed (${String(error.message ?? error).split('\n')[0]}): fell back to the markdown module alone`);
        measuredVia = 'direct';
        await page.goto(`http://127.0.0.1:${port}/?mode=direct`);
        used = await page.evaluate(() => window.__prepare());
      }
      measuredVia = used;
      // BENCH_MARKDOWN_TRACE_EXTRA: more trace categories, comma-separated (e.g.
      // disabled-by-default-devtools.timeline.invalidationTracking: what made style and layout dirty).
      if (trace || profile)
        await browser.startTracing(page, {
          categories: [
            'devtools.timeline',
            'disabled-by-default-devtools.timeline',
            'v8',
            'blink.user_timing',
            ...(process.env.BENCH_MARKDOWN_TRACE_EXTRA ?? '').split(',').filter(Boolean),
          ],
        });
      // BENCH_MARKDOWN_CPU=0: trace only (the sampling profiler adds thousands of tasks of its own).
      const cpu = profile && process.env.BENCH_MARKDOWN_CPU !== '0';
      if (cpu) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const before = await taskSeconds(cdp);
      const report = await page.evaluate((f) => window.__run(f), follow);
      const after = await taskSeconds(cdp);
      const cpuProfile = cpu ? (await cdp.send('Profiler.stop')).profile : undefined;
      if (cpu) await cdp.send('Profiler.disable');
      const traceData = trace || profile ? await browser.stopTracing() : undefined;
      const longest = traceData ? longestTask(traceData) : undefined;
      return { mainMs: (after - before) * 1000, longestTaskMs: longest, cpuProfile, traceData, ...report };
    };

    // Profiling (run this file directly, see the end of it): one streamed run instead of measuring.
    if (profileMode) {
      const kb = Number(process.env.BENCH_MARKDOWN_PROFILE_KB ?? 100);
      const paced = profileMode !== 'burst';
      await measure(splitDeltas(generateMarkdown(20 * 1024, 1), 500));
      const text = generateMarkdown(kb * 1024);
      await measure(splitDeltas(text, DELTAS), { paced });
      const x = await measure(splitDeltas(text, DELTAS), { paced, profile: true });
      const once = await measure([text]);
      log(
        `${kb} KB ${paced ? 'paced' : 'burst'} via ${measuredVia}: ${x.mainMs.toFixed(1)} ms main thread (one-shot ${once.mainMs.toFixed(1)} ms, ratio ${(x.mainMs / once.mainMs).toFixed(2)}), render ${x.stats?.totalMs.toFixed(1)} ms in ${x.stats?.renders} frames, longest task ${x.longestTaskMs?.toFixed(1)} ms`,
      );
      const summary = report({ label: `${kb}kb-${paced ? 'paced' : 'burst'}`, profile: x.cpuProfile, trace: x.traceData, maps: loadMaps(root, port), mainMs: x.mainMs, log });
      return { profiled: true, summary };
    }

    // Warm-up (JIT, fonts) so the first size is not penalised.
    await measure(splitDeltas(generateMarkdown(20 * 1024, 1), 500));

    for (const kb of SIZES_KB) {
      const text = generateMarkdown(kb * 1024);
      const deltas = splitDeltas(text, DELTAS);
      const runs = { once: [], paced: [], burst: [], following: [] };
      for (let i = 0; i < REPEATS; i++) {
        runs.once.push(await measure([text]));
        runs.paced.push(await measure(deltas, { paced: true }));
        if (measuredVia === 'element') runs.following.push(await measure(deltas, { paced: true, follow: true }));
        runs.burst.push(await measure(deltas, { paced: false }));
      }
      const tracedPaced = await measure(deltas, { trace: true, paced: true });
      const tracedBurst = await measure(deltas, { trace: true, paced: false });
      const best = (xs) => xs.reduce((a, b) => (b.mainMs < a.mainMs ? b : a));
      const o = best(runs.once);
      const p = best(runs.paced);
      const b = best(runs.burst);
      const f = runs.following.length ? best(runs.following) : null;
      for (const [label, x] of [['paced', p], ['burst', b], ...(f ? [['paced, following the end', f]] : [])]) {
        if (x.chars !== o.chars) notes.push(`${kb} KB ${label}: streamed text length ${x.chars} differs from one-shot ${o.chars}`);
      }
      const streamed = [...runs.paced, ...runs.burst, ...runs.following];
      // A frame's rendering work plus whatever else the machine did meanwhile: noise only adds, and
      // one busy moment in one run would decide a maximum over all runs. The budget is judged on the
      // median of the runs' longest frames; the worst over all runs is kept beside it.
      const runMaxima = streamed.map((x) => x.stats?.maxMs ?? NaN).sort((a, b) => a - b);
      const maxFrame = runMaxima[Math.floor((runMaxima.length - 1) / 2)];
      const worstFrame = runMaxima[runMaxima.length - 1];
      const longTask = Math.max(0, ...streamed.flatMap((x) => x.longTasks));
      const r = {
        bytes: text.length,
        deltas: deltas.length,
        oneShotMainMs: round(o.mainMs),
        pacedMainMs: round(p.mainMs),
        pacedRatio: round(p.mainMs / o.mainMs, 2),
        // The reader at the end of the reply the whole time (reported, not budgeted: see the notes).
        followingMainMs: f ? round(f.mainMs) : null,
        followingRatio: f ? round(f.mainMs / o.mainMs, 2) : null,
        burstMainMs: round(b.mainMs),
        burstRatio: round(b.mainMs / o.mainMs, 2),
        pacedRenderFrames: p.stats?.renders ?? null,
        pacedRenderMs: p.stats ? round(p.stats.totalMs) : null,
        burstRenderFrames: b.stats?.renders ?? null,
        burstRenderMs: b.stats ? round(b.stats.totalMs) : null,
        oneShotRenderMs: o.stats ? round(o.stats.totalMs) : null,
        maxRenderFrameMs: round(maxFrame, 2),
        worstRenderFrameMs: round(worstFrame, 2),
        longestTaskPacedMs: round(tracedPaced.longestTaskMs, 1),
        longestTaskBurstMs: round(tracedBurst.longestTaskMs, 1),
        longTasksOver50ms: longTask ? round(longTask, 1) : 0,
        pacedWallMs: round(p.wall),
        burstWallMs: round(b.wall),
      };
      sizes[`${kb}KB`] = r;
      rows.push({
        size: `${kb} KB`,
        'one-shot ms': r.oneShotMainMs,
        'paced ms': r.pacedMainMs,
        'paced ×': r.pacedRatio,
        'paced, following the end ms (×)': r.followingMainMs === null ? '–' : `${r.followingMainMs} (${r.followingRatio}×)`,
        'burst ms': r.burstMainMs,
        'burst ×': r.burstRatio,
        'render ms (paced/burst/once)': `${r.pacedRenderMs}/${r.burstRenderMs}/${r.oneShotRenderMs}`,
        'max render frame ms (median/worst run)': `${r.maxRenderFrameMs}/${r.worstRenderFrameMs}`,
        'longest task ms (paced/burst)': `${r.longestTaskPacedMs}/${r.longestTaskBurstMs}`,
      });
      log(`${kb} KB: paced ${r.pacedRatio}×, burst ${r.burstRatio}×, max render frame ${r.maxRenderFrameMs} ms`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const at100 = sizes['100KB'] ?? Object.values(sizes)[0];
  const frameMaxima = Object.values(sizes).map((s) => s.maxRenderFrameMs);
  // A run whose timings could not be read is a failure, never a 0 ms pass.
  const maxFrame = frameMaxima.every((ms) => typeof ms === 'number' && Number.isFinite(ms)) ? Math.max(...frameMaxima) : NaN;
  notes.unshift(
    measuredVia === 'element'
      ? 'measured through the real <ic-support-chat> (dist/ic-support-chat.min.js) over a real SSE stream'
      : 'measured with the markdown module alone (esbuild bundle) over a real SSE stream: build dist/ to measure the element',
    `main-thread time = Chromium TaskDuration (CDP Performance.getMetrics) for the whole run (SSE, store, element, Markdown, style, layout, paint), best of ${REPEATS}; one-shot = the same text as a single delta`,
    `paced = ${DELTAS} deltas over ~${STREAM_SECONDS} s; burst = as fast as loopback delivers them`,
    'paced (budgeted) = as the widget shows it: the question stays at the top and the reply grows below the view, where its out-of-sight end is redrawn twice a second; paced, following the end (reported) = the reader goes to the end as soon as the reply outgrows the view and stays there, so it is redrawn up to ten times a second',
    `"longest task" = longest main-thread task in a Chromium trace of the stream (any cause); "max render frame" = the renderer's own timing of its longest frame in a run, the median over the ${REPEATS * 3} streamed runs (the worst run beside it)`,
  );
  const budgets = [
    { name: 'stream/one-shot main-thread ratio at 100 KB (burst)', value: at100.burstRatio, limit: RATIO_BUDGET, unit: '×', pass: at100.burstRatio <= RATIO_BUDGET },
    { name: 'stream/one-shot main-thread ratio at 100 KB (paced over 5 s)', value: at100.pacedRatio, limit: RATIO_BUDGET, unit: '×', pass: at100.pacedRatio <= RATIO_BUDGET },
    {
      name: 'longest frame of rendering work while streaming',
      value: maxFrame,
      limit: FRAME_BUDGET_MS,
      unit: ' ms',
      pass: Number.isFinite(maxFrame) && maxFrame <= FRAME_BUDGET_MS,
    },
  ];
  return {
    results: { via: measuredVia, deltas: DELTAS, pacedSeconds: STREAM_SECONDS, sizes },
    table: rows,
    notes,
    budgets,
  };
}

function round(n, digits = 1) {
  if (n === undefined || Number.isNaN(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// `BENCH_MARKDOWN_PROFILE=1 node --import tsx bench/markdown.bench.mjs` (=burst for the burst mode;
// BENCH_MARKDOWN_PROFILE_KB=25|100|400, default 100): a CPU profile and trace of one streamed run,
// written to /tmp, with the top self-time functions and the trace's totals per category. Leaves
// bench/results.json alone. Build dist/ first (`node scripts/build.mjs`) to profile the element.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  await run({ root, log: (...a) => console.log(...a), profileMode: process.env.BENCH_MARKDOWN_PROFILE || '1' });
}
