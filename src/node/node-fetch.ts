import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { offerBodyChunks, type BodyChunkReader, type BodyChunkSink, type BodyChunkSource } from '../protocol/server-fast-paths.js';

// The fast path's contract (BODY_CHUNKS and its reader) is shared with the backends that read it.
export { BODY_CHUNKS, type BodyChunkReader, type BodyChunkSink, type BodyChunkSource } from '../protocol/server-fast-paths.js';

export interface NodeFetchOptions {
  /** Keep connections open between requests (default true): no TCP/TLS set-up per run. */
  keepAlive?: boolean;
  /** Sockets per origin at most (default Infinity: one per concurrent stream). */
  maxSockets?: number;
  /** Idle sockets kept per origin (default 256). */
  maxFreeSockets?: number;
  /** TCP keep-alive probe delay for idle sockets (default 1000 ms). */
  keepAliveMsecs?: number;
  /** Chunks buffered per response before the socket is paused (default 16). */
  highWaterMark?: number;
}

/** A `fetch` over `node:http`/`node:https`; `close()` destroys the pooled sockets. */
export type NodeFetch = ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) & {
  close(): void;
};

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
// Spelled from the global reader: `ReadableStreamReadResult` and `BodyInit` are global only with the DOM lib.
type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
const DONE: ReadResult = Object.freeze({ done: true, value: undefined });

