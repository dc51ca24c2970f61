/**
 * The kit's side of the wire: a visitor with its own cookie jar that speaks protocol v1 to an
 * endpoint, in process (a Fetch handler) or over HTTP (a URL), and reads replies strictly enough to
 * say what is wrong with them.
 */
import { parseEventStream } from '../../protocol/sse-parser.js';
import { isRecord } from '../internal/helpers.js';

/** Sends one request to the endpoint under test. */
export type SendRequest = (request: Request) => Promise<Response>;

/** A failed expectation; its message is the check's report. */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
}

export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

/** One SSE event as the kit saw it: its name, its `id:` and its data object. */
export interface SeenEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Resolves with `promise`, or fails after `ms` saying what was being waited for. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConformanceError(`${what}: no answer within ${ms} ms.`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const short = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * A browser tab of one visitor: the cookies the endpoint set, sent back on every request, and the
 * headers that sign it in (`ConformanceOptions.signIn`), if any.
 */
export class ConformanceVisitor {
  readonly #cookies = new Map<string, string>();

  constructor(
    readonly endpoint: string,
    readonly send: SendRequest,
    readonly timeoutMs: number,
    readonly identity: Readonly<Record<string, string>> = {},
  ) {}

  /** A raw request to `endpoint + path`; `body` is JSON-encoded unless it is a string. */
  async request(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers({ ...this.identity, ...init.headers });
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    if (this.#cookies.size) headers.set('Cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const request = new Request(this.endpoint + path, {
      method: init.method ?? 'POST',
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      signal: init.signal,
    });
    const response = await within(this.send(request), this.timeoutMs, `${request.method} ${path}`);
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(';')[0]!;
      const eq = pair.indexOf('=');
      if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  }

  /** A JSON reply: status and parsed body (fails on a body that is not JSON). */
  async json(path: string, body?: unknown, method?: string): Promise<{ status: number; headers: Headers; body: unknown }> {
    const response = await this.request(path, { body, method });
    const text = await within(response.text(), this.timeoutMs, `the body of ${path}`);
    const type = response.headers.get('content-type') ?? '';
    expect(/^application\/([a-z.+-]+\+)?json\b/i.test(type), `${method ?? 'POST'} ${path} answered ${response.status} with Content-Type "${type}", not JSON: ${short(text)}`);
    try {
      return { status: response.status, headers: response.headers, body: text === '' ? null : (JSON.parse(text) as unknown) };
    } catch {
      throw new ConformanceError(`${method ?? 'POST'} ${path} answered ${response.status} with a body that is not JSON: ${short(text)}`);
    }
  }

  /** Any reply, its body parsed when it is JSON (`undefined` otherwise): for errors, which must be JSON. */
  async reply(path: string, body?: unknown, method?: string, headers?: Record<string, string>): Promise<Reply> {
    const response = await this.request(path, { body, method, ...(headers ? { headers } : {}) });
    const type = response.headers.get('content-type') ?? '';
    const text = await within(response.text(), this.timeoutMs, `the body of ${path}`);
    let parsed: unknown;
    if (/^application\/([a-z.+-]+\+)?json\b/i.test(type)) {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        parsed = undefined;
      }
    }
    return { status: response.status, type, body: parsed };
  }

  /** The events of an SSE reply, read to its end (fails unless it is 200 `text/event-stream`). */
  async events(response: Response, what: string, onEvent?: (event: SeenEvent) => void): Promise<SeenEvent[]> {
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !/^text\/event-stream\b/i.test(type)) {
      const text = await response.text().catch(() => '');
      throw new ConformanceError(`${what} answered ${response.status} "${type}", not a 200 text/event-stream: ${short(text)}`);
    }
    expect(response.body, `${what}: the event stream has no body.`);
    const body = response.body;
    const read = async () => {
      const seen: SeenEvent[] = [];
      for await (const message of parseEventStream(body)) {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          throw new ConformanceError(`${what}: the data of event "${message.event}" is not JSON: ${short(message.data)}`);
        }
        expect(isRecord(data), `${what}: the data of event "${message.event}" is not a JSON object.`);
        const event: SeenEvent = message.id === undefined ? { event: message.event, data } : { event: message.event, id: message.id, data };
        seen.push(event);
        onEvent?.(event);
      }
      return seen;
    };
    try {
      return await within(read(), this.timeoutMs, `${what} (the stream did not end)`);
    } catch (err) {
      body.cancel().catch(() => {});
      throw err;
    }
  }

  /** `POST /runs` with one user message, streamed. */
  async run(content: unknown, extra: Record<string, unknown> = {}, onEvent?: (event: SeenEvent) => void): Promise<SeenEvent[]> {
    const response = await this.request('/runs', { body: { thread_id: 'conformance', input: [{ role: 'user', content }], stream: true, ...extra } });
    return this.events(response, 'POST /runs', onEvent);
  }
}

/** A reply as `ConformanceVisitor.reply` read it. */
export interface Reply {
  status: number;
  /** Its Content-Type. */
  type: string;
  /** The parsed body when it was JSON, else `undefined`. */
  body: unknown;
}

/** Fails unless `reply` is the protocol's error JSON with this status and code. */
export function expectError(reply: Reply, status: number, code: string, what: string): void {
  const got = reply.body === undefined ? `${reply.status} (${reply.type || 'no Content-Type'}, not JSON)` : `${reply.status} ${short(JSON.stringify(reply.body))}`;
  expect(reply.status === status, `${what}: expected ${status} ${code}, got ${got}`);
  const error = isRecord(reply.body) ? reply.body['error'] : undefined;
  expect(
    isRecord(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string' && error['message'] !== '',
    `${what}: expected the error JSON {"error":{"code","message"}}, got ${got}`,
  );
  expect(error['code'] === code, `${what}: expected ${status} ${code}, got ${reply.status} ${String(error['code'])} ("${String(error['message'])}")`);
}
