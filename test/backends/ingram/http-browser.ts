// A "browser" for the Ingram tests over real HTTP: a cookie jar, an optional signed-in user (sent
// as a header the test's identify() reads), and the SSE frames of a reply. Also an upstream
// transport that records each call before passing it to the real fetch.
import { createSupportHandler, type SupportHandlerOptions } from '../../../src/backends/core/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';

export const SECRET = 'ingram-test-cookie-secret-0123456789abcdef';
export const BASE = '/api/support';

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export class Browser {
  cookie: string | null = null;
  user: { id: string; name?: string } | null = null;
  /** @param received Every header and body received is pushed here, for token scans (may be shared). */
  constructor(
    readonly origin: string,
    readonly received: string[] = [],
  ) {}

  async request(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.cookie) headers['Cookie'] = this.cookie;
    if (this.user) headers['X-Test-User'] = JSON.stringify(this.user);
    const res = await fetch(this.origin + BASE + path, {
      method: init.method ?? 'POST',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
    for (const [k, v] of res.headers) this.received.push(`${k}: ${v}`);
    for (const c of res.headers.getSetCookie()) this.cookie = c.split(';')[0]!;
    return res;
  }

  async json(path: string, body?: unknown, method?: string): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
    const res = await this.request(path, { body, method });
    const text = await res.text();
    this.received.push(text);
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async run(thread_id: string, content: unknown, extra: Record<string, unknown> = {}): Promise<SseEvent[]> {
    const res = await this.request('/runs', { body: { thread_id, input: [{ role: 'user', content }], stream: true, ...extra } });
    const text = await res.text();
    this.received.push(text);
    if (res.status !== 200) throw new Error(`POST /runs answered ${res.status}: ${text}`);
    return parseSse(text);
  }

  /** The anonymous token in the cookie jar. */
  get token(): string {
    return this.cookie!.split('=')[1]!.split('.')[0]!;
  }
}

export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((f) => f.includes('event: '))
    .map((frame) => ({
      event: /^event: (.*)$/m.exec(frame)![1]!,
      data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as Record<string, unknown>,
    }));
}

export const replyText = (events: SseEvent[]) =>
  events
    .filter((e) => e.event === 'message.delta')
    .map((e) => e.data['delta'])
    .join('');

/** The real fetch, with each upstream call noted as `METHOD /path`. */
export function recordingFetch(calls: string[]): typeof globalThis.fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(`${init?.method ?? (input instanceof Request ? input.method : 'GET')} ${url.pathname}`);
    return fetch(input, init);
  };
}

/** Upstream writes among recorded calls (anything but GET). */
export const writes = (calls: string[]) => calls.filter((c) => !c.startsWith('GET '));

/** The real handler on 127.0.0.1, with the test's identify() (header X-Test-User). */
export function serveHandler(options: Omit<SupportHandlerOptions, 'identify'>): Promise<ServeHandle> {
  return serve(
    createSupportHandler({
      basePath: BASE,
      cookie: { secret: SECRET },
      rateLimit: false,
      newVisitorLimit: false,
      identify: (request) => {
        const raw = request.headers.get('x-test-user');
        if (!raw) return null;
        const u = JSON.parse(raw) as { id: string; name?: string };
        return { user_id: u.id, ...(u.name ? { display_name: u.name } : {}) };
      },
      ...options,
    }),
    { port: 0 },
  );
}
