import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener, type FetchHandler, type NodeListenerOptions } from './to-node-listener.js';

export interface ServeOptions extends NodeListenerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default `127.0.0.1` (loopback only); `0.0.0.0` or `::` to listen on every interface. */
  host?: string;
  /**
   * Longest wait for a request's headers, from the first byte (a client that trickles them holds
   * a connection: slowloris). Default 10 000 ms; 0 turns it off. At most `requestTimeoutMs`.
   */
  headersTimeoutMs?: number;
  /**
   * Longest time to receive a whole request, headers and body (a slow upload is cut with 408).
   * It bounds only what the client sends: a reply streamed for minutes is not affected. Default
   * 60 000 ms; raise it if visitors upload large attachments over slow links; 0 turns it off.
   */
  requestTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open. Default 5 000 ms. Behind a load balancer
   * that reuses connections, set it above the balancer's own idle timeout.
   */
  keepAliveTimeoutMs?: number;
  /**
   * Open connections at most; a connection past it is closed at once, before any request is read.
   * Default 10 000 (each open stream is one connection; keep it below the process's file limit).
   */
  maxConnections?: number;
}

export interface CloseOptions {
  /**
   * How long open replies may go on (default 0). A handler with `drain` (such as
   * `createSupportHandler`'s) refuses new runs with 503 and ends the replies still open at the
   * end with `run.failed` (`unavailable`); any other open response is cut then.
   */
  graceMs?: number;
}

export interface ServeHandle {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  server: Server;
  /**
   * Stops listening at once, lets open replies finish for up to `graceMs` (draining the handler,
   * if it can be drained), then closes every connection. Resolves once the server is closed.
   * Calling it again returns the same promise.
   */
  close(options?: CloseOptions): Promise<void>;
}

export const DEFAULT_SERVE_LIMITS = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
});

/** After a drain has ended its replies, time for their last bytes to leave before sockets are cut. */
const FLUSH_MS = 1_000;

type DrainableHandler = FetchHandler & { drain?: (graceMs?: number) => Promise<void> };

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`serve(): ${name} must be a number ≥ 0, got ${value}`);
  return value;
}

function limitsOf(options: ServeOptions) {
  const d = DEFAULT_SERVE_LIMITS;
  const requestTimeout = nonNegative('requestTimeoutMs', options.requestTimeoutMs, d.requestTimeoutMs);
  // Node refuses headersTimeout > requestTimeout; a shorter request timeout shortens the default.
  const headersDefault = requestTimeout > 0 ? Math.min(d.headersTimeoutMs, requestTimeout) : d.headersTimeoutMs;
  const headersTimeout = nonNegative('headersTimeoutMs', options.headersTimeoutMs, headersDefault);
  if (requestTimeout > 0 && (headersTimeout === 0 || headersTimeout > requestTimeout)) {
    throw new RangeError(`serve(): headersTimeoutMs (${headersTimeout}) must be between 1 and requestTimeoutMs (${requestTimeout})`);
  }
  const keepAliveTimeout = nonNegative('keepAliveTimeoutMs', options.keepAliveTimeoutMs, d.keepAliveTimeoutMs);
  const maxConnections = nonNegative('maxConnections', options.maxConnections, d.maxConnections);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new RangeError(`serve(): maxConnections must be an integer ≥ 1, got ${maxConnections}`);
  // Node checks the two timeouts on this period (default 30 s, far coarser than a 10 s timeout).
  const shortest = Math.min(...[headersTimeout, requestTimeout].filter((t) => t > 0), 4_000);
  const connectionsCheckingInterval = Math.max(50, Math.floor(shortest / 4));
  return { requestTimeout, headersTimeout, keepAliveTimeout, maxConnections, connectionsCheckingInterval };
}

/** Serves a Fetch handler on `node:http`, with timeouts and a connection cap (see `ServeOptions`). */
export async function serve(handler: FetchHandler, options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  const limits = limitsOf(options);
  const listener = toNodeListener(handler, options);
  const open = new Set<ServerResponse>();
  let closing = false;
  let onIdle: (() => void) | undefined;

  const server = createServer(
    {
      requestTimeout: limits.requestTimeout,
      headersTimeout: limits.headersTimeout,
      keepAliveTimeout: limits.keepAliveTimeout,
      connectionsCheckingInterval: limits.connectionsCheckingInterval,
    },
    (req, res) => {
      // While closing, each response says `Connection: close` so its socket ends with it.
      if (closing) res.shouldKeepAlive = false;
      open.add(res);
      res.once('close', () => {
        open.delete(res);
        if (!closing) return;
        // A reply that began before close() was keep-alive: its socket is idle now, so close it.
        setImmediate(() => server.closeIdleConnections());
        if (open.size === 0) onIdle?.();
      });
      listener(req, res);
    },
  );
  server.maxConnections = limits.maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  async function shutDown(graceMs: number): Promise<void> {
    closing = true;
    // Stops accepting connections (and closes the idle keep-alive ones); resolves once all are gone.
    const stopped = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    // Awaited below, after the grace: marked handled now so an early failure is not an unhandled rejection.
    stopped.catch(() => {});
    const drain = (handler as DrainableHandler).drain;
    const allDone = Promise.all([
      typeof drain === 'function' ? drain.call(handler, graceMs) : undefined,
      open.size === 0 ? undefined : new Promise<void>((resolve) => (onIdle = resolve)),
    ]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = graceMs + (typeof drain === 'function' ? FLUSH_MS : 0);
    await Promise.race([allDone.catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, bound)))]);
    clearTimeout(timer);
    server.closeAllConnections();
    await stopped;
  }

  return {
    url: `http://${shown}:${port}`,
    server,
    close(closeOptions: CloseOptions = {}) {
      const graceMs = closeOptions.graceMs ?? 0;
      if (!Number.isFinite(graceMs) || graceMs < 0) return Promise.reject(new RangeError(`close(): graceMs must be a number ≥ 0, got ${graceMs}`));
      return (closed ??= shutDown(graceMs));
    },
  };
}
