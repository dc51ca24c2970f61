import { SupportError } from '../core/support-error.js';
import type { ApprovalInput, IdentifiedUser, RunInput, StoredFile, SupportBackend, TurnContext, Visitor } from '../core/types.js';
import { VisitorCookie, type VisitorCookieOptions } from '../core/visitor-cookie.js';
import type { ContentPart, ErrorInfo, InputMessage, Limits, RunEvent, StoredFileInfo } from '../../protocol/types.js';
import { safeLogger } from '../internal/helpers.js';
import { claimConversation, type ClaimResult } from './claim-conversation.js';
import { IngramApiError, IngramClient, type IngramClientOptions } from './client.js';
import { LruCache } from './lru-cache.js';
import { eventsFromUpstreamRun, type UpstreamFailureListener } from './map-upstream-event.js';
import { listAnonymousRuns, listAnonymousSmiths, type ListAllOptions } from './operate.js';
import { ANONYMOUS_PREFIX, InMemorySmithDirectory, type SmithDirectory } from './smith-directory.js';
import { isNotFound, retiredVisitorError, SmithResolver } from './smith-resolver.js';
import type { UpstreamInputMessage, UpstreamRun, UpstreamSmith } from './upstream-types.js';
import { DeferredEvents, UpstreamRunEvents } from './upstream-run-events.js';
import { feedbackToHook, type FeedbackHook } from '../core/feedback.js';
import type { HandoffRecord, HandoffReply } from '../core/handoff.js';

export interface IngramBackendOptions extends Partial<IngramClientOptions> {
  /** A ready client; otherwise one is built from `token` (+ `baseUrl`, `apiVersion`, `fetch`, `timeoutMs`). */
  client?: IngramClient;
  /** The support agent every smith runs (`IC_AGENT_ID`, the `agt_…` id `ic-support-chat agent create` prints). */
  agentId: string;
  /** Memory for logged-out visitors; default false (a drive-by visitor accumulates nothing). */
  anonymousAutoMemory?: boolean;
  /**
   * Memory for signed-in visitors' smiths. A smith keyed to the user id gets it when set (else the
   * API's default); a claimed anonymous smith gets it at claim, `true` when unset (the guide's value).
   */
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
  /**
   * Where visitors' ratings of replies go (`POST /runs/{run_id}/feedback`). The Ingram Cloud API has
   * no feedback endpoint (docs/backends.md), so your code stores them, e.g. beside the run id, which
   * the console shows. Same as the core's `onFeedback`; set one, not both.
   */
  onFeedback?: FeedbackHook;
  /**
   * Where "Talk to a person" goes (`POST /handoff`, and an approved offer of one). The Ingram Cloud
   * API has no hand-off or ticket endpoint (docs/backends.md): your help desk opens the ticket and
   * returns its reference; the record carries the visitor's `smith_id` and the `thread_id`, so the
   * person reads the conversation in the console (Smiths → the smith → its runs of that thread).
   */
  onHandoff?: IngramHandoffHook;
}

/** A hand-off as the Ingram backend's hook receives it: the core's record plus the visitor's smith. */
export interface IngramHandoffRecord extends HandoffRecord {
  /** The visitor's smith (`smt_…`), where the thread's runs are in the console. */
  smith_id: string;
}

export type IngramHandoffHook = (handoff: IngramHandoffRecord, ctx: TurnContext) => HandoffReply | Promise<HandoffReply>;

export { ANONYMOUS_PREFIX };

export type { ClaimResult };

