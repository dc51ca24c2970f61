/**
 * Visitor → smith: which smith of the Ingram API holds a visitor's conversation, found, created or
 * refused. One instance per backend; it owns the visitor → smith cache and the in-flight upserts,
 * and asks the `SmithDirectory` what the API cannot tell (a user's claimed smith, a retired cookie).
 * The backend proxies runs to the smith it answers; `claim` and `archiveVisitor` change what it answers.
 */
import type { Visitor } from '../core/types.js';
import { RetiredVisitorError } from '../core/visitor-cookie.js';
import { visitorKey } from '../internal/helpers.js';
import { IngramApiError, type IngramClient } from './client.js';
import { findSmithByExternalId, smithHasRuns } from './conversation-lookup.js';
import { LruCache } from './lru-cache.js';
import { listAllSmiths } from './operate.js';
import { ANONYMOUS_PREFIX, directoryKeys, type SmithDirectory } from './smith-directory.js';
import type { UpdateSmithParams, UpstreamSmith } from './upstream-types.js';

export interface SmithResolverOptions {
  client: IngramClient;
  /** The agent every smith runs. */
  agentId: string;
  directory: SmithDirectory;
  /** How many visitor → smith ids to keep (LRU). */
  cacheSize: number;
  /** `auto_memory` of a logged-out visitor's smith; default false. */
  anonymousAutoMemory?: boolean;
  /** `auto_memory` of an account's smith: on upsert and re-stamp when set, at claim `true` when unset. */
  userAutoMemory?: boolean;
}

/** The API answered 404: the smith, run or file is not there (or was archived). */
export function isNotFound(err: unknown): boolean {
  return err instanceof IngramApiError && err.upstreamStatus === 404;
}

/**
 * An anonymous identity whose smith now belongs to a signed-in user must not reach it again (e.g.
 * after logout on a shared computer). On POST /session the core then mints a fresh anonymous
 * identity; elsewhere it is a 401.
 */
export function retiredVisitorError(): RetiredVisitorError {
  return new RetiredVisitorError('This conversation now belongs to a signed-in account. Sign in again, or reload to start a new conversation.');
}

const userKey = directoryKeys.user;
const claimedKey = directoryKeys.claimed;

export class SmithResolver {
  readonly client: IngramClient;
  readonly directory: SmithDirectory;
  readonly #options: SmithResolverOptions;
  readonly #cache: LruCache<string, string>;
  // Concurrent first requests of one visitor share one upsert.
  readonly #inflight = new Map<string, Promise<string>>();

  constructor(options: SmithResolverOptions) {
    this.#options = options;
    this.client = options.client;
    this.directory = options.directory;
    this.#cache = new LruCache(options.cacheSize);
  }

  /** The smith's `external_id` for a visitor: `anon:` + the cookie token, or the user id. */
  externalIdOf(visitor: Visitor): string {
    if (visitor.kind === 'anonymous') return ANONYMOUS_PREFIX + visitor.id;
    // A user id inside the anonymous namespace would address an anonymous visitor's smith.
    if (visitor.id.startsWith(ANONYMOUS_PREFIX)) throw new Error(`identify() returned a user id in the reserved "${ANONYMOUS_PREFIX}" namespace.`);
    return visitor.id;
  }

  /**
   * The account fields a smith carries: the user's name and customer id, and `auto_memory` when
   * given. The user-keyed upsert, each session's re-stamp of a recorded smith and the claim all
   * send this one patch, so they cannot drift apart.
   */
  accountPatch(user: { display_name?: string; customer_id?: string }, autoMemory: boolean | undefined): UpdateSmithParams {
    const patch: UpdateSmithParams = {};
    if (autoMemory !== undefined) patch.auto_memory = autoMemory;
    if (user.display_name !== undefined) patch.display_name = user.display_name;
    if (user.customer_id !== undefined) patch.customer_id = user.customer_id;
    return patch;
  }

