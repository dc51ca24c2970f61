import { InMemoryConcurrencyStore, InMemoryRateLimitStore } from './memory-stores.js';
import type { RateLimitOptions } from './rate-limiter.js';
import type { ConcurrencyLease, ConcurrencyStore, RateLimitRule, RateLimitStore } from './stores.js';
import { SupportError } from './support-error.js';

/** Caps on how much one visitor or one client address may ask of the server. `false` turns one off. */
export interface RequestGuardOptions {
  /** Per-visitor limit on POST requests; default 30 a minute. */
  rateLimit?: RateLimitOptions | false;
  /** Per-visitor limit on `GET /files/{id}`; default 120 a minute (a restored transcript loads its thumbnails at once). */
  fileRateLimit?: RateLimitRule | false;
  /** Per client address, every metered request (POSTs and files); default 300 a minute. Needs a known address. */
  addressRateLimit?: RateLimitRule | false;
  /**
   * New anonymous identities (fresh cookies) per client address; default 20 per 10 minutes. A client
   * that drops its cookie is a new visitor on every request: this is what still counts it.
   */
  newVisitorLimit?: RateLimitRule | false;
  /** Runs streaming at once, per visitor and per client address; default 3 and 30. */
  maxConcurrentRuns?: { perVisitor?: number; perAddress?: number } | false;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = Object.freeze({ windowMs: 60_000, max: 30 });
export const DEFAULT_FILE_RATE_LIMIT: Readonly<RateLimitRule> = Object.freeze({ windowMs: 60_000, max: 120 });
export const DEFAULT_ADDRESS_RATE_LIMIT: Readonly<RateLimitRule> = Object.freeze({ windowMs: 60_000, max: 300 });
export const DEFAULT_NEW_VISITOR_LIMIT: Readonly<RateLimitRule> = Object.freeze({ windowMs: 10 * 60_000, max: 20 });
export const DEFAULT_CONCURRENT_RUNS = Object.freeze({ perVisitor: 3, perAddress: 30 });

function checkRule(name: string, rule: RateLimitRule): RateLimitRule {
  if (!(rule.windowMs > 0) || !(rule.max >= 1)) throw new TypeError(`${name} needs windowMs > 0 and max >= 1`);
  return { windowMs: rule.windowMs, max: Math.floor(rule.max) };
}

function refused(what: string, retryAfterSeconds: number): SupportError {
  return new SupportError('rate_limited', `${what} Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}

/** The core's per-visitor and per-address limits over the (possibly shared) stores. */
export class RequestGuards {
  readonly #rate: RateLimitStore;
  readonly #concurrency: ConcurrencyStore;
  readonly #visitorRule: RateLimitRule | null;
  readonly #visitorKey: RateLimitOptions['key'];
  readonly #fileRule: RateLimitRule | null;
  readonly #addressRule: RateLimitRule | null;
  readonly #newVisitorRule: RateLimitRule | null;
  readonly #runs: { perVisitor: number; perAddress: number } | null;

  constructor(options: RequestGuardOptions, stores: { rateLimit?: RateLimitStore | undefined; concurrency?: ConcurrencyStore | undefined }) {
    this.#rate = stores.rateLimit ?? new InMemoryRateLimitStore();
    this.#concurrency = stores.concurrency ?? new InMemoryConcurrencyStore();
    const visitor = options.rateLimit === false ? null : (options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.#visitorRule = visitor ? checkRule('rateLimit', visitor) : null;
    this.#visitorKey = visitor ? visitor.key : undefined;
    this.#fileRule = options.fileRateLimit === false ? null : checkRule('fileRateLimit', options.fileRateLimit ?? DEFAULT_FILE_RATE_LIMIT);
    this.#addressRule = options.addressRateLimit === false ? null : checkRule('addressRateLimit', options.addressRateLimit ?? DEFAULT_ADDRESS_RATE_LIMIT);
    this.#newVisitorRule = options.newVisitorLimit === false ? null : checkRule('newVisitorLimit', options.newVisitorLimit ?? DEFAULT_NEW_VISITOR_LIMIT);
    const runs = options.maxConcurrentRuns === false ? null : { ...DEFAULT_CONCURRENT_RUNS, ...options.maxConcurrentRuns };
    if (runs && !(runs.perVisitor >= 1 && runs.perAddress >= 1)) throw new TypeError('maxConcurrentRuns needs perVisitor >= 1 and perAddress >= 1');
    this.#runs = runs;
  }

  /** Counts a metered request (a POST, or a file when `file`) against the visitor and the address. */
  async meter(request: Request, visitorKey: string, address: string | null, file: boolean): Promise<void> {
    if (address && this.#addressRule) {
      const d = await this.#rate.take(`addr:${address}`, this.#addressRule);
      if (!d.ok) throw refused('Too many requests from your network.', d.retryAfterSeconds);
    }
    const rule = file ? this.#fileRule : this.#visitorRule;
    if (!rule) return;
    const base = file ? `files:${visitorKey}` : visitorKey;
    const key = !file && this.#visitorKey ? this.#visitorKey(request, base) : base;
    const d = await this.#rate.take(key, rule);
    if (!d.ok) throw refused('Too many requests.', d.retryAfterSeconds);
  }

  /** Counts a new anonymous identity against its address, before it is minted. */
  async mintVisitor(address: string | null): Promise<void> {
    if (!address || !this.#newVisitorRule) return;
    const d = await this.#rate.take(`mint:${address}`, this.#newVisitorRule);
    if (!d.ok) throw refused('Too many new visitors from your network (does this browser refuse cookies?).', d.retryAfterSeconds);
  }

  /**
   * Takes a run slot for the visitor and their address, or refuses with 429. The returned release
   * frees both; slots also free themselves after `ttlMs` (an instance that died mid-run).
   */
  async startRun(visitorKey: string, address: string | null, ttlMs: number): Promise<() => void> {
    const runs = this.#runs;
    if (!runs) return () => {};
    const leases: ConcurrencyLease[] = [];
    const release = () => {
      for (const lease of leases.splice(0)) lease.release().catch(() => {});
    };
    const mine = await this.#concurrency.acquire(`runs:${visitorKey}`, runs.perVisitor, ttlMs);
    if (!mine) throw refused(`You already have ${runs.perVisitor} replies in progress: wait for one to finish or stop it.`, 5);
    leases.push(mine);
    if (address) {
      let theirs: ConcurrencyLease | null;
      try {
        theirs = await this.#concurrency.acquire(`runs:addr:${address}`, runs.perAddress, ttlMs);
      } catch (err) {
        // The visitor's slot is not left taken for ttlMs by a store that failed the second one.
        release();
        throw err;
      }
      if (!theirs) {
        release();
        throw refused('Too many replies in progress from your network.', 5);
      }
      leases.push(theirs);
    }
    return release;
  }
}
