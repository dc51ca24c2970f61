// Raw HTTP/1.1 over a TCP socket, for requests no HTTP client will send (a forged Host, a body
// trickled byte by byte, a connection left open).
import { connect, type Socket } from 'node:net';

export interface RawReply {
  /** Everything the server sent. */
  text: string;
  /** The status code of the first response, or 0 if none came. */
  status: number;
  /** The first response's body (after the blank line). */
  body: string;
  /** How long until the server closed the connection (or `timeoutMs`, then `closedByServer` is false). */
  elapsedMs: number;
  closedByServer: boolean;
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Opens a connection; resolves once connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Collects what `socket` receives until the server closes it or `timeoutMs` passes. */
export function collect(socket: Socket, timeoutMs: number): Promise<RawReply> {
  const start = Date.now();
  return new Promise((resolve) => {
    let text = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const at = text.indexOf('\r\n\r\n');
      const head = at < 0 ? text : text.slice(0, at);
      const raw = at < 0 ? '' : text.slice(at + 4);
      const body = /^transfer-encoding: chunked/im.test(head) ? dechunk(raw) : raw;
      resolve({ text, status, body, elapsedMs: Date.now() - start, closedByServer: !timedOut });
    });
  });
}

/** A chunked body's data (ASCII test bodies only: sizes count bytes, this counts characters). */
function dechunk(raw: string): string {
  let out = '';
  let rest = raw;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/** Sends `request` as is on a new connection and waits for the server to answer and close it. */
export async function rawRequest(port: number, request: string, timeoutMs = 5_000): Promise<RawReply> {
  const socket = await openSocket(port);
  const reply = collect(socket, timeoutMs);
  socket.write(request);
  return reply;
}

/** The JSON body of a non-chunked reply. */
export function jsonBody(reply: RawReply): unknown {
  return JSON.parse(reply.body);
}
