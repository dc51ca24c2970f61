// No request may hold the event loop: a legitimate turn at the attachment limits (5 files of 10 MB,
// PDFs and PNGs, a ~70 MB body) used to block every other request for ~0.3–0.5 s on an idle
// machine (JSON.parse of the whole body, base64 decode, synchronous SHA-256 and writeFileSync in
// the local file store; JSON.stringify of the upstream body in the Ingram backend), and for
// 1–2 s on this shared machine under load. Now the body is parsed around its data URLs and all
// per-byte work runs in slices that hand the loop back (docs/security.md, "Event loop").
//
// What is asserted: while such a turn runs, a 5 ms timer in the server's process is never held
// for more than 150 ms of this process's own CPU work, and page loads and POST /session are served
// (within PROBE_LIMIT_MS, as in the other abuse tests). The bound counts CPU time because on this
// shared 2-core machine (load averages of 10–20 from parallel test runs) a timer or a request is
// also late whenever the process just waits for a core: a turn whose longest stall is ~20–40 ms of
// CPU measured 100–700 ms of wall time under that load. CPU time held is what code controls.
// Measured (bench/event-loop-attachments.ts, server in its own process, 5 turns, machine at load
// 17): the longest stall holds 20–38 ms (local) and 32–46 ms (Ingram) of CPU, against 356–478 ms
// and 303–332 ms in a single block before; at load 1.4 the old code stalled 396–497 ms (local).
// In this test (server, probes and client in one process) typical values are 30–50 ms of CPU.
// The ~50 ms the issue names is what the code is built to (8 ms slices); 150 ms leaves room for a
// full GC on a loaded machine and still fails the old code's single 300+ ms block (this test
// measured 330–470 ms there), which no retry avoids. A turn gets up to 3 attempts, so one unlucky
// hiccup (a full GC as the heap fills with 70 MB bodies) does not fail the suite.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import { createSupportHandler } from '../../src/backends/core/index.js';
import { createIngramBackend } from '../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../src/backends/ingram/emulator/index.js';
import { TOKEN } from '../backends/ingram/ingram-test-kit.js';
import { startEmulatorProcess } from './emulator-process.js';
import { API_BASE, PROBE_LIMIT_MS, describeProbe, serveDemo, startLocalDemo, whileProbing, type ProbeReport, type ProbeTarget } from './latency-probe.js';

/** Longest the event loop may be held, in ms of this process's CPU time (see above for why 150). */
export const LATENCY_LIMIT_MS = 150;
const ATTEMPTS = 3;
const TIMEOUT = { timeout: 180_000 };
const MB = 1024 * 1024;
const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x03, 0x20, 0, 0, 0x02, 0x58, 8, 6, 0, 0, 0];

let seq = 0;

/** A distinct 10 MB file (a PNG or a PDF: real signature, then filler) as a content part. */
function attachment(kind: 'png' | 'pdf'): Record<string, string> {
  const bytes = Buffer.alloc(10 * MB, 0x20);
  bytes.writeUInt32BE(++seq, bytes.length - 16);
  if (kind === 'png') {
    bytes.set(PNG_HEAD);
    return { type: 'image', image: `data:image/png;base64,${bytes.toString('base64')}` };
  }
  bytes.write('%PDF-1.4\n', 0, 'latin1');
  bytes.write('\n%%EOF\n', bytes.length - 7, 'latin1');
  return { type: 'file', filename: `statement-${seq}.pdf`, data: `data:application/pdf;base64,${bytes.toString('base64')}` };
}

/** The body of a turn at the limits, encoded before the probing starts (the client's work is not under test). */
function heavyTurn(): Uint8Array {
  const content = [{ type: 'text', text: 'Here are my statements and screenshots.' }, ...(['pdf', 'png', 'pdf', 'png', 'pdf'] as const).map(attachment)];
  return Buffer.from(JSON.stringify({ thread_id: `chat_heavy_${seq}`, stream: false, input: [{ role: 'user', content }] }));
}

/**
 * POSTs `body` with node:http, 256 KB per write: fetch() holds this (the probes') process for up
 * to ~150 ms handing it 70 MB at once, which would be counted against the server.
 */
async function postJsonBytes(url: string, body: Uint8Array): Promise<{ status: number; body: { status?: string; error?: unknown } }> {
  const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.byteLength } });
  const response = once(req, 'response') as Promise<[IncomingMessage]>;
  for (let at = 0; at < body.byteLength; at += 256 * 1024) {
    if (!req.write(body.subarray(at, at + 256 * 1024))) await once(req, 'drain');
  }
  req.end();
  const [res] = await response;
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return { status: res.statusCode!, body: JSON.parse(text) as { status?: string; error?: unknown } };
}

/** The loop held under the bound, and page loads and sessions served as in the other abuse tests. */
const responsive = (p: ProbeReport) => p.loopCpuMs < LATENCY_LIMIT_MS && p.pageMs < PROBE_LIMIT_MS && p.sessionMs < PROBE_LIMIT_MS;

/**
 * Sends heavy turns while probing, up to ATTEMPTS times until one is `responsive`; returns
 * whether one was, and every attempt's probe. Each turn must be answered 200, completed.
 */
async function probeHeavyTurns(target: ProbeTarget): Promise<{ passed: boolean; all: string[] }> {
  let passed = false;
  const all: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS && !passed; attempt++) {
    const body = heavyTurn();
    const { result, probe } = await whileProbing(target, () => postJsonBytes(`${target.api}/runs`, body));
    assert.equal(result.status, 200, JSON.stringify(result.body).slice(0, 300));
    assert.equal(result.body.status, 'completed');
    assert.deepEqual(probe.failures, []);
    all.push(describeProbe(probe));
    passed = responsive(probe);
  }
  return { passed, all };
}

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

describe('abuse: a turn of 5 × 10 MB attachments does not hold the event loop', () => {
  it('local backend: the event loop is never held 150 ms while it is checked and stored', TIMEOUT, async (t) => {
    // Cookie-less turns, each a new visitor, so no visitor's 50 MB quota is in the way.
    const demo = await startLocalDemo({ handler: { newVisitorLimit: false } });
    closers.push(() => demo.close());
    const { passed, all } = await probeHeavyTurns(demo);
    t.diagnostic(all.join('\n'));
    assert.ok(passed, all.join('\n'));
  });

  it('Ingram backend over the emulator: the same while it is checked and sent upstream', TIMEOUT, async (t) => {
    const emulator = await startEmulatorProcess();
    closers.push(() => emulator.close());
    const backend = createIngramBackend({ token: TOKEN, baseUrl: emulator.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: 'event-loop-test-secret-0123456789abcdef' } });
    const server = await serveDemo(
      createSupportHandler({ backend, basePath: API_BASE, rateLimit: false, newVisitorLimit: false, cookie: { secret: 'event-loop-test-secret-0123456789abcdef' } }),
    );
    closers.push(() => server.close());
    const { passed, all } = await probeHeavyTurns(server);
    t.diagnostic(all.join('\n'));
    assert.ok(passed, all.join('\n'));
  });
});
