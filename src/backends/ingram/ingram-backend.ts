import { SupportError } from '../core/support-error.js';
import type {
  ApprovalInput,
  IdentifiedUser,
  RunInput,
  StoredFile,
  SupportBackend,
  TurnContext,
  Visitor,
} from '../core/types.js';
import { RetiredVisitorError, VisitorCookie, type VisitorCookieOptions } from '../core/visitor-cookie.js';
import type { ContentPart, ErrorInfo, InputMessage, Limits, RunEvent, StoredFileInfo } from '../../protocol/types.js';
import { IngramApiError, IngramClient, type IngramClientOptions } from './client.js';
import { LruCache } from './lru-cache.js';
import { eventsFromUpstreamRun, type UpstreamFailureListener } from './map-upstream-event.js';
import { InMemorySmithDirectory, type SmithDirectory } from './smith-directory.js';
import type { UpstreamInputMessage, UpstreamRun, UpstreamSmith } from './upstream-types.js';
import { listAllSmiths, listAllRuns, type ListAllOptions } from './operate.js';
import { DeferredEvents, UpstreamRunEvents } from './upstream-run-events.js';

export interface IngramBackendOptions extends Partial<IngramClientOptions> {
  /** A ready client; otherwise one is built from `token` (+ `baseUrl`, `apiVersion`, `fetch`, `timeoutMs`). */
  client?: IngramClient;
  /** The support agent every smith runs (`IC_AGENT_ID`, the `agt_…` id `ic-support-chat agent create` prints). */
  agentId: string;
  /** Memory for logged-out visitors; default false (a drive-by visitor accumulates nothing). */
  anonymousAutoMemory?: boolean;
  /** Memory for signed-in visitors' smiths; default: leave the API's default. */
  userAutoMemory?: boolean;
  /** Records user id → smith after `claim` (and claimed anonymous identities). Default in memory. */
  directory?: SmithDirectory;
  /** How many visitor → smith ids to keep in memory (LRU); default 10 000. */
  cacheSize?: number;
  /** The anonymous visitor cookie options given to `createSupportHandler` (so `claim(request, …)` can read it). */
  cookie?: VisitorCookieOptions;
  /** Attachment limits this backend accepts (the core caps them further). */
  limits?: Partial<Limits>;
  /**
   * Server-side log of what the visitor is not shown: a run the API failed (its code and message,
   * token redacted, as an `IngramApiError`). Default `console.error`; pass the handler's `onError`.
   */
  onError?: (err: unknown) => void;
}

/** The namespace of logged-out visitors' smiths (segment them with `external_id_prefix=anon:`). */
export const ANONYMOUS_PREFIX = 'anon:';

export interface IngramBackend extends SupportBackend {
  readonly client: IngramClient;
  readonly directory: SmithDirectory;
  /**
   * A logged-out visitor signed in mid-chat: keep their smith (its threads carry over), stamp the
   * user's identity on it (display_name, customer_id, auto_memory:true) and record user → smith so
   * their next login lands on it. `from` is the anonymous visitor, their request (cookie read with
   * the `cookie` options) or a turn context. Returns the smith id.
   */
  claim(from: Request | Visitor | TurnContext, user: IdentifiedUser): Promise<string>;
  /** The smith id for a visitor (cached; upserted when unknown). */
  smithIdFor(visitor: Visitor, signal?: AbortSignal): Promise<string>;
  /**
   * The visitor's smith id. A logged-out visitor's is looked up, never created (cache, then the API's
   * external_id filter), and is `null` once claimed; a signed-in user's is found or created as
   * `smithIdFor` does (one call: the API has no exact lookup, and a prefix listing of a short user
   * id would page through every smith it starts).
   */
  findSmithId(visitor: Visitor, signal?: AbortSignal): Promise<string | null>;
  /** Every logged-out visitor's smith (`external_id_prefix=anon:`), page by page. */
  listAnonymousSmiths(options?: ListAllOptions): AsyncGenerator<UpstreamSmith, void, undefined>;
  /** Every anonymous conversation's runs, page by page. */
  listAnonymousRuns(options?: ListAllOptions): AsyncGenerator<UpstreamRun, void, undefined>;
  /** Soft-archive a visitor's smith (frees its external_id) and forget them. Returns the archived ids. */
  archiveVisitor(visitor: Visitor): Promise<string[]>;
}

