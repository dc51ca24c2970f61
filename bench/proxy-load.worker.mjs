// The load side of bench/proxy.bench.mjs, in a worker thread so the proxy on the main thread has
// its event loop (its core) to itself: the emulator (the vendor API) and N browsers reading streams.
// Each delta carries its emission time (timeOrigin + now, comparable across threads only here,
// where it is both stamped and read), so latency = arrival − emission per delta.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

try {
  const { register } = await import('tsx/esm/api');
  register();
} catch {
  // Already under tsx.
}
const { createIngramEmulator, EMULATOR_AGENT_ID } = await import('../src/backends/ingram/emulator/index.ts');
const { IngramClient } = await import('../src/backends/ingram/client.ts');
const { serve } = await import('../src/node/index.ts');
const { parseEventStream } = await import('../src/protocol/sse-parser.ts');

const { streams, deltas, deltaDelayMs, token } = workerData;
const reply = () => Array.from({ length: deltas }, (_, i) => ({ type: 'delta', text: () => `${i}@${performance.now().toFixed(3)}` }));
const emulator = createIngramEmulator({ token, deltaDelayMs, reply });
const upstream = await serve(emulator, { port: 0 });

const messages = [];
let waiting = null;
parentPort.on('message', (m) => {
  if (waiting) {
    const w = waiting;
    waiting = null;
    w(m);
  } else messages.push(m);
});
const next = () => (messages.length ? Promise.resolve(messages.shift()) : new Promise((r) => (waiting = r)));

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function consume(body, latencies, onStarted) {
  let expected = 0;
  let completed = false;
  for await (const message of parseEventStream(body)) {
    if (message.event === 'run.started') onStarted();
    else if (message.event === 'message.delta') {
      const now = performance.now();
      const [seq, stamp] = JSON.parse(message.data).delta.split('@');
      if (Number(seq) !== expected) throw new Error(`delta ${seq} arrived when ${expected} was expected`);
      expected++;
      latencies.push(now - Number(stamp));
    } else if (message.event === 'run.completed') completed = true;
    else if (message.event === 'run.failed') throw new Error(`run failed: ${message.data}`);
  }
  if (!completed || expected !== deltas) throw new Error(`incomplete stream: ${expected}/${deltas} deltas, completed=${completed}`);
}

/** N streams, their starts spread over one delta interval so deltas arrive spread out, as in real use. */
async function phase(start, onAllOpen) {
  const latencies = [];
  let open = 0;
  const t0 = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: streams }, async (_, i) => {
      await sleep((i / streams) * deltaDelayMs);
      const res = await start(i);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      await consume(res.body, latencies, () => {
        if (++open === streams) onAllOpen?.();
      });
    }),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  latencies.sort((a, b) => a - b);
  return {
    ok: failed.length === 0,
    failures: failed.length,
    firstFailure: failed[0]?.reason?.message,
    deltasReceived: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    elapsedMs: performance.now() - t0,
  };
}

parentPort.postMessage({ type: 'ready', emulatorUrl: upstream.url, agentId: EMULATOR_AGENT_ID });
const { proxyUrl } = await next();

// Direct: the same load read straight from the emulator, one smith per stream.
const client = new IngramClient({ token, baseUrl: upstream.url });
const smiths = [];
for (let i = 0; i < streams; i += 50) {
  const batch = await Promise.all(Array.from({ length: Math.min(50, streams - i) }, (_, j) => client.upsertSmith({ external_id: `bench:${i + j}`, agent_id: EMULATOR_AGENT_ID })));
  smiths.push(...batch.map((s) => s.id));
}
const headers = { Authorization: `Bearer ${token}`, 'IC-Api-Version': '2026-05-01', 'Content-Type': 'application/json' };
const direct = await phase((i) =>
  fetch(`${upstream.url}/v1/smiths/${smiths[i]}/runs`, { method: 'POST', headers, body: JSON.stringify({ input: [{ role: 'user', content: 'bench' }], thread_id: `t${i}`, stream: true }) }),
);

// Proxied: one anonymous visitor per stream; /session first, as the widget does on load.
const cookies = [];
for (let i = 0; i < streams; i += 50) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(50, streams - i) }, async () => {
      const res = await fetch(`${proxyUrl}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      await res.arrayBuffer();
      return res.headers.getSetCookie()[0].split(';')[0];
    }),
  );
  cookies.push(...batch);
}
parentPort.postMessage({ type: 'setup-done' });
await next(); // the main thread took its memory baseline
const proxy = await phase(
  (i) =>
    fetch(`${proxyUrl}/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookies[i] },
      body: JSON.stringify({ thread_id: `chat_bench_${i}`, input: [{ role: 'user', content: 'bench' }], stream: true }),
    }),
  () => parentPort.postMessage({ type: 'all-open' }),
);
await upstream.close();
parentPort.postMessage({ type: 'done', direct, proxy });
