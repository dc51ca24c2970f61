import { OutgoingMessage, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { eventFramesOf, type EventFrames } from '../protocol/server-fast-paths.js';
import { InvalidRequestError, requestUrl } from './request-url.js';

/**
 * Anything that answers a Fetch `Request`, e.g. `createSupportHandler(…)`. The second argument
 * carries the peer's address (the Fetch `Request` has none), for per-address limits.
 */
export type FetchHandler = (request: Request, info: { clientAddress?: string }) => Response | Promise<Response>;

/** A `node:http` request listener, also usable as Express/Connect middleware. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

export interface NodeListenerOptions {
  /**
   * Build the request URL from `X-Forwarded-Proto` / `X-Forwarded-Host` (still checked: `http` or
   * `https`, and `hostname[:port]`). Only enable it behind a proxy that sets (and overwrites) them.
   */
  trustProxy?: boolean;
}

/** Bytes of an abandoned request body read and thrown away before the connection is cut. */
const DRAIN_LIMIT = 1024 * 1024;

type MaybeExpressRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
    try {
      headers.append(name, raw[i + 1]!);
    } catch {
      // A header value the Fetch API refuses: leave it out rather than fail the request.
    }
  }
  return headers;
}

/**
 * The request body as a web stream that pulls from `req` (pausing it when the consumer is not
 * reading). Cancelling it stops reading without closing the socket, so the response (e.g. a 413)
 * can still be sent; what the client keeps sending is drained up to a limit, then the socket is cut.
 * A body cut short (the client left, or a timeout closed the connection) calls `onGone` first, so
 * the request's signal is already aborted when the reader sees the stream fail with its reason.
 */
function requestBody(req: IncomingMessage, signal: AbortSignal, onGone: () => void): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const cutShort = () => {
          if (done) return;
          done = true;
          onGone();
          controller.error(signal.reason);
        };
        req.on('data', (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on('end', () => {
          if (done) return;
          done = true;
          controller.close();
        });
        // Node reports a client gone mid-body as an 'error' (ECONNRESET "aborted") and/or a
        // 'close' without 'end': an expected event, not a server fault.
        req.on('error', cutShort);
        req.on('close', cutShort);
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        done = true;
        let drained = 0;
        req.on('data', (chunk: Buffer) => {
          drained += chunk.byteLength;
          if (drained > DRAIN_LIMIT) req.socket.destroy();
        });
        req.resume();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}

function bodyFromParsed(req: MaybeExpressRequest): string | Uint8Array | undefined {
  // A body parser (e.g. express.json()) mounted before us already consumed the stream.
  const body = req.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return body;
  return JSON.stringify(body);
}

const clientGone = () => new DOMException('The client closed the connection.', 'AbortError');

/**
 * Converts a `node:http` request into a Fetch `Request` whose signal aborts when the client leaves.
 * Throws `InvalidRequestError` for a Host (or trusted X-Forwarded-*) header that is not
 * `hostname[:port]` or a request target that is not a path.
 */
export function toRequest(req: MaybeExpressRequest, res: ServerResponse, options: NodeListenerOptions = {}): Request {
  const url = requestUrl(req, options);
  const controller = new AbortController();
  const gone = () => {
    if (!controller.signal.aborted) controller.abort(clientGone());
  };
  res.on('close', () => {
    if (!res.writableFinished) gone();
  });
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers: requestHeaders(req), signal: controller.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    if (req.readableEnded) {
      const parsed = bodyFromParsed(req);
      if (parsed !== undefined) init.body = parsed as NonNullable<RequestInit['body']>;
    } else {
      init.body = requestBody(req, controller.signal, gone);
      init.duplex = 'half';
    }
  }
  return new Request(url, init);
}

function waitForDrain(res: ServerResponse, writable: NodeJS.EventEmitter = res): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      writable.off('drain', done);
      res.off('close', done);
      resolve();
    };
    writable.on('drain', done);
    res.on('close', done);
  });
}

// Every response corked during this tick, uncorked together by ONE nextTick callback (a nextTick
// per chunk per stream costs more than the batching saves when events arrive one per tick).
let pendingUncorks: (() => void)[] = [];
function uncorkAll(): void {
  const batch = pendingUncorks;
  pendingUncorks = [];
  for (const uncork of batch) {
    try {
      uncork();
    } catch {
      // A socket that broke mid-flush is that response's problem (its own write fails); the others still go out.
    }
  }
}
function uncorkThisTick(uncork: () => void): void {
  if (pendingUncorks.push(uncork) === 1) process.nextTick(uncorkAll);
}

/** Corks `res` at its first write of a tick; the returned `uncork` flushes (idempotent). */
function tickCorker(res: ServerResponse): { cork(): void; uncork(): void } {
  // compression middleware buffers unless told to flush; SSE must not wait.
  const flush = (res as { flush?: () => void }).flush;
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    res.uncork();
    flush?.call(res);
  };
  return {
    cork() {
      if (corked) return;
      corked = true;
      res.cork();
      uncorkThisTick(uncork);
    },
    uncork,
  };
}

