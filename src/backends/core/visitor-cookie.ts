import { decodeBase64Url, encodeBase64Url } from './base64.js';
import { SupportError } from './support-error.js';

export type CookieSecret = string | Uint8Array;

export interface VisitorCookieOptions {
  /** Base name; `__Host-` is prefixed whenever the cookie is Secure (blocks subdomain cookie tossing). Default `ic_visitor`. */
  name?: string;
  /**
   * HMAC-SHA256 key(s) that sign the token. The first signs; all verify (for rotation).
   * Default: random per process, so anonymous visitors lose their identity on restart.
   */
  secret?: CookieSecret | CookieSecret[];
  /**
   * Force `Secure` on or off. Default on, except for plain http to localhost (browsers keep a
   * non-Secure cookie only there). Behind a TLS-terminating proxy, let the adapter see
   * `X-Forwarded-Proto` (`trustProxy`) rather than turning this off.
   */
  secure?: boolean;
  /** Default 400 days (the most browsers keep). */
  maxAgeSeconds?: number;
  /** Default `Lax`. `None` (cross-site embedding) requires Secure. */
  sameSite?: 'Lax' | 'Strict' | 'None';
}

/** 32 random bytes, base64url: 256 bits, well above the 128 the design asks for. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const DEFAULT_MAX_AGE = 400 * 24 * 60 * 60;
/**
 * Cookie values whose signature this instance has checked (or made), remembered so a visitor's
 * next requests skip the HMAC (a Web Crypto job per request, a visible share of starting a run).
 * Only exact values that verified are kept, so a hit proves what a check would; the oldest go first.
 */
const VERIFIED_CACHE_SIZE = 10_000;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

let processSecret: Uint8Array | undefined;
function randomProcessSecret(): Uint8Array {
  if (!processSecret) {
    processSecret = crypto.getRandomValues(new Uint8Array(32));
    console.warn(
      '[ic-support-chat] No cookie.secret given: anonymous visitor cookies are signed with a random key ' +
        'that changes on every restart (visitors lose their conversations). Set cookie.secret in production.',
    );
  }
  return processSecret;
}

/**
 * Thrown by a backend when an anonymous identity must not be used any more (its conversation was
 * claimed by an account, and the visitor logged out). A 401 `unauthenticated` like any other, except
 * on `POST /session`, where the handler mints a fresh anonymous cookie and asks the backend again:
 * an HttpOnly cookie the page cannot clear would otherwise lock the visitor out for good.
 */
export class RetiredVisitorError extends SupportError {
  constructor(message = 'This conversation is no longer available. Reload to start a new one.') {
    super('unauthenticated', message);
    this.name = 'RetiredVisitorError';
  }
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for loopback hosts, where browsers treat plain http as secure enough and `Secure` would break cookies. */
export function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

/**
 * The anonymous visitor's identity: a random token in an HttpOnly cookie, signed (`token.sig`) so
 * only tokens this server minted are accepted. A missing, malformed or forged cookie yields no
 * identity; the handler then mints a fresh one, never reusing anyone else's.
 */
export class VisitorCookie {
  readonly #options: VisitorCookieOptions;
  #keys: Promise<CryptoKey[]> | undefined;
  // Signed cookie value -> its token (see VERIFIED_CACHE_SIZE). The keys never change after construction.
  readonly #verified = new Map<string, string>();

  constructor(options: VisitorCookieOptions = {}) {
    const secrets = options.secret === undefined ? [] : Array.isArray(options.secret) ? options.secret : [options.secret];
    for (const s of secrets) {
      if (s.length === 0) throw new TypeError('cookie.secret must not be empty');
    }
    if (secrets.some((s) => (typeof s === 'string' ? new TextEncoder().encode(s).length : s.length) < 32)) {
      console.warn('[ic-support-chat] cookie.secret is shorter than 32 bytes: use a long random value.');
    }
    this.#options = options;
  }

  #cryptoKeys(): Promise<CryptoKey[]> {
    this.#keys ??= (async () => {
      const given = this.#options.secret;
      const secrets: CookieSecret[] = given === undefined ? [randomProcessSecret()] : Array.isArray(given) ? given : [given];
      return Promise.all(
        secrets.map((s) =>
          crypto.subtle.importKey('raw', typeof s === 'string' ? new TextEncoder().encode(s) : new Uint8Array(s), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
        ),
      );
    })();
    return this.#keys;
  }

  #warnedPlainHttp = false;

  /** Whether the cookie for `url` gets `Secure` (and so the `__Host-` prefix). */
  isSecure(url: URL): boolean {
    if (this.#options.secure !== undefined) return this.#options.secure;
    if (url.protocol !== 'http:') return true;
    if (isLocalHost(url.hostname)) return false;
    if (!this.#warnedPlainHttp) {
      this.#warnedPlainHttp = true;
      console.warn(
        `[ic-support-chat] A request reached the endpoint over plain http at ${url.host}: the visitor cookie is Secure, ` +
          'so browsers will not store it and every request becomes a new visitor. Serve the page over https; behind a ' +
          'TLS-terminating proxy, trust its X-Forwarded-Proto (serve/toNodeListener: trustProxy: true). For a test on a ' +
          'private network only, set cookie.secure: false.',
      );
    }
    return true;
  }

  /** The cookie name used for `url`. */
  name(url: URL): string {
    const base = this.#options.name ?? 'ic_visitor';
    if (!this.isSecure(url) || base.startsWith('__Host-') || base.startsWith('__Secure-')) return base;
    return `__Host-${base}`;
  }

  /** The verified token from the request's cookie, or `null`. */
  async read(request: Request, url: URL): Promise<string | null> {
    const header = request.headers.get('cookie');
    if (!header) return null;
    const name = this.name(url);
    let keys: CryptoKey[] | undefined;
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
      const value = pair.slice(eq + 1).trim();
      const known = this.#verified.get(value);
      if (known !== undefined) return known;
      const dot = value.indexOf('.');
      if (dot < 0) continue;
      const token = value.slice(0, dot);
      const sig = decodeBase64Url(value.slice(dot + 1));
      if (!TOKEN_PATTERN.test(token) || !sig || sig.length !== 32) continue;
      const data = textEncoder.encode(token);
      keys ??= await this.#cryptoKeys();
      for (const key of keys) {
        // subtle.verify compares in constant time.
        if (await crypto.subtle.verify('HMAC', key, sig, data)) {
          // A copy: `value` is a slice of the whole Cookie header, which the cache must not hold on to.
          const own = textDecoder.decode(textEncoder.encode(value));
          this.#remember(own, own.slice(0, dot));
          return token;
        }
      }
    }
    return null;
  }

  #remember(value: string, token: string): void {
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(value, token);
  }

  /** A fresh random token and the `Set-Cookie` value that stores it. */
  async mint(url: URL): Promise<{ token: string; setCookie: string }> {
    const token = encodeBase64Url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
    const [key] = await this.#cryptoKeys();
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key!, new TextEncoder().encode(token)));
    const value = `${token}.${encodeBase64Url(sig)}`;
    this.#remember(value, token);
    const secure = this.isSecure(url);
    const sameSite = this.#options.sameSite ?? 'Lax';
    const parts = [`${this.name(url)}=${value}`, 'Path=/', `Max-Age=${Math.floor(this.#options.maxAgeSeconds ?? DEFAULT_MAX_AGE)}`, 'HttpOnly', `SameSite=${sameSite}`];
    if (secure) parts.push('Secure');
    return { token, setCookie: parts.join('; ') };
  }
}
