import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener, type FetchHandler, type NodeListenerOptions } from './to-node-listener.js';

export interface ServeOptions extends NodeListenerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default `127.0.0.1` (loopback only); `0.0.0.0` or `::` to listen on every interface. */
  host?: string;
}

export interface ServeHandle {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  server: Server;
  /** Stops listening and closes open connections (including open streams). */
  close(): Promise<void>;
}

/** Serves a Fetch handler on `node:http`. */
export async function serve(handler: FetchHandler, options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(toNodeListener(handler, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