/**
 * How a stream's frames reach the socket. `res.write` of a chunked response queues four writes per
 * frame (size, CRLF, data, CRLF), each an object in the socket's buffer and all of them garbage a
 * moment later: at 10,000 frames a second that was a sixth of the proxy's allocations. A plain
 * `ServerResponse` attached to its socket, headers sent, gets each frame as ONE socket write with
 * its chunk framing; `res.end()` still writes the last chunk. Anything else (a body-writing
 * middleware such as compression, a response queued behind a pipelined one, HEAD) uses `res.write`.
 */
function frameWriter(res: ServerResponse): { write(frame: string): boolean; writable: NodeJS.EventEmitter } {
  const viaResponse = { write: (frame: string) => res.write(frame), writable: res };
  const socket: Socket | null = res.socket;
  if (!socket || res.write !== OutgoingMessage.prototype.write || res.req?.method === 'HEAD' || !res.headersSent) return viaResponse;
  // Node's own flag for a response it frames as chunks (HTTP/1.1 without a Content-Length); an
  // HTTP/1.0 response is delimited by the connection's close and written as it is.
  const chunked = (res as { chunkedEncoding?: unknown }).chunkedEncoding;
  if (typeof chunked !== 'boolean') return viaResponse;
  return {
    write: chunked ? (frame) => socket.write(`${Buffer.byteLength(frame).toString(16)}\r\n${frame}\r\n`) : (frame) => socket.write(frame),
    writable: socket,
  };
}

/** Writes a claimed event stream's frames; false if its body stream was taken first. */
async function writeFrames(frames: EventFrames, res: ServerResponse): Promise<boolean> {
  const corker = tickCorker(res);
  let writer: ReturnType<typeof frameWriter> | undefined;
  const sink = {
    write(frame: string): boolean {
      if (res.destroyed) return true;
      corker.cork();
      if (!writer) {
        // The headers go out with the first frame (the socket is corked until the tick ends).
        res.flushHeaders();
        writer = frameWriter(res);
      }
      return writer.write(frame);
    },
    close() {},
    drain(): Promise<void> {
      corker.uncork();
      return waitForDrain(res, writer?.writable);
    },
  };
  if (!frames.claim(sink)) return false;
  const onClose = () => {
    if (!res.writableFinished) frames.cancel();
  };
  res.on('close', onClose);
  try {
    await frames.pump();
    corker.uncork();
    if (res.destroyed) frames.cancel();
    else res.end();
  } catch (err) {
    corker.uncork();
    frames.cancel();
    res.destroy(err instanceof Error ? err : undefined);
  } finally {
    res.off('close', onClose);
  }
  return true;
}

/**
 * Writes a Fetch `Response` to `res`: each chunk as soon as it is produced (with backpressure), and
 * the response body cancelled if the client goes away first (which stops a streaming run).
 *
 * Chunks produced in the same tick (e.g. several SSE events parsed from one upstream read) go out
 * in one socket write: the socket is corked at the first and uncorked on `process.nextTick`, which
 * runs once the current microtasks have drained — so nothing waits for a later event, only for the
 * rest of this tick's. (A write per tiny chunk, each a syscall, is the proxy's largest cost.)
 */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length) res.setHeader('Set-Cookie', cookies);
  if (!response.body) {
    res.end();
    return;
  }
  // An event stream from createSupportHandler: its frames as strings, straight to the socket.
  const frames = eventFramesOf(response);
  if (frames && (await writeFrames(frames, res))) return;
  const reader = response.body.getReader();
  const onClose = () => {
    if (!res.writableFinished) reader.cancel().catch(() => {});
  };
  res.on('close', onClose);
  const corker = tickCorker(res);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      corker.cork();
      if (!res.write(value)) {
        corker.uncork();
        await waitForDrain(res);
      }
    }
    corker.uncork();
    if (!res.destroyed) res.end();
  } catch (err) {
    corker.uncork();
    reader.cancel(err).catch(() => {});
    res.destroy(err instanceof Error ? err : undefined);
  } finally {
    res.off('close', onClose);
  }
}

/**
 * Adapts a Fetch handler to `node:http` and Express: `http.createServer(toNodeListener(h))` or
 * `app.use('/api/support', toNodeListener(h))` (mount it before any body parser).
 */
export function toNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}): NodeListener {
  return (req, res) => {
    void (async () => {
      let request: Request;
      try {
        request = toRequest(req, res, options);
      } catch (err) {
        const message = err instanceof InvalidRequestError ? err.message : 'Malformed request.';
        res.statusCode = 400;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.end(JSON.stringify({ error: { code: 'invalid_request', message } }));
        return;
      }
      let response: Response;
      try {
        response = await handler(request, req.socket.remoteAddress === undefined ? {} : { clientAddress: req.socket.remoteAddress });
      } catch (err) {
        // A handler that fails because the client left (e.g. reading an aborted upload) did nothing wrong.
        if (!request.signal.aborted) console.error('[ic-support-chat/node] handler failed:', err);
        if (!res.headersSent && !res.destroyed) {
          res.statusCode = 500;
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.end(JSON.stringify({ error: { code: 'internal_error', message: 'Something went wrong on the server.' } }));
        } else res.destroy();
        return;
      }
      await writeResponse(response, res);
    })();
  };
}