export interface IngramBackend extends SupportBackend {
  readonly client: IngramClient;
  readonly directory: SmithDirectory;
  /**
   * A visitor signed in: call this from the login route. A logged-out visitor's conversation (a
   * smith with at least one run) is carried over when the account has none of its own: the smith
   * is stamped with the user's identity (display_name, customer_id, auto_memory from
   * `userAutoMemory`) and recorded as theirs. An account that already has a conversation keeps it,
   * and the anonymous one is not merged. Either way the anonymous identity is retired and
   * `setCookie` replaces it. `from` is the visitor's request (cookie read with the `cookie`
   * options), a turn context, or the anonymous visitor.
   */
  claim(from: Request | Visitor | TurnContext, user: IdentifiedUser): Promise<ClaimResult>;
  /** The smith id for a visitor (cached; upserted when unknown). */
  smithIdFor(visitor: Visitor, signal?: AbortSignal): Promise<string>;
  /**
   * The visitor's smith id. A logged-out visitor's is looked up, never created (cache, then the API's
   * external_id filter), and is `null` once claimed; a signed-in user's is found or created as
   * `smithIdFor` does (one call: the API has no exact lookup, and a prefix listing of a short user
   * id would page through every smith it starts).
   */
  findSmithId(visitor: Visitor, signal?: AbortSignal): Promise<string | null>;
  /**
   * Every logged-out visitor's smith (`external_id_prefix=anon:`), page by page, without the claimed
   * ones: those keep their `anon:` external_id but belong to signed-in accounts.
   */
  listAnonymousSmiths(options?: Omit<ListAllOptions, 'prefix'>): AsyncGenerator<UpstreamSmith, void, undefined>;
  /** Every anonymous conversation's runs, page by page, without those of claimed smiths. */
  listAnonymousRuns(options?: Omit<ListAllOptions, 'prefix'>): AsyncGenerator<UpstreamRun, void, undefined>;
  /**
   * Soft-archive a visitor's smith (frees its external_id) and forget them. Returns the archived ids.
   * A claimed anonymous identity archives nothing: its smith is an account's now.
   */
  archiveVisitor(visitor: Visitor): Promise<string[]>;
}

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
  const directory = options.directory ?? new InMemorySmithDirectory();
  const smiths = new SmithResolver({
    client,
    agentId: options.agentId,
    directory,
    cacheSize: options.cacheSize ?? 10_000,
    anonymousAutoMemory: options.anonymousAutoMemory,
    userAutoMemory: options.userAutoMemory,
  });
  // file_id → owner smith and metadata, learnt from run.started; the API is asked on a miss.
  const fileCache = new LruCache<string, { smithId: string; info: StoredFileInfo }>(options.cacheSize ?? 10_000);
  const cookie = new VisitorCookie(options.cookie);
  const onError = safeLogger(options.onError);
  // Tool and approval payloads reach the browser redacted (the token) and size-bounded.
  const passThrough = { redact: (text: string) => client.redact(text) };
  const logFailure: UpstreamFailureListener = (upstream: ErrorInfo, visitor: ErrorInfo, runId: string) => {
    onError(
      new IngramApiError(visitor.code, `Run ${runId} failed upstream: ${client.redact(upstream.code)}`, {
        upstreamCode: upstream.code,
        upstreamMessage: client.redact(upstream.message),
      }),
    );
  };

  /** The visitor's smith, or the protocol's 404 for a logged-out visitor without one (nothing of theirs can exist). */
  async function existingSmith(visitor: Visitor, signal: AbortSignal | undefined, what: string): Promise<string> {
    const smithId = await smiths.findSmithId(visitor, signal);
    if (!smithId) throw new SupportError('not_found', what);
    return smithId;
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
    const run = await smiths.withSmith(ctx.visitor, ctx.signal, (id) => {
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

  const onHandoff = options.onHandoff;
  const backend: IngramBackend = {
    ...(options.onFeedback ? { feedback: feedbackToHook(options.onFeedback) } : {}),
    ...(onHandoff
      ? {
          // The core checked that the visitor talked in the thread, so their smith exists.
          handoff: async (record: HandoffRecord, ctx: TurnContext) => onHandoff({ ...record, smith_id: await existingSmith(ctx.visitor, ctx.signal, 'No such thread.') }, ctx),
        }
      : {}),
    client,
    directory,
    limits: options.limits,
    // The production check refuses a directory only this process can see (many instances disagree on claims).
    ...(options.directory ? {} : { inMemoryState: ['directory'] }),

    async session(ctx) {
      if (ctx.visitor.kind === 'anonymous') {
        // No smith yet: it is created on the visitor's first turn, so page views, bots and
        // cookie-less requests cost no upstream call. Only a retired identity is turned away here
        // (the core then mints a fresh one).
        if (await smiths.wasClaimed(ctx.visitor)) throw retiredVisitorError();
        return undefined;
      }
      await smiths.smithIdFor(ctx.visitor, ctx.signal, true);
      return ctx.visitor.kind === 'user' && ctx.visitor.display_name !== undefined ? { display_name: ctx.visitor.display_name } : undefined;
    },

    run(input: RunInput, ctx: TurnContext): AsyncIterable<RunEvent> {
      if (!input.stream) return runToCompletion(input, ctx);
      // The proxy's hot path: no generator layer per event between the upstream body and the core.
      return new DeferredEvents(async () => {
        const upstreamInput = input.input.map(copyMessage);
        let smithId = '';
        const body = await smiths.withSmith(ctx.visitor, ctx.signal, (id) => {
          smithId = id;
          return client.openEventStream({ smithId: id, run: { input: upstreamInput, thread_id: input.thread_id, stream: true } }, { signal: ctx.signal });
        });
        return upstreamEvents(body, smithId, ctx.signal);
      });
    },

    approve(input: ApprovalInput, ctx: TurnContext): AsyncIterable<RunEvent> {
      const params = { decision: input.decision };
      if (!input.stream) {
        return (async function* () {
          const smithId = await existingSmith(ctx.visitor, ctx.signal, 'No such approval.');
          const run = await client.decideApproval(smithId, input.run_id, input.approval_id, { ...params, stream: false }, { signal: ctx.signal });
          yield* fromJson(run, smithId);
        })();
      }
      // As run(): no generator layer, so the continuation reports its upstream's liveness too.
      return new DeferredEvents(async () => {
        // The run is addressed under the visitor's own smith: another visitor's run is a 404 upstream.
        const smithId = await existingSmith(ctx.visitor, ctx.signal, 'No such approval.');
        const body = await client.openEventStream({ smithId, runId: input.run_id, approvalId: input.approval_id, decision: { ...params, stream: true } }, { signal: ctx.signal });
        return upstreamEvents(body, smithId, ctx.signal);
      });
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
      if (!(await smiths.owns(ctx.visitor, known.smithId, ctx.signal))) return null;
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
      const account: Visitor & { kind: 'user' } = {
        kind: 'user',
        id: user.user_id,
        ...(user.display_name !== undefined ? { display_name: user.display_name } : {}),
        ...(user.customer_id !== undefined ? { customer_id: user.customer_id } : {}),
      };
      const before = await visitorFrom(from);
      const request = from instanceof Request ? from : 'request' in from && from.request instanceof Request ? from.request : null;
      // Rotated whatever happens below: the browser must not keep presenting the old identity.
      const setCookie = request ? (await cookie.mint(new URL(request.url))).setCookie : null;
      return claimConversation(smiths, { account, before, setCookie }, onError);
    },

    smithIdFor: (visitor, signal) => smiths.smithIdFor(visitor, signal),
    findSmithId: (visitor, signal) => smiths.findSmithId(visitor, signal),

    listAnonymousSmiths: (opts) => listAnonymousSmiths(client, { ...opts, directory }),
    listAnonymousRuns: (opts) => listAnonymousRuns(client, { ...opts, directory }),

    archiveVisitor: (visitor) => smiths.archive(visitor),
  };
  return backend;
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