/** Directory keys. */
const userKey = (userId: string) => `user:${userId}`;
const claimedKey = (externalId: string) => `claimed:${externalId}`;

/**
 * The Ingram Cloud proxy backend: one smith per visitor (signed-in: keyed to the user id;
 * logged-out: `anon:` + the cookie token, memory off), runs streamed through event by event, the
 * browser never choosing or seeing a smith.
 */
export function createIngramBackend(options: IngramBackendOptions): IngramBackend {
  if (!options.agentId) throw new TypeError('createIngramBackend needs agentId (IC_AGENT_ID).');
  const client =
    options.client ??
    new IngramClient({
      token: options.token ?? '',
      baseUrl: options.baseUrl,
      apiVersion: options.apiVersion,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
    });
  const agentId = options.agentId;
  const directory = options.directory ?? new InMemorySmithDirectory();
  const cacheSize = options.cacheSize ?? 10_000;
  const smithCache = new LruCache<string, string>(cacheSize);
  // file_id → owner smith and metadata, learnt from run.started; the API is asked on a miss.
  const fileCache = new LruCache<string, { smithId: string; info: StoredFileInfo }>(cacheSize);
  // Concurrent first requests of one visitor share one upsert.
  const inflight = new Map<string, Promise<string>>();
  const cookie = new VisitorCookie(options.cookie);
  const onError = options.onError ?? ((err: unknown) => console.error('[ic-support-chat]', err));
  // Tool and approval payloads reach the browser redacted (the token) and size-bounded.
  const passThrough = { redact: (text: string) => client.redact(text) };
  const logFailure: UpstreamFailureListener = (upstream: ErrorInfo, visitor: ErrorInfo, runId: string) => {
    const err = new IngramApiError(visitor.code, `Run ${runId} failed upstream: ${client.redact(upstream.code)}`, {
      upstreamCode: upstream.code,
      upstreamMessage: client.redact(upstream.message),
    });
    try {
      onError(err);
    } catch {
      // A failing logger must not end the visitor's stream.
    }
  };

  const visitorKey = (v: Visitor) => `${v.kind}:${v.id}`;

  function externalIdOf(visitor: Visitor): string {
    if (visitor.kind === 'anonymous') return ANONYMOUS_PREFIX + visitor.id;
    // A user id inside the anonymous namespace would address an anonymous visitor's smith.
    if (visitor.id.startsWith(ANONYMOUS_PREFIX)) throw new Error(`identify() returned a user id in the reserved "${ANONYMOUS_PREFIX}" namespace.`);
    return visitor.id;
  }

  /** Ensures the smith (upsert, or confirm a claimed one) and caches its id. */
  async function ensureSmith(visitor: Visitor, signal: AbortSignal | undefined): Promise<string> {
    const externalId = externalIdOf(visitor);
    if (visitor.kind === 'user') {
      const claimed = await directory.get(userKey(visitor.id));
      if (claimed) {
        try {
          const patch: { display_name?: string; customer_id?: string } = {};
          if (visitor.display_name !== undefined) patch.display_name = visitor.display_name;
          if (visitor.customer_id !== undefined) patch.customer_id = visitor.customer_id;
          const smith = await client.updateSmith(claimed, patch, { signal });
          smithCache.set(visitorKey(visitor), smith.id);
          return smith.id;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          // The claimed smith was archived: fall back to a smith keyed to the user id.
          await directory.delete(userKey(visitor.id));
        }
      }
      const smith = await client.upsertSmith(
        {
          external_id: externalId,
          agent_id: agentId,
          ...(visitor.display_name !== undefined ? { display_name: visitor.display_name } : {}),
          ...(visitor.customer_id !== undefined ? { customer_id: visitor.customer_id } : {}),
          ...(options.userAutoMemory !== undefined ? { auto_memory: options.userAutoMemory } : {}),
        },
        { signal },
      );
      smithCache.set(visitorKey(visitor), smith.id);
      return smith.id;
    }
    if (await wasClaimed(visitor)) throw retiredVisitorError();
    const smith = await client.upsertSmith(
      { external_id: externalId, agent_id: agentId, auto_memory: options.anonymousAutoMemory ?? false },
      { signal },
    );
    smithCache.set(visitorKey(visitor), smith.id);
    return smith.id;
  }

  /**
   * Whether this anonymous identity was claimed by a signed-in user, on this server or another one
   * sharing the directory. Asked before the cache is trusted: `claim()` can only evict the cache of
   * the process it runs in, and a cached entry elsewhere would keep the retired cookie on the
   * account's smith until it aged out.
   */
  async function wasClaimed(visitor: Visitor): Promise<boolean> {
    if (visitor.kind !== 'anonymous') return false;
    if (!(await directory.get(claimedKey(externalIdOf(visitor))))) return false;
    smithCache.delete(visitorKey(visitor));
    return true;
  }

  /**
   * An anonymous identity whose smith now belongs to a signed-in user must not reach it again (e.g.
   * after logout on a shared computer). On POST /session the core then mints a fresh anonymous
   * identity; elsewhere it is a 401.
   */
  function retiredVisitorError(): RetiredVisitorError {
    return new RetiredVisitorError('This conversation now belongs to a signed-in account. Sign in again, or reload to start a new conversation.');
  }

  async function smithIdFor(visitor: Visitor, signal?: AbortSignal, fresh = false): Promise<string> {
    const key = visitorKey(visitor);
    if (!fresh && smithCache.get(key)) {
      if (await wasClaimed(visitor)) throw retiredVisitorError();
      // Read again: the entry may have been evicted or replaced while the directory answered.
      const cached = smithCache.get(key);
      if (cached) return cached;
    }
    const pending = inflight.get(key);
    if (pending) return pending;
    const promise = ensureSmith(visitor, signal).finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  }

  /**
   * The visitor's smith for the routes that only act on what exists (files, cancel, approvals). A
   * logged-out visitor's is never created there: a cookie-less request must not leave a smith behind
   * upstream. A signed-in user's is upserted as on /session: users are the host's accounts, one
   * smith each, and the lookup-only path would list `external_id_prefix=<user id>`, which for a
   * short id ("1") pages through every smith whose id starts with it, on every such request.
   */
  async function findSmithId(visitor: Visitor, signal?: AbortSignal): Promise<string | null> {
    const key = visitorKey(visitor);
    if (visitor.kind === 'user') {
      const known = smithCache.get(key) ?? (await directory.get(userKey(visitor.id)));
      if (known) {
        smithCache.set(key, known);
        return known;
      }
      return smithIdFor(visitor, signal);
    }
    if (await wasClaimed(visitor)) return null;
    const cached = smithCache.get(key);
    if (cached) return cached;
    const externalId = externalIdOf(visitor);
    // The API has no exact lookup by external_id: its prefix filter, then an exact match. Precise
    // here: `anon:` + a cookie token of fixed length is the prefix of no other smith's id.
    for await (const smith of listAllSmiths(client, { prefix: externalId, signal })) {
      if (smith.external_id === externalId && !smith.archived_at) {
        smithCache.set(key, smith.id);
        return smith.id;
      }
    }
    return null;
  }

  /** Whether `smithId` is this visitor's smith, asking the API (one GET) only when nothing local knows. */
  async function owns(visitor: Visitor, smithId: string, signal: AbortSignal): Promise<boolean> {
    if (await wasClaimed(visitor)) return false;
    const key = visitorKey(visitor);
    const cached = smithCache.get(key);
    if (cached) return cached === smithId;
    const externalId = externalIdOf(visitor);
    if (visitor.kind === 'user') {
      const claimed = await directory.get(userKey(visitor.id));
      if (claimed) return claimed === smithId;
    }
    let smith: UpstreamSmith;
    try {
      smith = await client.getSmith(smithId, { signal });
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    if (smith.external_id !== externalId || smith.archived_at) return false;
    smithCache.set(key, smith.id);
    return true;
  }

  /** The visitor's smith, or the protocol's 404 for a logged-out visitor without one (nothing of theirs can exist). */
  async function existingSmith(visitor: Visitor, signal: AbortSignal | undefined, what: string): Promise<string> {
    const smithId = await findSmithId(visitor, signal);
    if (!smithId) throw new SupportError('not_found', what);
    return smithId;
  }

  /** Calls `fn` with the visitor's smith; if the API no longer knows it (archived), upserts once and retries. */
  async function withSmith<T>(visitor: Visitor, signal: AbortSignal, fn: (smithId: string) => Promise<T>): Promise<T> {
    const smithId = await smithIdFor(visitor, signal);
    try {
      return await fn(smithId);
    } catch (err) {
      if (!isNotFound(err) || signal.aborted) throw err;
      smithCache.delete(visitorKey(visitor));
      const again = await smithIdFor(visitor, signal, true);
      if (again === smithId) throw err;
      return fn(again);
    }
  }

  /** Maps upstream events as they arrive; remembers which files belong to whom. */
  function upstreamEvents(body: ReadableStream<Uint8Array>, smithId: string, signal: AbortSignal): UpstreamRunEvents {
    return new UpstreamRunEvents(
      body,
      signal,
      (event) => {
        if (event.type === 'run.started') rememberFiles(event.files, smithId);
      },
      logFailure,
      { idleTimeoutMs: client.streamIdleTimeoutMs, passThrough },
    );
  }

  /** `stream:false`: the finished run as JSON, as events for the core to gather. */
  async function* runToCompletion(input: RunInput, ctx: TurnContext): AsyncGenerator<RunEvent> {
    const upstreamInput = input.input.map(copyMessage);
    let smithId = '';
    const run = await withSmith(ctx.visitor, ctx.signal, (id) => {
      smithId = id;
      return client.createRun(id, { input: upstreamInput, thread_id: input.thread_id, stream: false }, { signal: ctx.signal });
    });
    yield* fromJson(run, smithId);
  }

  function rememberFiles(files: StoredFileInfo[] | undefined, smithId: string): void {
    for (const info of files ?? []) fileCache.set(info.file_id, { smithId, info });
  }

  function* fromJson(run: UpstreamRun, smithId: string): Generator<RunEvent> {
    for (const event of eventsFromUpstreamRun(run, logFailure, passThrough)) {
      if (event.type === 'run.started') rememberFiles(event.files, smithId);
      yield event;
    }
  }

  async function visitorFrom(from: Request | Visitor | TurnContext): Promise<Visitor | null> {
    if (from instanceof Request) {
      const token = await cookie.read(from, new URL(from.url));
      return token ? { kind: 'anonymous', id: token } : null;
    }
    const visitor = 'visitor' in from ? from.visitor : from;
    if (!visitor || (visitor.kind !== 'anonymous' && visitor.kind !== 'user') || typeof visitor.id !== 'string') {
      throw new TypeError('claim() takes a Fetch Request, a Visitor or a TurnContext.');
    }
    return visitor;
  }

  const backend: IngramBackend = {
    client,
    directory,
    limits: options.limits,

    async session(ctx) {
      await smithIdFor(ctx.visitor, ctx.signal, true);
      return ctx.visitor.kind === 'user' && ctx.visitor.display_name !== undefined ? { display_name: ctx.visitor.display_name } : undefined;
    },

    run(input: RunInput, ctx: TurnContext): AsyncIterable<RunEvent> {
      if (!input.stream) return runToCompletion(input, ctx);
      // The proxy's hot path: no generator layer per event between the upstream body and the core.
      return new DeferredEvents(async () => {
        const upstreamInput = input.input.map(copyMessage);
        let smithId = '';
        const body = await withSmith(ctx.visitor, ctx.signal, (id) => {
          smithId = id;
          return client.openEventStream({ smithId: id, run: { input: upstreamInput, thread_id: input.thread_id, stream: true } }, { signal: ctx.signal });
        });
        return upstreamEvents(body, smithId, ctx.signal);
      });
    },

    async *approve(input: ApprovalInput, ctx: TurnContext) {
      // The run is addressed under the visitor's own smith: another visitor's run is a 404 upstream.
      const smithId = await existingSmith(ctx.visitor, ctx.signal, 'No such approval.');
      const params = { decision: input.decision };
      if (input.stream) {
        const body = await client.openEventStream(
          { smithId, runId: input.run_id, approvalId: input.approval_id, decision: { ...params, stream: true } },
          { signal: ctx.signal },
        );
        yield* upstreamEvents(body, smithId, ctx.signal);
        return;
      }
      const run = await client.decideApproval(smithId, input.run_id, input.approval_id, { ...params, stream: false }, { signal: ctx.signal });
      yield* fromJson(run, smithId);
    },

    async cancel(runId: string, ctx: TurnContext) {
      // No signal: a Stop whose request the browser drops (tab closing) should still reach the API.
      const smithId = await existingSmith(ctx.visitor, undefined, 'No such run.');
      // Addressed under the visitor's own smith: another visitor's run is the API's 404, passed on as
      // not_found. An API without the endpoint (405) is tolerated: closing the stream stops the run too.
      try {
        await client.cancelRun(smithId, runId);
      } catch (err) {
        if (isNotFound(err)) throw new SupportError('not_found', 'No such run.');
        throw err;
      }
    },

    async getFile(fileId: string, ctx: TurnContext): Promise<StoredFile | null> {
      let known = fileCache.get(fileId);
      if (!known) {
        try {
          const meta = await client.getFile(fileId, { signal: ctx.signal });
          const info: StoredFileInfo = { file_id: meta.file_id, media_type: meta.media_type, size: meta.size };
          if (meta.filename !== undefined) info.filename = meta.filename;
          known = { smithId: meta.smith_id, info };
          fileCache.set(fileId, known);
        } catch (err) {
          if (isNotFound(err)) return null;
          throw err;
        }
      }
      // Someone else's file is as absent as a file that never existed.
      if (!(await owns(ctx.visitor, known.smithId, ctx.signal))) return null;
      try {
        const content = await client.getFileContent(fileId, { signal: ctx.signal });
        return { ...known.info, size: content.size ?? known.info.size, body: content.body };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    async claim(from, user) {
      if (!user || typeof user.user_id !== 'string' || user.user_id === '') throw new TypeError('claim() needs a user with user_id.');
      if (user.user_id.startsWith(ANONYMOUS_PREFIX)) throw new TypeError(`A user id must not start with "${ANONYMOUS_PREFIX}".`);
      const visitor = await visitorFrom(from);
      if (!visitor || visitor.kind !== 'anonymous') {
        // Nothing to carry over: the user simply gets their own smith.
        return smithIdFor({ kind: 'user', id: user.user_id, ...(user.display_name !== undefined ? { display_name: user.display_name } : {}), ...(user.customer_id !== undefined ? { customer_id: user.customer_id } : {}) }, undefined, true);
      }
      const smithId = await smithIdFor(visitor);
      const patch: { display_name?: string; customer_id?: string; auto_memory: boolean } = { auto_memory: true };
      if (user.display_name !== undefined) patch.display_name = user.display_name;
      if (user.customer_id !== undefined) patch.customer_id = user.customer_id;
      await client.updateSmith(smithId, patch);
      await directory.set(userKey(user.user_id), smithId);
      await directory.set(claimedKey(externalIdOf(visitor)), smithId);
      smithCache.delete(visitorKey(visitor));
      smithCache.set(`user:${user.user_id}`, smithId);
      return smithId;
    },

    smithIdFor: (visitor, signal) => smithIdFor(visitor, signal),
    findSmithId,

    listAnonymousSmiths: (opts) => listAllSmiths(client, { prefix: ANONYMOUS_PREFIX, ...opts }),
    listAnonymousRuns: (opts) => listAllRuns(client, { prefix: ANONYMOUS_PREFIX, ...opts }),

    async archiveVisitor(visitor) {
      const archived: string[] = [];
      const ids = new Set<string>();
      if (visitor.kind === 'user') {
        const claimed = await directory.get(userKey(visitor.id));
        if (claimed) ids.add(claimed);
      }
      const externalId = externalIdOf(visitor);
      // Look the smith up without creating one: the prefix filter, then an exact match.
      for await (const smith of listAllSmiths(client, { prefix: externalId })) {
        if (smith.external_id === externalId) ids.add(smith.id);
      }
      for (const id of ids) {
        try {
          await client.archiveSmith(id);
          archived.push(id);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      if (visitor.kind === 'user') await directory.delete(userKey(visitor.id));
      smithCache.delete(visitorKey(visitor));
      return archived;
    },
  };
  return backend;
}

function isNotFound(err: unknown): boolean {
  return err instanceof IngramApiError && err.upstreamStatus === 404;
}

/** Only the fields the API takes: whatever else a browser put in the body stays behind. */
function copyMessage(message: InputMessage): UpstreamInputMessage {
  if (typeof message.content === 'string') return { role: 'user', content: message.content };
  return { role: 'user', content: message.content.map(copyPart) };
}

function copyPart(part: ContentPart): ContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return { type: 'image', image: part.image };
    case 'file':
      return { type: 'file', filename: part.filename, data: part.data };
  }
}
