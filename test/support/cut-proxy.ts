// A proxy that breaks run streams on purpose, between the widget and a real resumable backend (the
// core handler with the local backend and its in-memory run log), for the widget's resume tests
// (test/widget/resume/). The plan and a per-test id are in the path:
//
//   /api/cut/<test-id>/<plan>/session, /runs, /runs/<run_id>/events, …   → the real handler
//   GET /api/cut/_stats/<test-id>        → what that test's widget asked for, and what it was sent
//   GET /api/cut/_runs/<thread-id>       → how many runs the backend started for that thread
//
// Plans (applied to the test's first run stream only; later ones, the resumes, pass untouched):
//   none   nothing is cut
//   b<N>   the connection is destroyed right after the N-th event frame
//   m<N>   the connection is destroyed in the middle of frame N+1 (half of it sent)
//   e<N>   the stream ends cleanly after the N-th frame, without its terminal event
//   all    every run stream is destroyed after 2 new frames (repeated resumes)
//   a<N>   the test's second run stream (an approval's continuation) is destroyed after N frames
//   short  like m2, against a handler whose run log expires 50 ms after its last event (410)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupportHandler, type SupportBackend, type SupportHandler } from '../../src/backends/core/index.js';
import type { SupportHandlerOptions } from '../../src/backends/core/handler-options.js';
import { toNodeListener, type NodeListener } from '../../src/node/index.js';

export interface CutStats {
  requests: { method: string; path: string; status: number; lastEventId: string | null; idempotencyKey: string | null }[];
  /** Event frames each run stream carried to the widget (before any cut). */
  frames: number[];
  cuts: number;
}

const stats = new Map<string, CutStats>();
const runsByThread = new Map<string, number>();
const BASE = '/api/cut';

function statsFor(id: string): CutStats {
  let entry = stats.get(id);
  if (!entry) stats.set(id, (entry = { requests: [], frames: [], cuts: 0 }));
  return entry;
}

type LocalBackendFactory = (options: { articlesDir: string; delayMs?: number; slowDelayMs?: number; filesDir?: string }) => SupportBackend;

/** The local backend, counting the runs it starts per thread: "the upstream saw exactly one run". */
async function countingBackend(): Promise<SupportBackend> {
  const { createLocalBackend } = (await import('../../src/backends/local/index.js')) as { createLocalBackend: LocalBackendFactory };
  const filesDir = mkdtempSync(join(tmpdir(), 'ic-support-chat-cut-files-'));
  // A few ms per word: the reply streams (so cuts land mid-reply) and a test stays short.
  const inner = createLocalBackend({ articlesDir: 'demo/help', delayMs: 4, slowDelayMs: 15, filesDir });
  return {
    ...inner,
    session: inner.session?.bind(inner),
    approve: inner.approve?.bind(inner),
    cancel: inner.cancel?.bind(inner),
    getFile: inner.getFile?.bind(inner),
    run(input, ctx) {
      runsByThread.set(input.thread_id, (runsByThread.get(input.thread_id) ?? 0) + 1);
      return inner.run(input, ctx);
    },
  } as SupportBackend;
}

async function handlers(): Promise<{ normal: SupportHandler; short: SupportHandler }> {
  const backend = await countingBackend();
  // Every widget of the test page is one visitor, several of them in flight at once: no run slots.
  const common = { backend, basePath: BASE, rateLimit: false as const, maxConcurrentRuns: false as const, cookie: { secret: 'web-test-runner-only-cookie-secret-0123456789' } };
  // The run log comes with the server half of issue 15 (a path, not a literal: it may not exist yet,
  // and then the `short` plan answers 503 rather than pretending to expire anything).
  const logModule = '../../src/backends/core/memory-run-log.js';
  const LogStore = ((await import(logModule).catch(() => ({}))) as { InMemoryRunLogStore?: new (limits: { ttlMs: number }) => unknown }).InMemoryRunLogStore;
  const unavailable = (() =>
    Promise.resolve(Response.json({ error: { code: 'unavailable', message: 'No run log store to expire.' } }, { status: 503 }))) as unknown as SupportHandler;
  // Expires 50 ms after the run's last event: a resume held back longer than the run lasts gets 410.
  const short = LogStore ? createSupportHandler({ ...common, stores: { runLog: new LogStore({ ttlMs: 50 }) } as SupportHandlerOptions['stores'] }) : unavailable;
  return { normal: createSupportHandler(common), short };
}

