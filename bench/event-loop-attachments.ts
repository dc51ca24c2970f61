// How long one legitimate, heavy turn (5 attachments of 10 MB, PDFs and PNGs) blocks the server's
// event loop, on the local backend and on the Ingram backend over the emulator.
//
//   node --import tsx bench/event-loop-attachments.ts [local|ingram|both] [rounds]
//
// The server runs in its own process (the real handler and backend behind the Node adapter) with
// `monitorEventLoopDelay` and a 5 ms interval probe; this process builds the bodies and sends the
// turns, and the emulator runs in a third process, so neither the client's nor the fake vendor's
// work counts against the server. Reported: the server's longest event-loop stall per turn.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;
const TOKEN = 'ic_bench_token_5f1e0c9a7b3d';
const SECRET = 'bench-cookie-secret-0123456789abcdef0123';
const BASE = '/api/support';

/** Server side: `--serve local` or `--serve ingram <emulator url>`; prints its URL on stdout. */
async function serveMode(kind: string, emulatorUrl: string | undefined): Promise<void> {
  const { createSupportHandler } = await import('../src/backends/core/index.js');
  const { serve } = await import('../src/node/index.js');
  let backend;
  let filesDir: string | undefined;
  if (kind === 'local') {
    const { createLocalBackend } = await import('../src/backends/local/index.js');
    filesDir = mkdtempSync(join(tmpdir(), 'ic-bench-files-'));
    backend = createLocalBackend({ articlesDir: fileURLToPath(new URL('../demo/help/', import.meta.url)), delayMs: 0, filesDir });
  } else {
    const { createIngramBackend } = await import('../src/backends/ingram/index.js');
    const { EMULATOR_AGENT_ID } = await import('../src/backends/ingram/emulator/index.js');
    backend = createIngramBackend({ token: TOKEN, baseUrl: emulatorUrl!, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET } });
  }
  const support = createSupportHandler({ backend, basePath: BASE, rateLimit: false, newVisitorLimit: false, cookie: { secret: SECRET } });
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  // A second, independent measure: how late a 5 ms timer fires. On a loaded machine a timer is also
  // late when the process simply did not get a core, so each late tick also records the CPU time
  // the process used meanwhile: the smaller of the two is the part this process's own work caused.
  let probeMax = 0;
  let cpuBoundMax = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const late = now - last - 5;
    probeMax = Math.max(probeMax, late);
    cpuBoundMax = Math.max(cpuBoundMax, Math.min(late, (cpu.user + cpu.system) / 1000));
    last = now;
    lastCpu = process.cpuUsage();
  }, 5).unref();
  const server = await serve(
    async (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/__bench/reset') {
        histogram.reset();
        histogram.enable();
        probeMax = 0;
        cpuBoundMax = 0;
        return new Response('ok');
      }
      if (path === '/__bench/report') {
        histogram.disable();
        return Response.json({ maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, probeMaxMs: probeMax, cpuBoundMs: cpuBoundMax });
      }
      return support(request);
    },
    { port: 0 },
  );
  process.stdout.write(`${server.url}\n`);
  process.on('SIGTERM', () => {
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
    process.exit(0);
  });
}

