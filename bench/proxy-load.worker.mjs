// The load side of bench/proxy.bench.mjs, in a worker thread so the proxy on the main thread has
// its event loop (its core: the machine has two) to itself: the emulator (the vendor API) and N
// browser-side clients reading streams.
//
// Each delta carries the emulator's emission time (`performance.now()` of THIS thread, taken just
// before the frame is enqueued); the client, also on this thread, subtracts it from the moment the
// parsed delta reaches it. So a sample is "emulator → client" end to end, on one clock. A control
// group of C streams read straight from the emulator AT THE SAME TIME (interleaved with the N
// proxied ones) gives the path without the proxy; the difference between the two distributions is
// what the proxy adds. (Measured one after the other, the two paths met different moments of this
// thread: its own stalls moved the direct p99 by 2–15 ms from round to round, and "added" was
// often negative.)
//
// Only deltas emitted while all N + C streams are open (after the ramp, before the first stream
// ends) are counted: that is "holding N concurrent streams". The ramp (run creation: the proxy's /runs
// request, cookie check, upstream POST) is reported apart.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';

try {
  const { register } = await import('tsx/esm/api');
  register();
} catch {
  // Already under tsx.
}
const { proxyModule } = await import('./proxy-sources.mjs');
const [{ createIngramEmulator, EMULATOR_AGENT_ID }, { IngramClient }, { serve }] = await Promise.all(
  ['backends/ingram/emulator/index', 'backends/ingram/client', 'node/index'].map((m) => proxyModule(workerData.source, m)),
);

const { streams, control, deltas, deltaDelayMs, rampMs, token } = workerData;
// The text of a delta: its index, its emission time, and filler to a realistic batched size
// (a few tokens: ~24 characters).
const FILLER = ' lorem ipsum dolor';
const reply = () => Array.from({ length: deltas }, (_, i) => ({ type: 'delta', text: () => `${i}@${performance.now().toFixed(3)}${FILLER}` }));
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