let made: Promise<{ normal: SupportHandler; short: SupportHandler }> | undefined;

const PLAN = /^(none|all|short|[abme]\d{1,3})$/;

async function proxy(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const rest = url.pathname.slice(BASE.length).split('/');
  if (rest[1] === '_stats') return Response.json(stats.get(rest[2] ?? '') ?? { requests: [], frames: [], cuts: 0 });
  if (rest[1] === '_runs') return Response.json({ runs: runsByThread.get(rest[2] ?? '') ?? 0 });
  const [, id = '', plan = ''] = rest;
  if (!id || !PLAN.test(plan)) return Response.json({ error: { code: 'not_found', message: 'Unknown cut plan.' } }, { status: 404 });
  made ??= handlers();
  const { normal, short } = await made;
  const target = new URL(`${BASE}/${rest.slice(3).join('/')}${url.search}`, url);
  const init: RequestInit = { method: request.method, headers: request.headers, signal: request.signal };
  if (request.method !== 'GET' && request.method !== 'HEAD') init.body = await request.arrayBuffer();
  // `short`: a resume waits until the run is over and its log expired.
  if (plan === 'short' && request.method === 'GET' && target.pathname.endsWith('/events')) await new Promise((resolve) => setTimeout(resolve, 1500));
  const response = await (plan === 'short' ? short : normal)(new Request(target, init));
  const entry = statsFor(id);
  entry.requests.push({
    method: request.method,
    path: target.pathname.slice(BASE.length),
    status: response.status,
    lastEventId: request.headers.get('last-event-id'),
    idempotencyKey: request.headers.get('idempotency-key'),
  });
  if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return response;
  entry.frames.push(0);
  const index = entry.frames.length - 1;
  const cut = cutPoint(plan, index);
  return new Response(
    cutStream(
      response.body,
      cut,
      (n) => (entry.frames[index] = n),
      () => entry.cuts++,
    ),
    { status: response.status, headers: response.headers },
  );
}

interface Cut {
  /** Frames passed whole before the cut. */
  after: number;
  how: 'destroy' | 'mid' | 'end';
}

function cutPoint(plan: string, stream: number): Cut | null {
  if (plan === 'all') return { after: 2, how: 'destroy' };
  if (plan[0] === 'a') return stream === 1 ? { after: Number(plan.slice(1)), how: 'destroy' } : null;
  if (stream !== 0 || plan === 'none') return null;
  if (plan === 'short') return { after: 2, how: 'mid' };
  const n = Number(plan.slice(1));
  return { after: n, how: plan[0] === 'b' ? 'destroy' : plan[0] === 'm' ? 'mid' : 'end' };
}

/**
 * The stream up to its cut: whole frames pass until `cut.after` event frames went through, then the
 * connection is destroyed (or half the next frame is sent first, or the stream just ends). Comment
 * frames (`: ping`) pass without counting. What is written before a destroy is given a moment to
 * reach the browser, so the cut lands where it says.
 */
function cutStream(body: ReadableStream<Uint8Array>, cut: Cut | null, counted: (frames: number) => void, onCut: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let buffer = '';
  let frames = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      const { value, done: ended } = await reader.read();
      if (ended) {
        if (buffer) controller.enqueue(encoder.encode(buffer));
        controller.close();
        done = true;
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      let out = '';
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        if (!/^(?:data|event|id):/m.test(frame)) {
          out += frame;
          continue;
        }
        if (cut && frames === cut.after) {
          if (cut.how === 'mid') out += frame.slice(0, Math.ceil(frame.length / 2));
          done = true;
          onCut();
          if (out) controller.enqueue(encoder.encode(out));
          await reader.cancel().catch(() => undefined);
          if (cut.how === 'end') controller.close();
          else {
            await new Promise((resolve) => setTimeout(resolve, 100));
            // Not an Error: the Node adapter then destroys the socket without an 'error' event to log.
            controller.error('cut by the test proxy');
          }
          return;
        }
        frames++;
        counted(frames);
        out += frame;
      }
      if (out) controller.enqueue(encoder.encode(out));
    },
    cancel(reason) {
      done = true;
      return reader.cancel(reason);
    },
  });
}

/** The proxy as a Node listener, for the test server's mounts. */
export const cutProxyListener: NodeListener = toNodeListener(proxy);
