// The abuse tests' second client: while a hostile request is processed, it keeps loading a page
// (GET / from a static handler in the same process, as the demo serves index.html) and opening a
// session (POST /session), and records how long each took. A request that blocks the event loop
// shows up as a probe that waited for it. A 5 ms timer measures the event loop itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSupportHandler, type SupportHandlerOptions } from '../../src/backends/core/index.js';
import { createLocalBackend, type LocalBackend, type LocalBackendOptions } from '../../src/backends/local/index.js';
import { serve } from '../../src/node/index.js';

const DEMO_DIR = fileURLToPath(new URL('../../demo/', import.meta.url));
export const API_BASE = '/api/support';

/**
 * Slowest a probe may be while a hostile request runs. Generous for a noisy shared machine (the
 * probe, the hostile client and the server share one process, and CI shares two cores): before
 * the fixes each of these attacks held every other request for 2 to 19 seconds.
 */
export const PROBE_LIMIT_MS = 1000;

export interface LocalDemo {
  url: string;
  api: string;
  backend: LocalBackend;
  filesDir: string;
  close(): Promise<void>;
}

/** What a probe needs of a running demo: the page's origin and the support API under it. */
export type ProbeTarget = Pick<LocalDemo, 'url' | 'api'>;

/** `support` and the demo's static page in one process, on a real HTTP server, like `npm start`. */
export async function serveDemo(support: (request: Request) => Response | Promise<Response>): Promise<ProbeTarget & { close(): Promise<void> }> {
  const server = await serve(
    async (request) => {
      const path = new URL(request.url).pathname;
      if (path.startsWith(`${API_BASE}/`)) return support(request);
      if (path === '/' && request.method === 'GET') {
        return new Response(await readFile(join(DEMO_DIR, 'index.html')), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      }
      return new Response('Not found', { status: 404 });
    },
    { port: 0 },
  );
  return { url: server.url, api: `${server.url}${API_BASE}`, close: () => server.close() };
}

/** The local backend and a static page in one process, on a real HTTP server, like `npm start`. */
export async function startLocalDemo(options: { backend?: Omit<LocalBackendOptions, 'filesDir'>; handler?: Omit<SupportHandlerOptions, 'backend'> } = {}): Promise<LocalDemo> {
  const filesDir = mkdtempSync(join(tmpdir(), 'ic-abuse-files-'));
  const backend = createLocalBackend({ articlesDir: join(DEMO_DIR, 'help'), delayMs: 0, ...options.backend, filesDir });
  const server = await serveDemo(createSupportHandler({ backend, basePath: API_BASE, rateLimit: false, ...options.handler }));
  return {
    url: server.url,
    api: server.api,
    backend,
    filesDir,
    async close() {
      await server.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

export interface ProbeReport {
  /** Slowest page load, in ms. */
  pageMs: number;
  /** Slowest POST /session, in ms. */
  sessionMs: number;
  samples: number;
  /** Longest the event loop was held (how late a 5 ms timer fired), in ms. */
  loopMs: number;
  /**
   * The same, counting only time this process spent on a CPU: on a loaded machine a timer also
   * fires late when the process simply waited for a core, which no code of ours can cause or avoid.
   * Code that holds the loop for X ms of work shows X here however busy the machine is.
   */
  loopCpuMs: number;
  /** Statuses seen that were not 200 (a probe must be served, not refused). */
  failures: string[];
}

/** The event-loop probe's period. */
const TICK_MS = 5;

async function timed(fn: () => Promise<Response>): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  return { ms: performance.now() - start, status: res.status };
}

/**
 * Runs `hostile` and, alongside it, probes `demo` (a page load, then a session, again and again,
 * at least `minSamples` rounds) until it settles. Returns the hostile result and the slowest probes.
 */
export async function whileProbing<T>(demo: ProbeTarget, hostile: () => Promise<T>, minSamples = 3): Promise<{ result: T; probe: ProbeReport }> {
  const report: ProbeReport = { pageMs: 0, sessionMs: 0, samples: 0, loopMs: 0, loopCpuMs: 0, failures: [] };
  let done = false;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const ticks = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const late = now - last - TICK_MS;
    report.loopMs = Math.max(report.loopMs, late);
    report.loopCpuMs = Math.max(report.loopCpuMs, Math.min(late, (cpu.user + cpu.system) / 1000));
    last = now;
    lastCpu = process.cpuUsage();
  }, TICK_MS);
  const probing = (async () => {
    while (!done || report.samples < minSamples) {
      const page = await timed(() => fetch(`${demo.url}/`));
      const session = await timed(() => fetch(`${demo.api}/session`, { method: 'POST' }));
      report.pageMs = Math.max(report.pageMs, page.ms);
      report.sessionMs = Math.max(report.sessionMs, session.ms);
      if (page.status !== 200) report.failures.push(`GET / ${page.status}`);
      if (session.status !== 200) report.failures.push(`POST /session ${session.status}`);
      report.samples++;
      // A pause between rounds, so the probe itself is not the load.
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  // Let the first probe warm up the connection pool before the hostile request starts.
  await new Promise((r) => setTimeout(r, 20));
  try {
    return { result: await hostile(), probe: report };
  } finally {
    done = true;
    await probing;
    clearInterval(ticks);
  }
}

/** A message for an assertion on the probe. */
export function describeProbe(p: ProbeReport): string {
  return (
    `slowest page load ${p.pageMs.toFixed(0)} ms, slowest POST /session ${p.sessionMs.toFixed(0)} ms over ${p.samples} rounds; ` +
    `event loop held up to ${p.loopMs.toFixed(0)} ms (${p.loopCpuMs.toFixed(0)} ms of it on CPU)`
  );
}