/** Emulator side: `--emulator`; prints its URL. */
async function emulatorMode(): Promise<void> {
  const { createIngramEmulator } = await import('../src/backends/ingram/emulator/index.js');
  const { serve } = await import('../src/node/index.js');
  const handle = await serve(createIngramEmulator({ token: TOKEN }), { port: 0 });
  process.stdout.write(`${handle.url}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_CPU_PROF=<dir>: a CPU profile of the server process, to see what holds the loop.
  const prof = process.env['BENCH_CPU_PROF'] && args[0] === '--serve' ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  // BENCH_SERVER_FLAGS: more node flags for the server process (e.g. --trace-gc).
  if (process.env['BENCH_SERVER_FLAGS'] && args[0] === '--serve') prof.push(...process.env['BENCH_SERVER_FLAGS'].split(' '));
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      // Other lines (--trace-gc) go to the console.
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('http://')) resolve({ child, url: line.trim() });
        else console.log(line);
      }
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

let seq = 0;
const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x03, 0x20, 0, 0, 0x02, 0x58, 8, 6, 0, 0, 0];

/** A distinct file of `size` bytes: a PNG (signature, IHDR, filler) or a PDF (header, filler, trailer). */
function attachment(kind: 'png' | 'pdf', size: number): Record<string, string> {
  const bytes = Buffer.alloc(size, 0x20);
  for (let i = 0; i < size; i += 4096) bytes[i] = (i / 4096 + seq * 7) & 0xff;
  bytes.writeUInt32BE(++seq, size - 16);
  if (kind === 'png') {
    bytes.set(PNG_HEAD);
    return { type: 'image', image: `data:image/png;base64,${bytes.toString('base64')}` };
  }
  bytes.write('%PDF-1.4\n', 0, 'latin1');
  bytes.write('\n%%EOF\n', size - 7, 'latin1');
  return { type: 'file', filename: `report-${seq}.pdf`, data: `data:application/pdf;base64,${bytes.toString('base64')}` };
}

function turnBody(): Uint8Array {
  const parts = [
    { type: 'text', text: 'Here are the files.' },
    attachment('pdf', 10 * MB),
    attachment('png', 10 * MB),
    attachment('pdf', 10 * MB),
    attachment('png', 10 * MB),
    attachment('pdf', 10 * MB),
  ];
  return new TextEncoder().encode(JSON.stringify({ thread_id: `chat_${seq}`, stream: false, input: [{ role: 'user', content: parts }] }));
}

async function measure(kind: 'local' | 'ingram', rounds: number): Promise<void> {
  const emulator = kind === 'ingram' ? await start(['--emulator']) : null;
  const server = await start(['--serve', kind, ...(emulator ? [emulator.url] : [])]);
  try {
    const results: { maxMs: number; p99Ms: number; probeMaxMs: number; cpuBoundMs: number; status: number; ms: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      const body = turnBody();
      await (await fetch(`${server.url}/__bench/reset`)).arrayBuffer();
      const t0 = performance.now();
      const res = await fetch(`${server.url}${BASE}/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      const text = await res.text();
      const ms = performance.now() - t0;
      // Let the server settle (a write or upload finishing after the answer counts too).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const report = (await (await fetch(`${server.url}/__bench/report`)).json()) as { maxMs: number; p99Ms: number; probeMaxMs: number; cpuBoundMs: number };
      if (res.status !== 200) console.error(`  ${kind} round ${r}: HTTP ${res.status} ${text.slice(0, 200)}`);
      results.push({ ...report, status: res.status, ms });
      console.log(
        `${kind} round ${r + 1}: HTTP ${res.status} in ${ms.toFixed(0)} ms; event-loop max ${report.maxMs.toFixed(1)} ms, ` +
          `p99 ${report.p99Ms.toFixed(1)} ms, 5 ms timer late by ${report.probeMaxMs.toFixed(1)} ms (of it on CPU ≤ ${report.cpuBoundMs.toFixed(1)} ms)`,
      );
    }
    const summary = (values: number[]) => {
      const sorted = values.sort((a, b) => a - b);
      return `best ${sorted[0]!.toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)}, worst ${sorted.at(-1)!.toFixed(1)} ms`;
    };
    console.log(`${kind}: event-loop max over ${rounds} turns: ${summary(results.map((x) => x.maxMs))}`);
    console.log(`${kind}: of it on CPU: ${summary(results.map((x) => x.cpuBoundMs))}`);
  } finally {
    server.child.kill('SIGTERM');
    emulator?.child.kill('SIGTERM');
  }
}

const [mode, arg1, arg2] = process.argv.slice(2);
if (mode === '--serve') await serveMode(arg1!, arg2);
else if (mode === '--emulator') await emulatorMode();
else {
  const which = mode ?? 'both';
  const rounds = Number(arg1 ?? 5);
  if (which === 'local' || which === 'both') await measure('local', rounds);
  if (which === 'ingram' || which === 'both') await measure('ingram', rounds);
}