/**
 * A `fetch`-compatible function on `node:http`/`node:https` with a keep-alive agent, for a server
 * proxying many streams (the Ingram backend's `fetch` option). Node's built-in fetch passes every
 * chunk through a Node stream, its async iterator and a web stream; here the body is a plain
 * `ReadableStream` fed by `'data'` events (pausing the socket when it is full), and a reader that
 * knows `BODY_CHUNKS` skips even that.
 *
 * Differences from `fetch`: redirects are never followed (the 3xx response is returned;
 * `redirect: 'error'` rejects), no cookies, cache or CORS; bodies that are not a string or bytes
 * are read into memory first. Network failures reject with a `TypeError` (cause: the Node error);
 * `signal` aborts the request or the body being read, with `signal.reason`.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agentOptions = {
    keepAlive: options.keepAlive ?? true,
    maxSockets: options.maxSockets ?? Infinity,
    maxFreeSockets: options.maxFreeSockets ?? 256,
    keepAliveMsecs: options.keepAliveMsecs ?? 1000,
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const highWaterMark = Math.max(1, options.highWaterMark ?? 16);

  const nodeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input instanceof URL ? input.href : String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const signal = init.signal ?? request?.signal ?? undefined;
    const headers = new Headers(init.headers ?? request?.headers);
    const redirect = init.redirect ?? request?.redirect ?? 'follow';
    let body = await bodyBytes(init.body !== undefined ? init.body : request && request.body ? await request.arrayBuffer() : null, headers);
    if (body === null && (method === 'POST' || method === 'PUT' || method === 'PATCH')) body = new Uint8Array(0);
    if (body !== null && (method === 'GET' || method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.');
    if (body !== null && !headers.has('content-length')) headers.set('content-length', String(body.byteLength));
    if (!headers.has('accept')) headers.set('accept', '*/*');
    signal?.throwIfAborted();

    const outgoing: Record<string, string> = {};
    headers.forEach((value, name) => (outgoing[name] = value));
    const secure = url.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(url, { method, headers: outgoing, agent: secure ? httpsAgent : httpAgent });

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      };
      const onAbort = () => {
        fail(signal!.reason);
        req.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => fail(new TypeError('fetch failed', { cause: err })));
      req.on('response', (res) => {
        if (settled) {
          res.destroy();
          return;
        }
        const status = res.statusCode ?? 0;
        if (redirect === 'error' && status >= 300 && status < 400 && res.headers.location) {
          res.destroy();
          fail(new TypeError('fetch failed: unexpected redirect'));
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        const nullBody = method === 'HEAD' || NULL_BODY_STATUS.has(status);
        if (nullBody) res.resume();
        let response: Response;
        try {
          const stream = nullBody ? null : bodyStream(req, res, signal, highWaterMark);
          response = new Response(stream, { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res) });
        } catch (err) {
          res.destroy();
          reject(new TypeError('fetch failed', { cause: err }));
          return;
        }
        Object.defineProperty(response, 'url', { value: url.href });
        resolve(response);
      });
      req.end(body ?? undefined);
    });
  };
  return Object.assign(nodeFetch, {
    close(): void {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

async function bodyBytes(body: RequestInit['body'], headers: Headers): Promise<Uint8Array | null> {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    return Buffer.from(body, 'utf8');
  }
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  // FormData, Blob, URLSearchParams, a stream: let Response encode it (and name its type).
  const wrapped = new Response(body);
  const type = wrapped.headers.get('content-type');
  if (type && !headers.has('content-type')) headers.set('content-type', type);
  return new Uint8Array(await wrapped.arrayBuffer());
}

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

function decoded(res: IncomingMessage): Readable {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (!decoder) return res;
  return pipeline(res, decoder, () => undefined);
}

interface ChunkSink {
  chunk(chunk: Buffer): void;
  end(): void;
  error(err: unknown): void;
}

/**
 * The body as a web stream fed by `'data'` events, plus the `BODY_CHUNKS` fast path. Nothing reads
 * the socket until one of the two asks; the first to ask owns it. A body cut short (the socket
 * closed before its end) fails with `TypeError('terminated')`, as with fetch; an abort with the
 * signal's reason.
 */
function bodyStream(req: ClientRequest, res: IncomingMessage, signal: AbortSignal | undefined, highWaterMark: number): ReadableStream<Uint8Array> {
  const source = decoded(res);
  let owner: 'stream' | 'chunks' | undefined;
  let sink: ChunkSink | undefined;
  let over = false;
  let ended = false;
  let failure: unknown;
  const fail = (err: unknown) => {
    if (over) return;
    over = true;
    failure = err;
    signal?.removeEventListener('abort', onAbort);
    source.destroy();
    res.destroy();
    req.destroy();
    sink?.error(err);
  };
  /**
   * The reader is done with the body. If the whole response has already arrived (an upstream run's
   * terminal event and the end of the body usually come in one packet), let it end by itself so
   * the socket goes back to the keep-alive pool; otherwise cut the connection.
   */
  const cancel = () => {
    if (over) return;
    if (res.complete) {
      sink = undefined;
      source.removeAllListeners('data');
      source.resume();
      return;
    }
    fail(new TypeError('The body was cancelled.'));
  };
  const onAbort = () => fail(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  // Listened to from the start, so a close before anyone reads is not missed.
  source.on('end', () => {
    if (over) return;
    over = true;
    ended = true;
    signal?.removeEventListener('abort', onAbort);
    sink?.end();
  });
  source.on('error', (err) => fail(new TypeError('terminated', { cause: err })));
  source.on('close', () => fail(new TypeError('terminated')));
  const listen = (s: ChunkSink) => {
    sink = s;
    if (over) {
      if (ended) s.end();
      else s.error(failure);
      return;
    }
    source.on('data', s.chunk);
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        // Runs when a read waits on an empty queue (highWaterMark 0): the first read takes the
        // socket; later ones resume it if it was paused.
        if (owner === 'stream') {
          if (source.isPaused()) source.resume();
          return;
        }
        if (owner === 'chunks') {
          controller.error(new TypeError('The body is being read through BODY_CHUNKS.'));
          return;
        }
        owner = 'stream';
        listen({
          chunk(chunk) {
            controller.enqueue(chunk);
            // desiredSize is minus the chunks waiting: pause once `highWaterMark` of them wait.
            if ((controller.desiredSize ?? 0) <= -highWaterMark) source.pause();
          },
          end: () => controller.close(),
          error: (err) => controller.error(err),
        });
      },
      cancel() {
        cancel();
      },
    },
    new CountQueuingStrategy({ highWaterMark: 0 }),
  );

  const chunks: BodyChunkSource = {
    claim() {
      if (owner) return undefined;
      owner = 'chunks';
      return new ChunkReader(source, listen, cancel, highWaterMark);
    },
  };
  offerBodyChunks(stream, chunks);
  return stream;
}

/** The body's chunks as `read()` results, without a web stream: one queue, pause/resume backpressure. */
class ChunkReader implements BodyChunkReader {
  readonly #source: Readable;
  readonly #cancel: () => void;
  readonly #highWaterMark: number;
  #queue: Buffer[] = [];
  #head = 0;
  #waiting: { resolve: (r: ReadResult) => void; reject: (err: unknown) => void } | undefined;
  #ended = false;
  #error: unknown;
  #failed = false;
  #pushTo: BodyChunkSink | undefined;

  constructor(source: Readable, listen: (sink: ChunkSink) => void, cancel: () => void, highWaterMark: number) {
    this.#source = source;
    this.#cancel = cancel;
    this.#highWaterMark = highWaterMark;
    listen({
      chunk: (chunk) => {
        const pushTo = this.#pushTo;
        if (pushTo) {
          pushTo.chunk(chunk);
          return;
        }
        const waiting = this.#waiting;
        if (waiting) {
          this.#waiting = undefined;
          waiting.resolve({ done: false, value: chunk });
          return;
        }
        this.#queue.push(chunk);
        if (this.#queue.length - this.#head >= this.#highWaterMark) source.pause();
      },
      end: () => {
        this.#ended = true;
        const pushTo = this.#pushTo;
        this.#pushTo = undefined;
        pushTo?.end();
        const waiting = this.#waiting;
        this.#waiting = undefined;
        waiting?.resolve(DONE);
      },
      error: (err) => {
        this.#failed = true;
        this.#error = err;
        const pushTo = this.#pushTo;
        this.#pushTo = undefined;
        pushTo?.error(err);
        const waiting = this.#waiting;
        this.#waiting = undefined;
        waiting?.reject(err);
      },
    });
  }

  read(): Promise<ReadResult> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as never;
      if (this.#head === this.#queue.length) {
        this.#queue.length = 0;
        this.#head = 0;
        if (this.#source.isPaused() && !this.#ended && !this.#failed) this.#source.resume();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#failed) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  push(sink: BodyChunkSink): boolean {
    if (this.#waiting || this.#pushTo) return false;
    this.#pushTo = sink;
    const queued = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    queueMicrotask(() => {
      for (const chunk of queued) {
        if (this.#pushTo !== sink) return;
        sink.chunk(chunk);
      }
      if (this.#pushTo !== sink) return;
      if (this.#failed) {
        this.#pushTo = undefined;
        sink.error(this.#error);
      } else if (this.#ended) {
        this.#pushTo = undefined;
        sink.end();
      } else if (this.#source.isPaused()) this.#source.resume();
    });
    return true;
  }

  cancel(): Promise<void> {
    this.#pushTo = undefined;
    this.#queue.length = 0;
    this.#head = 0;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (!this.#ended && !this.#failed) {
      this.#failed = true;
      this.#error = new TypeError('The body was cancelled.');
      this.#cancel();
    }
    waiting?.resolve(DONE);
    return Promise.resolve();
  }

  releaseLock(): void {
    // Nothing to release: the reader owns the body for good.
  }
}
