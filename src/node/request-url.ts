import { isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** A request the adapter refuses before the handler sees it (answered 400 `invalid_request`). */
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

type MaybeExpressRequest = IncomingMessage & { originalUrl?: string };

// One DNS label (underscores allowed: Docker and Compose service names have them).
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;
const DECIMAL_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const PORT = /^\d{1,5}$/;

function validPort(port: string): boolean {
  if (!PORT.test(port)) return false;
  const n = Number(port);
  return n >= 1 && n <= 65535;
}

/**
 * A name the URL parser reads as an IPv4 address (its last label is numeric, which no DNS TLD is)
 * must be a plain dotted quad: `0x7f.1`, `017.0.0.1` or `2130706433` would silently become another
 * address.
 */
function validName(name: string): boolean {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length === 0 || bare.length > 253) return false;
  const labels = bare.split('.');
  if (!labels.every((label) => LABEL.test(label))) return false;
  const last = labels[labels.length - 1]!;
  if (/^(?:\d+|0x[0-9a-f]*)$/i.test(last)) {
    return labels.length === 4 && labels.every((o) => DECIMAL_OCTET.test(o) && Number(o) <= 255) && bare === name;
  }
  return true;
}

/**
 * `value` if it is `hostname[:port]` (a DNS name, a dotted-quad IPv4 address or a bracketed IPv6
 * address; port 1–65535), otherwise `null`. Anything else (a `/`, `?`, `#`, `@`, `\`, spaces…)
 * would let the header rewrite the path or the authority of the URL the handler routes on.
 */
export function validHost(value: string): string | null {
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return null;
    const address = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (!isIPv6(address) || address.includes('%')) return null;
    if (rest !== '' && !(rest.startsWith(':') && validPort(rest.slice(1)))) return null;
    return value;
  }
  const colon = value.lastIndexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  if (colon >= 0 && !validPort(value.slice(colon + 1))) return null;
  return validName(name) ? value : null;
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim() || undefined;
}

/** The path and query of the request line: origin-form as is, absolute-form reduced to its path. */
function requestTarget(req: MaybeExpressRequest): string {
  // Express strips the mount path from req.url; originalUrl keeps it, so basePath routing still works.
  const target = req.originalUrl ?? req.url ?? '/';
  if (target.startsWith('/')) return target;
  if (/^https?:\/\//i.test(target)) {
    // RFC 9112 §3.2.2 lets a client send the full URL; only its path and query are used (the
    // authority still comes from the validated Host).
    try {
      const url = new URL(target);
      return url.pathname + url.search;
    } catch {
      // fall through: refused below
    }
  }
  throw new InvalidRequestError('The request target must be a path.');
}

/**
 * The URL the Fetch handler sees. The authority comes from `Host` (or, with `trustProxy`,
 * `X-Forwarded-Host`), accepted only as `hostname[:port]`; the path and query come from the
 * request line alone. Throws `InvalidRequestError` for anything else.
 */
export function requestUrl(req: MaybeExpressRequest, options: { trustProxy?: boolean }): URL {
  const encrypted = (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
  let proto = encrypted ? 'https' : 'http';
  let host = req.headers.host;
  if (options.trustProxy) {
    const forwardedProto = firstValue(req.headers['x-forwarded-proto']);
    if (forwardedProto !== undefined) {
      const lower = forwardedProto.toLowerCase();
      if (lower !== 'http' && lower !== 'https') throw new InvalidRequestError('X-Forwarded-Proto must be http or https.');
      proto = lower;
    }
    const forwardedHost = firstValue(req.headers['x-forwarded-host']);
    if (forwardedHost !== undefined) {
      if (validHost(forwardedHost) === null) throw new InvalidRequestError('X-Forwarded-Host must be hostname[:port].');
      host = forwardedHost;
    }
  }
  if (host === undefined || host === '') {
    // Only HTTP/1.0 may omit Host (Node refuses an HTTP/1.1 request without one).
    host = 'localhost';
  } else if (validHost(host) === null) {
    throw new InvalidRequestError('The Host header must be hostname[:port].');
  }
  // Safe to concatenate: the host has no `/ ? # @ \`, and the target starts with `/`.
  return new URL(`${proto}://${host}${requestTarget(req)}`);
}
