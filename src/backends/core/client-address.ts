/** What a server adapter knows about the connection that the Fetch `Request` does not carry. */
export interface ConnectionInfo {
  /** The peer's IP address (e.g. Node's `socket.remoteAddress`, Deno's `info.remoteAddr.hostname`). */
  clientAddress?: string;
}

/** How the core learns a request's client address, for the per-address limits. */
export interface ClientAddressOptions {
  /**
   * Read the client address from `X-Forwarded-For`. `true` trusts one proxy (the right-most entry
   * is the client as that proxy saw it); a number trusts that many hops. Off by default: without a
   * proxy that overwrites the header, a client would choose its own address and escape every limit.
   */
  trustProxy?: boolean | number;
  /** Your own rule (e.g. `request.headers.get('cf-connecting-ip')` on Cloudflare); wins over the above. */
  clientAddress?: (request: Request) => string | null | undefined;
}

const MAX_ADDRESS_LENGTH = 64;

/** An IPv4-mapped IPv6 address names the IPv4 peer: one client, one key. */
function normalise(address: string): string | null {
  let a = address.trim().toLowerCase();
  if (a.startsWith('[') && a.includes(']')) a = a.slice(1, a.indexOf(']'));
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice(7);
  if (a === '' || a.length > MAX_ADDRESS_LENGTH || !/^[0-9a-f.:]+$/.test(a)) return null;
  return a;
}

/**
 * The client's address for rate limiting, or `null` when nothing trustworthy tells it (then only
 * the per-visitor limits apply).
 */
export function clientAddressOf(request: Request, info: ConnectionInfo | undefined, options: ClientAddressOptions): string | null {
  if (options.clientAddress) {
    const own = options.clientAddress(request);
    return own ? normalise(own) : null;
  }
  const hops = options.trustProxy === true ? 1 : typeof options.trustProxy === 'number' ? Math.max(0, Math.floor(options.trustProxy)) : 0;
  if (hops > 0) {
    const forwarded = request.headers.get('x-forwarded-for');
    if (forwarded) {
      const chain = forwarded.split(',');
      // Each trusted proxy appended the address it saw: the client is `hops` from the right.
      const entry = chain[Math.max(0, chain.length - hops)];
      const address = entry === undefined ? null : normalise(entry);
      if (address) return address;
    }
  }
  return info?.clientAddress ? normalise(info.clientAddress) : null;
}
