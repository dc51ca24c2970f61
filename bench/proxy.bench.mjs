// `npm run bench` section "proxy": N concurrent streaming runs (default 1,000) through the Ingram
// backend — the real support handler and backend, served over real HTTP on this (main) thread —
// against the emulator over loopback HTTP. The emulator and the N browsers run in a worker thread
// (bench/proxy-load.worker.mjs), so the proxy's event loop is measured alone: one process, two
// threads, loopback only.
//
// Reports: every stream complete and in order; latency per delta p50/p99 through the proxy vs
// read from the emulator directly under the same load (the difference is what the proxy adds;
// budget ≤ 5 ms p99, DESIGN.md); the proxy thread's heap per open stream.
//
// Standalone: `node bench/proxy.bench.mjs` (env BENCH_PROXY_STREAMS, BENCH_PROXY_DELTAS, BENCH_PROXY_DELAY_MS).
import { Worker } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const BUDGET_P99_ADDED_MS = 5;
const TOKEN = 'bench-token-never-sent-to-browsers';
const SECRET = 'bench-cookie-secret-0123456789abcdef0123456789';

async function loadSources() {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    // Already running under tsx.
  }
  const [core, ingram, node] = await Promise.all([
    import('../src/backends/core/index.ts'),
    import('../src/backends/ingram/index.ts'),
    import('../src/node/index.ts'),
  ]);
  return { ...core, ...ingram, ...node };
}

function gc() {
  try {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc');
    collect();
    collect();
  } catch {
    // No GC hook: the memory figure is noisier, not wrong.
  }
}

const heap = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Runs the section; returns its numbers (and prints a table). */
export async function run(options = {}) {
  const streams = options.streams ?? Number(process.env.BENCH_PROXY_STREAMS ?? 1000);
  const deltas = options.deltas ?? Number(process.env.BENCH_PROXY_DELTAS ?? 20);
  const deltaDelayMs = options.deltaDelayMs ?? Number(process.env.BENCH_PROXY_DELAY_MS ?? 50);
  const lib = await loadSources();

  const worker = new Worker(new URL('./proxy-load.worker.mjs', import.meta.url), { workerData: { streams, deltas, deltaDelayMs, token: TOKEN } });
  const inbox = [];
  let waiting = null;
  let failure = null;
  worker.on('message', (m) => (waiting ? (waiting(m), (waiting = null)) : inbox.push(m)));
  worker.on('error', (err) => {
    failure = err;
    if (waiting) waiting({ type: 'error' });
  });
  const next = async (type) => {
    const m = inbox.length ? inbox.shift() : await new Promise((r) => (waiting = r));
    if (failure) throw failure;
    if (m.type !== type) throw new Error(`bench worker: expected ${type}, got ${m.type}`);
    return m;
  };

  let app;
  try {
    const { emulatorUrl, agentId } = await next('ready');
    const backend = lib.createIngramBackend({ token: TOKEN, baseUrl: emulatorUrl, agentId, cacheSize: streams * 2 });
    const handler = lib.createSupportHandler({ backend, basePath: '/api/support', cookie: { secret: SECRET }, rateLimit: false, onError: () => {} });
    app = await lib.serve(handler, { port: 0 });
    worker.postMessage({ proxyUrl: `${app.url}/api/support` });

    await next('setup-done');
    gc();
    const baseline = heap();
    const elu0 = performance.eventLoopUtilization();
    worker.postMessage({ go: true });
    await next('all-open');
    const open = heap();
    const { direct, proxy } = await next('done');
    const elu = performance.eventLoopUtilization(elu0);

    const result = {
      section: 'proxy',
      streams,
      deltasPerStream: deltas,
      deltaDelayMs,
      complete: direct.ok && proxy.ok && proxy.deltasReceived === streams * deltas,
      direct,
      proxy,
      addedLatencyMs: { p50: proxy.p50 - direct.p50, p99: proxy.p99 - direct.p99 },
      proxyBytesPerOpenStream: (open - baseline) / streams,
      // Busy time of the proxy's thread per delta relayed (includes run setup, amortised).
      proxyCpuMicrosPerDelta: (elu.active * 1000) / Math.max(1, proxy.deltasReceived),
      proxyThreadUtilisation: elu.utilization,
      budget: { p99AddedMs: BUDGET_P99_ADDED_MS, ok: proxy.p99 - direct.p99 <= BUDGET_P99_ADDED_MS },
    };
    printTable(result);
    return result;
  } finally {
    await app?.close();
    await worker.terminate();
  }
}

function printTable(r) {
  const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : 'n/a');
  const kb = (x) => (Number.isFinite(x) ? `${(x / 1024).toFixed(1)} KB` : 'n/a');
  const rows = [
    ['streams × deltas', `${r.streams} concurrent × ${r.deltasPerStream} deltas, one every ${r.deltaDelayMs} ms`, ''],
    ['complete and in order', r.complete ? 'yes (every delta, every stream)' : `NO: ${r.proxy.failures + r.direct.failures} failed (${r.proxy.firstFailure ?? r.direct.firstFailure})`, ''],
    ['latency per delta p50', `direct ${ms(r.direct.p50)}`, `through proxy ${ms(r.proxy.p50)}`],
    ['latency per delta p99', `direct ${ms(r.direct.p99)}`, `through proxy ${ms(r.proxy.p99)}`],
    ['added by the proxy', `p50 ${ms(r.addedLatencyMs.p50)}`, `p99 ${ms(r.addedLatencyMs.p99)} (budget ≤ ${r.budget.p99AddedMs} ms: ${r.budget.ok ? 'ok' : 'OVER'})`],
    ['proxy heap per open stream', kb(r.proxyBytesPerOpenStream), ''],
    ['proxy thread busy', `${(r.proxyThreadUtilisation * 100).toFixed(0)} %`, `${r.proxyCpuMicrosPerDelta.toFixed(0)} µs per delta relayed`],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  console.log('\nproxy — Ingram backend (main thread) vs emulator direct (load in a worker), loopback');
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().then(
    (r) => {
      if (!r.complete) process.exitCode = 1;
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
