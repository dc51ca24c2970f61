// Shared pieces for the core handler tests: a scripted backend that records what reached it, real
// file signatures, and a real HTTP server around the real handler.
import { request as httpRequest } from 'node:http';
import { createSupportHandler, type SupportHandlerOptions } from '../../../src/backends/core/index.js';
import type { ApprovalInput, RunInput, StoredFile, SupportBackend, TurnContext } from '../../../src/backends/core/index.js';
import { serve } from '../../../src/node/index.js';
import type { RunEvent } from '../../../src/protocol/types.js';

export const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export interface Recorded {
  runs: { input: RunInput; ctx: TurnContext }[];
  approvals: { input: ApprovalInput; ctx: TurnContext }[];
  cancels: { runId: string; ctx: TurnContext }[];
  sessions: TurnContext[];
  files: { fileId: string; ctx: TurnContext }[];
}

/** Events of a short, complete run that echoes the visitor's text. */
export async function* echoRun(input: RunInput): AsyncGenerator<RunEvent> {
  const run_id = 'run_1';
  yield { type: 'run.started', v: 1, run_id, thread_id: input.thread_id };
  const last = input.input[input.input.length - 1]!.content;
  const text = typeof last === 'string' ? last : last.map((p) => (p.type === 'text' ? p.text : `[${p.type}]`)).join(' ');
  yield { type: 'message.delta', v: 1, run_id, delta: 'You said: ' };
  yield { type: 'message.delta', v: 1, run_id, delta: text };
  yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' };
}

/** A backend whose every method records its call; `run` defaults to `echoRun`. */
export function scriptedBackend(overrides: Partial<SupportBackend> = {}): SupportBackend & { calls: Recorded } {
  const calls: Recorded = { runs: [], approvals: [], cancels: [], sessions: [], files: [] };
  const run = overrides.run ?? echoRun;
  return {
    calls,
    limits: overrides.limits,
    async session(ctx) {
      calls.sessions.push(ctx);
      return overrides.session ? overrides.session(ctx) : undefined;
    },
    run(input, ctx) {
      calls.runs.push({ input, ctx });
      return run(input, ctx);
    },
    approve(input, ctx) {
      calls.approvals.push({ input, ctx });
      if (overrides.approve) return overrides.approve(input, ctx);
      return (async function* (): AsyncGenerator<RunEvent> {
        yield { type: 'message.delta', v: 1, run_id: input.run_id, delta: `Decision: ${input.decision}` };
        yield { type: 'run.completed', v: 1, run_id: input.run_id, stop_reason: 'end_turn' };
      })();
    },
    async cancel(runId, ctx) {
      calls.cancels.push({ runId, ctx });
    },
    async getFile(fileId, ctx): Promise<StoredFile | null> {
      calls.files.push({ fileId, ctx });
      return overrides.getFile ? overrides.getFile(fileId, ctx) : null;
    },
  };
}

export interface RunningSupport {
  url: string;
  endpoint: string;
  close(): Promise<void>;
}

/** The real handler on a real HTTP server on 127.0.0.1, port 0, mounted at /api/support. */
export async function startSupport(options: SupportHandlerOptions): Promise<RunningSupport> {
  // Limits off unless a test asks for one: many tests mint fresh visitors from one address.
  const handler = createSupportHandler({ basePath: '/api/support', rateLimit: false, newVisitorLimit: false, cookie: { secret: SECRET }, ...options });
  const server = await serve(handler, { port: 0 });
  return { url: server.url, endpoint: `${server.url}/api/support`, close: () => server.close() };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: body.error.code, message: body.error.message };
}

/** Splits an SSE body into frames (the writer emits `event:` + one `data:` line per frame). */
export function parseFrames(text: string): { event?: string; data?: unknown; comment?: string }[] {
  return text
    .split('\n\n')
    .filter((f) => f !== '')
    .map((frame) => {
      if (frame.startsWith(':')) return { comment: frame.slice(1).trim() };
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      return { event, data: data === undefined ? undefined : (JSON.parse(data) as unknown) };
    });
}