  /** What a claim stamps on the smith it carries over: the account's memory setting, unset the guide's `true`. */
  claimPatch(user: { display_name?: string; customer_id?: string }): UpdateSmithParams {
    return this.accountPatch(user, this.#options.userAutoMemory ?? true);
  }

  /** The smith id for a visitor (cached; upserted when unknown, or always when `fresh`). */
  async smithIdFor(visitor: Visitor, signal?: AbortSignal, fresh = false): Promise<string> {
    const key = visitorKey(visitor);
    if (!fresh && this.#cache.get(key)) {
      if (await this.wasClaimed(visitor)) throw retiredVisitorError();
      // Read again: the entry may have been evicted or replaced while the directory answered.
      const cached = this.#cache.get(key);
      if (cached) return cached;
    }
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const promise = this.#ensure(visitor, signal).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, promise);
    return promise;
  }

  /**
   * The visitor's smith for the routes that only act on what exists (files, cancel, approvals). A
   * logged-out visitor's is never created there: a cookie-less request must not leave a smith behind
   * upstream. A signed-in user's is upserted as on /session: users are the host's accounts, one
   * smith each, and the lookup-only path would list `external_id_prefix=<user id>`, which for a
   * short id ("1") pages through every smith whose id starts with it, on every such request.
   */
  async findSmithId(visitor: Visitor, signal?: AbortSignal): Promise<string | null> {
    const key = visitorKey(visitor);
    if (visitor.kind === 'user') {
      const known = this.#cache.get(key) ?? (await this.directory.get(userKey(visitor.id)));
      if (known) {
        this.#cache.set(key, known);
        return known;
      }
      return this.smithIdFor(visitor, signal);
    }
    if (await this.wasClaimed(visitor)) return null;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const externalId = this.externalIdOf(visitor);
    // The API has no exact lookup by external_id: its prefix filter, then an exact match. Precise
    // here: `anon:` + a cookie token of fixed length is the prefix of no other smith's id.
    for await (const smith of listAllSmiths(this.client, { prefix: externalId, signal })) {
      if (smith.external_id === externalId && !smith.archived_at) {
        this.#cache.set(key, smith.id);
        return smith.id;
      }
    }
    return null;
  }

  /** Whether `smithId` is this visitor's smith, asking the API (one GET) only when nothing local knows. */
  async owns(visitor: Visitor, smithId: string, signal: AbortSignal): Promise<boolean> {
    if (await this.wasClaimed(visitor)) return false;
    const key = visitorKey(visitor);
    const cached = this.#cache.get(key);
    if (cached) return cached === smithId;
    const externalId = this.externalIdOf(visitor);
    if (visitor.kind === 'user') {
      const claimed = await this.directory.get(userKey(visitor.id));
      if (claimed) return claimed === smithId;
    }
    let smith: UpstreamSmith;
    try {
      smith = await this.client.getSmith(smithId, { signal });
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    if (smith.external_id !== externalId || smith.archived_at) return false;
    this.#cache.set(key, smith.id);
    return true;
  }

  /**
   * Whether this anonymous identity was claimed by a signed-in user, on this server or another one
   * sharing the directory. Asked before the cache is trusted: `claim()` can only evict the cache of
   * the process it runs in, and a cached entry elsewhere would keep the retired cookie on the
   * account's smith until it aged out.
   */
  async wasClaimed(visitor: Visitor): Promise<boolean> {
    if (visitor.kind !== 'anonymous') return false;
    if (!(await this.directory.get(claimedKey(this.externalIdOf(visitor))))) return false;
    this.#cache.delete(visitorKey(visitor));
    return true;
  }

  /** Calls `fn` with the visitor's smith; if the API no longer knows it (archived), upserts once and retries. */
  async withSmith<T>(visitor: Visitor, signal: AbortSignal, fn: (smithId: string) => Promise<T>): Promise<T> {
    const smithId = await this.smithIdFor(visitor, signal);
    try {
      return await fn(smithId);
    } catch (err) {
      if (!isNotFound(err) || signal.aborted) throw err;
      this.forget(visitor);
      const again = await this.smithIdFor(visitor, signal, true);
      if (again === smithId) throw err;
      return fn(again);
    }
  }

  /**
   * The smith keyed to a user's own id when it holds a conversation (a run), else null. When the
   * bounded lookup cannot tell (a short id is the prefix of too many smiths or runs), the account is
   * assumed to have one: its smith is found or created by the upsert, and wins.
   */
  async userKeyedConversation(user: Visitor): Promise<string | null> {
    const externalId = this.externalIdOf(user);
    const found = await findSmithByExternalId(this.client, externalId);
    if (found === null) return null;
    if (found === 'unknown') return this.smithIdFor(user, undefined, true);
    return (await smithHasRuns(this.client, externalId, found)) === false ? null : found;
  }

  /**
   * Soft-archives the visitor's smith (frees its external_id) and forgets them; returns the archived
   * ids. A claimed anonymous identity archives nothing: its smith is an account's now.
   */
  async archive(visitor: Visitor): Promise<string[]> {
    const archived: string[] = [];
    if (await this.wasClaimed(visitor)) return archived;
    const ids = new Set<string>();
    if (visitor.kind === 'user') {
      const claimed = await this.directory.get(userKey(visitor.id));
      if (claimed) ids.add(claimed);
    }
    const externalId = this.externalIdOf(visitor);
    // Look the smith up without creating one: the prefix filter, then an exact match.
    for await (const smith of listAllSmiths(this.client, { prefix: externalId })) {
      if (smith.external_id === externalId) ids.add(smith.id);
    }
    for (const id of ids) {
      try {
        await this.client.archiveSmith(id);
        archived.push(id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (visitor.kind === 'user') await this.directory.delete(userKey(visitor.id));
    this.forget(visitor);
    return archived;
  }

  /** Notes that `smithId` is the visitor's (a claim carried a conversation over). */
  remember(visitor: Visitor, smithId: string): void {
    this.#cache.set(visitorKey(visitor), smithId);
  }

  /** Drops what this process remembers of the visitor's smith: the next lookup asks again. */
  forget(visitor: Visitor): void {
    this.#cache.delete(visitorKey(visitor));
  }

  /** Ensures the smith (upsert, or confirm a claimed one) and caches its id. */
  async #ensure(visitor: Visitor, signal: AbortSignal | undefined): Promise<string> {
    const { client, directory } = this;
    const agentId = this.#options.agentId;
    const externalId = this.externalIdOf(visitor);
    let smith: UpstreamSmith;
    if (visitor.kind === 'user') {
      const claimed = await directory.get(userKey(visitor.id));
      if (claimed) {
        try {
          // Also heals a claim whose own PATCH never reached the API.
          const stamped = await client.updateSmith(claimed, this.accountPatch(visitor, this.#options.userAutoMemory), { signal });
          this.remember(visitor, stamped.id);
          return stamped.id;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          // The claimed smith was archived: fall back to a smith keyed to the user id.
          await directory.delete(userKey(visitor.id));
        }
      }
      smith = await client.upsertSmith({ external_id: externalId, agent_id: agentId, ...this.accountPatch(visitor, this.#options.userAutoMemory) }, { signal });
    } else {
      if (await this.wasClaimed(visitor)) throw retiredVisitorError();
      smith = await client.upsertSmith({ external_id: externalId, agent_id: agentId, auto_memory: this.#options.anonymousAutoMemory ?? false }, { signal });
    }
    this.remember(visitor, smith.id);
    return smith.id;
  }
}
