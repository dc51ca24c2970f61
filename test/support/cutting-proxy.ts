// An HTTP proxy for resume tests that cuts a response after a chosen number of body bytes: the
// browser's view of a dropped connection (a phone changing networks, a proxy timeout, a deploy).
// Body bytes are counted after HTTP decoding (chunked framing is not counted), so a test can cut
// exactly at an SSE frame boundary or in the middle of a frame. Requests pass through unchanged.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CuttingProxy {
  /** `http://127.0.0.1:PORT`: the target's paths, through the proxy. */
  url: string;
  /** The next proxied response whose path matches is cut after `bytes` body bytes (queued, in order). */
  cutNext(bytes: number, path?: RegExp): void;
  /** Requests seen, as `METHOD path`. */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const upstream = new URL(target);
  const cuts: { bytes: number; path: RegExp | undefined }[] = [];
  const seen: string[] = [];

  const takeCut = (path: string): number | undefined => {
    const i = cuts.findIndex((c) => !c.path || c.path.test(path));
    if (i < 0) return undefined;
    return cuts.splice(i, 1)[0]!.bytes;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    seen.push(`${req.method} ${path}`);
    const cut = takeCut(path);
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders();
      let left = cut ?? Infinity;
      answer.on('data', (chunk: Buffer) => {
        if (left <= 0) return;
        const part = chunk.length <= left ? chunk : chunk.subarray(0, left);
        left -= part.length;
        res.write(part);
        if (left <= 0) {
          // The bytes written so far reach the client, then the connection drops mid-body.
          res.once('drain', () => res.destroy());
          setTimeout(() => res.destroy(), 20);
          answer.destroy();
        }
      });
      answer.on('end', () => {
        if (left > 0) res.end();
      });
      answer.on('error', () => res.destroy());
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
    res.on('close', () => out.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cutNext: (bytes, path) => void cuts.push({ bytes, path }),
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