// --- Real file signatures -------------------------------------------------------------------

const fromBase64 = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** A 1×1 PNG. */
export const PNG = fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==');
/** A 1×1 GIF. */
export const GIF = fromBase64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
/** The start of a JFIF JPEG. */
export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
/** A RIFF/WEBP container header with a VP8L chunk. */
export const WEBP = new Uint8Array([
  ...Buffer.from('RIFF'),
  0x1a,
  0,
  0,
  0,
  ...Buffer.from('WEBPVP8L'),
  0x0d,
  0,
  0,
  0,
  0x2f,
  0,
  0,
  0,
  0x10,
  0x07,
  0x10,
  0x11,
  0x11,
  0x88,
  0x88,
  0xfe,
  0x07,
  0x00,
]);
/** A minimal PDF. */
export const PDF = new Uint8Array(
  Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
);

export const SAMPLES: Record<string, Uint8Array> = {
  'image/png': PNG,
  'image/jpeg': JPEG,
  'image/gif': GIF,
  'image/webp': WEBP,
  'application/pdf': PDF,
};

export function dataUrl(mediaType: string, bytes: Uint8Array): string {
  return `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** A run body with one message of parts. */
export function turn(parts: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { thread_id: 'chat_test', input: [{ role: 'user', content: parts }], ...extra };
}

/** A fresh anonymous visitor's `Cookie` header value, from `POST /session`. */
export async function visitorCookie(endpoint: string): Promise<string> {
  const session = await fetch(`${endpoint}/session`, { method: 'POST' });
  await session.body?.cancel();
  return cookiePair(session.headers.getSetCookie()[0]!);
}

/** The `name=value` pair of a Set-Cookie header, for sending back as `Cookie`. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0]!;
}

/** A request over node:http, for headers fetch() will not let us set (Host). */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: string }> {
  return import('node:http').then(
    ({ request }) =>
      new Promise((resolve, reject) => {
        const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end(init.body);
      }),
  );
}

// --- Bodies sent slowly, to see when the server refuses them ------------------------------

/** What `sendUntilAnswered` saw when the server answered. */
export interface BodyAnswer {
  status: number;
  body: string;
  /** Bytes of the body written before the answer came. */
  sent: number;
  /** Whether the client had finished the body when the answer came. */
  ended: boolean;
}

/**
 * POSTs `prefix`, then `chunk` up to `maxChunks` times, then `suffix`, stopping as soon as the
 * server answers. With `contentLength` the body is declared that long (and never completed);
 * without it the body is chunked. Rejects if no answer comes within `timeoutMs`.
 */
export function sendUntilAnswered(
  url: string,
  parts: { prefix: string; chunk: Uint8Array; maxChunks: number; suffix: string; contentLength?: number },
  timeoutMs = 3000,
): Promise<BodyAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (parts.contentLength !== undefined) headers['content-length'] = String(parts.contentLength);
    let sent = 0;
    let ended = false;
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      answered = true;
      clearTimeout(timer);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode!, body, sent, ended });
        req.destroy();
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms (${sent} bytes sent, body ended: ${ended})`));
    }, timeoutMs);
    req.on('error', (err) => {
      if (!answered) {
        clearTimeout(timer);
        reject(err);
      }
    });
    req.write(parts.prefix);
    sent += Buffer.byteLength(parts.prefix);
    let count = 0;
    const tick = () => {
      if (answered || req.destroyed) return;
      if (count++ >= parts.maxChunks) {
        if (parts.contentLength === undefined) {
          ended = true;
          req.end(parts.suffix);
        }
        return;
      }
      sent += parts.chunk.byteLength;
      req.write(parts.chunk, () => setTimeout(tick, 2));
    };
    tick();
  });
}