function summary(values) {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/**
 * A browser-side client, kept cheap so the load thread has room: node:http (not fetch, whose web
 * streams cost as much as the proxy's own work) and a minimal SSE split (the proxy and the emulator
 * only write `event:` + one `data:` line per frame). Checks every delta arrives, in order, intact.
 */
function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

function consume(res, samples, onStarted) {
  return new Promise((resolve, reject) => {
    let expected = 0;
    let completed = false;
    let buffered = '';
    const fail = (err) => {
      res.destroy();
      reject(err);
    };
    res.setEncoding('utf8');
    res.on('data', (text) => {
      const now = performance.now();
      buffered += text;
      let end;
      while ((end = buffered.indexOf('\n\n')) !== -1) {
        let frame = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (frame.startsWith(':')) continue; // ping
        // Resumable runs: each event frame starts with its SSE id.
        if (frame.startsWith('id: ')) frame = frame.slice(frame.indexOf('\n') + 1);
        const nl = frame.indexOf('\n');
        const event = frame.slice(7, nl); // after "event: "
        const data = frame.slice(nl + 7); // after "\ndata: "
        if (event === 'run.started') onStarted();
        else if (event === 'message.delta') {
          const delta = JSON.parse(data).delta;
          const at = delta.indexOf('@');
          const seq = Number(delta.slice(0, at));
          if (seq !== expected) return fail(new Error(`delta ${seq} arrived when ${expected} was expected`));
          if (!delta.endsWith(FILLER)) return fail(new Error(`delta ${seq} arrived altered: ${JSON.stringify(delta)}`));
          expected++;
          const stamp = Number(delta.slice(at + 1, delta.length - FILLER.length));
          samples.push(stamp, now - stamp);
        } else if (event === 'run.completed') completed = true;
        else if (event === 'run.failed') return fail(new Error(`run failed: ${data}`));
      }
    });
    res.on('error', reject);
    res.on('end', () => {
      if (!completed || expected !== deltas) reject(new Error(`incomplete stream: ${expected}/${deltas} deltas, completed=${completed}`));
      else resolve();
    });
  });
}

/**
 * The measured phase: the N proxied streams and the C direct ones (the control group) at once,
 * their starts interleaved and spread evenly over the ramp, so deltas arrive spread out, as in real
 * use, and both groups meet the same moments of this thread (its GC, its timers, the other core's
 * load). Each group has its own samples; "held" is while every stream of both groups is open.
 */
async function phase(kinds, start, onAllOpen) {
  const samples = { proxy: [], direct: [] }; // pairs: emission time, latency
  const counts = { proxy: 0, direct: 0 };
  for (const kind of kinds) counts[kind]++;
  const open = { proxy: 0, direct: 0 };
  const maxOpen = { proxy: 0, direct: 0 };
  let openTotal = 0;
  let allOpenAt = Infinity;
  let firstEndAt = Infinity;
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const results = await Promise.allSettled(
    kinds.map(async (kind, j) => {
      await sleep((j / kinds.length) * rampMs);
      const res = await start(kind, j);
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      try {
        await consume(res, samples[kind], () => {
          maxOpen[kind] = Math.max(maxOpen[kind], ++open[kind]);
          if (++openTotal === kinds.length) {
            allOpenAt = performance.now();
            onAllOpen?.();
          }
        });
      } finally {
        open[kind]--;
        openTotal--;
        firstEndAt = Math.min(firstEndAt, performance.now());
      }
    }),
  );
  const elu = performance.eventLoopUtilization(elu0);
  const group = (kind) => {
    const failed = results.filter((r, j) => kinds[j] === kind && r.status === 'rejected');
    const held = [];
    const ramp = [];
    const s = samples[kind];
    for (let k = 0; k < s.length; k += 2) (s[k] >= allOpenAt && s[k] <= firstEndAt ? held : ramp).push(s[k + 1]);
    if (process.env.BENCH_PROXY_TIMELINE) {
      const rows = [];
      for (let k = 0; k < s.length; k += 2) if (s[k] >= allOpenAt && s[k] <= firstEndAt) rows.push(`${(performance.timeOrigin + s[k]).toFixed(3)} ${s[k + 1].toFixed(3)}`);
      writeFileSync(`${process.env.BENCH_PROXY_TIMELINE}-${kind}.txt`, rows.join('\n'));
    }
    return {
      ok: failed.length === 0,
      streams: counts[kind],
      failures: failed.length,
      firstFailure: failed[0]?.reason?.message,
      deltasReceived: s.length / 2,
      held: summary(held),
      holdSeconds: Math.max(0, firstEndAt - allOpenAt) / 1000,
      // Below `streams`: the last streams opened only after the first had finished (run creation
      // fell behind), so they were never all held at once and `held` is empty.
      maxOpen: maxOpen[kind],
      ramp: summary(ramp),
      elapsedMs: performance.now() - t0,
      loadThreadUtilisation: elu.utilization,
    };
  };
  return { proxy: group('proxy'), direct: group('direct') };
}

parentPort.postMessage({ type: 'ready', emulatorUrl: upstream.url, agentId: EMULATOR_AGENT_ID });
const { proxyUrl } = await next();

// The control group reads straight from the emulator, one smith per stream.
const client = new IngramClient({ token, baseUrl: upstream.url });
const smiths = [];
for (let i = 0; i < control; i += 50) {
  const batch = await Promise.all(Array.from({ length: Math.min(50, control - i) }, (_, j) => client.upsertSmith({ external_id: `bench:${i + j}`, agent_id: EMULATOR_AGENT_ID })));
  smiths.push(...batch.map((s) => s.id));
}
const headers = { Authorization: `Bearer ${token}`, 'IC-Api-Version': '2026-05-01', 'Content-Type': 'application/json' };

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

// The control streams spread evenly among the proxied ones.
const total = streams + control;
const kinds = Array.from({ length: total }, (_, j) => (Math.floor(((j + 1) * control) / total) > Math.floor((j * control) / total) ? 'direct' : 'proxy'));
let proxied = 0;
let direct = 0;
const { proxy: proxyResult, direct: directResult } = await phase(
  kinds,
  (kind) =>
    kind === 'direct'
      ? (() => {
          const i = direct++;
          return post(`${upstream.url}/v1/smiths/${smiths[i]}/runs`, headers, JSON.stringify({ input: [{ role: 'user', content: 'bench' }], thread_id: `t${i}`, stream: true }));
        })()
      : (() => {
          const i = proxied++;
          return post(
            `${proxyUrl}/runs`,
            { 'Content-Type': 'application/json', Cookie: cookies[i] },
            JSON.stringify({ thread_id: `chat_bench_${i}`, input: [{ role: 'user', content: 'bench' }], stream: true }),
          );
        })(),
  () => parentPort.postMessage({ type: 'all-open' }),
);
await upstream.close();
parentPort.postMessage({ type: 'done', direct: directResult, proxy: proxyResult });
