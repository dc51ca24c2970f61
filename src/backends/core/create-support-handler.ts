import { PROTOCOL_VERSION, type RunEvent, type SessionResponse } from '../../protocol/types.js';
import { clientAddressOf, type ConnectionInfo } from './client-address.js';
import { Drain, DrainInterruption, type Drainable } from './drain.js';
import { fileResponse } from './file-response.js';
import { effectiveLimits, type SupportHandlerOptions } from './handler-options.js';
import { ManagedRunEvents } from './managed-run.js';
import { InMemoryRunBus } from './memory-stores.js';
import { InMemoryRunOwnerStore } from './run-owners.js';
import { PastConversations } from './past-conversations.js';
import { validateFeedbackBody } from './feedback.js';
import { HandoffDesk } from './handoff-desk.js';
import { InMemoryRunLogStore } from './memory-run-log.js';
import { RecordedRun } from './recorded-run.js';
import { approvalKey, claimApprovalDecision, claimIdempotencyKey, firstOf, followContinuation, followRun, json, respondWithEntries, type RunStreams } from './run-streams.js';
import { idempotencyKeyOf, requestFingerprint, resumePosition } from './resume-request.js';
import { checkOrigin, corsHeaders, preflightHeaders } from './origin-policy.js';
import { safeLogger, visitorKey } from '../internal/helpers.js';
import { assertProductionReady } from './production-checks.js';
import { SMALL_BODY_BYTES, discardBody, readJsonBody } from './read-json-body.js';
import { RequestGuards } from './request-guards.js';
import { matchRoute, type RouteMatch } from './routes.js';
import type { RunCommand } from './stores.js';
import { SupportError, errorResponse } from './support-error.js';
import type { TurnContext, Visitor } from './types.js';
import { validateApprovalBody, validateRunRequest } from './validate-run-request.js';
import { RetiredVisitorError, VisitorCookie } from './visitor-cookie.js';

/**
 * A Fetch API request handler: Node (via `ic-support-chat/node`), Deno, Bun, Workers, Next.js.
 * `info` is what the server adapter knows of the connection (the client address, for the
 * per-address limits); `ic-support-chat/node` passes it. `drain(graceMs)` before stopping the
 * process lets open replies finish (see `Drainable`).
 */
export type SupportHandler = ((request: Request, info?: ConnectionInfo) => Promise<Response>) & Drainable;

const DEFAULT_MAX_RUN_MS = 15 * 60_000;
const DEFAULT_CANCEL_GRACE_MS = 2_000;

/** Every answer of the endpoint: never sniffed into something a browser would run. */
function hardened(response: Response): Response {
  response.headers.set('X-Content-Type-Options', 'nosniff');
  return response;
}

/** Routes that need an identity the visitor already has: a cookie-less request has nothing there. */
const NEEDS_EXISTING_VISITOR = new Set(['approval', 'cancel', 'events', 'feedback', 'file', 'handoff']);

/**
 * Creates the protocol v1 endpoint around a backend: routing, the visitor's identity, the Origin
 * allow-list, body and attachment checks, the per-visitor rate limit, streaming and error mapping.
 */
export function createSupportHandler(options: SupportHandlerOptions): SupportHandler {
  const { backend } = options;
  if (!backend || typeof backend.run !== 'function') throw new TypeError('createSupportHandler needs a backend with run()');
  assertProductionReady(options);
  const limits = effectiveLimits(options);
  const maxBodyBytes = options.maxBodyBytes ?? Math.ceil((limits.max_files * limits.max_file_bytes * 4) / 3) + 64 * 1024;
  // Only POST /runs carries attachments; the other routes' bodies are a few fields at most.
  const smallBodyBytes = Math.min(maxBodyBytes, SMALL_BODY_BYTES);
  const cookie = new VisitorCookie(options.cookie);
  const stores = options.stores ?? {};
  const guards = new RequestGuards(options, stores);
  const runBus = stores.runBus ?? new InMemoryRunBus();
  const runOwners = stores.runOwners ?? new InMemoryRunOwnerStore();
  const feedbackWindowMs = options.feedbackWindowMs ?? 7 * 24 * 3600_000;
  const takesFeedback = Boolean(options.onFeedback || backend.feedback);
  const handoffDesk = new HandoffDesk(options.onHandoff, backend, runOwners, options.handoffWindowMs);
  const runLog = stores.runLog ?? new InMemoryRunLogStore();
  // Past conversations (`features.threads`): the core lists them, the backend keeps their messages.
  const threads = new PastConversations(backend, stores.threads);
  // The run segments streaming on this instance: their streams read from memory.
  const recording = new Map<string, RecordedRun>();
  const maxRunMs = options.maxRunMs ?? DEFAULT_MAX_RUN_MS;
  const cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const log = safeLogger(options.onError);
  const drain = new Drain();
  const report = (err: unknown) => {
    if (err instanceof DrainInterruption) return; // a deploy, not a fault
    if (!(err instanceof SupportError) || err.status >= 500) log(err);
  };
  const streams: RunStreams = { runLog, runBus, recording, drain, pingIntervalMs, maxRunMs, report };

  async function resolveVisitor(request: Request, url: URL, route: RouteMatch, address: string | null): Promise<{ visitor: Visitor; setCookie?: string }> {
    const user = options.identify ? await options.identify(request) : null;
    if (user) {
      if (typeof user.user_id !== 'string' || user.user_id === '') throw new TypeError('identify() returned a user without user_id');
      const visitor: Visitor = { kind: 'user', id: user.user_id };
      if (user.display_name !== undefined) visitor.display_name = user.display_name;
      if (user.customer_id !== undefined) visitor.customer_id = user.customer_id;
      if (user.email !== undefined) visitor.email = user.email;
      return { visitor };
    }
    const token = await cookie.read(request, url);
    if (token) return { visitor: { kind: 'anonymous', id: token } };
    // Nothing can be found under an identity made up now: answer as for anyone else's id, and
    // mint no cookie (a cookie-less crawler must cost nothing).
    if (route.name.startsWith('thread')) throw threads.refusal();
    if (NEEDS_EXISTING_VISITOR.has(route.name))
      throw new SupportError('not_found', route.name === 'file' ? 'No such file.' : route.name === 'handoff' ? 'No such thread.' : 'No such run.');
    await guards.mintVisitor(address);
    const minted = await cookie.mint(url);
    return { visitor: { kind: 'anonymous', id: minted.token }, setCookie: minted.setCookie };
  }

  /**
   * A run's events, held on the run bus (so a Stop reaching any instance ends it here), within its
   * slots and its maximum run time. The slots are taken before the backend starts any work.
   */
  async function startManagedRun(
    knownRunId: string,
    ownerKey: string,
    address: string | null,
    { stopBackend, runCtx }: { stopBackend: AbortController; runCtx: TurnContext },
    start: () => AsyncIterable<RunEvent>,
  ): Promise<{ managed: ManagedRunEvents; first: IteratorResult<RunEvent> }> {
    const releaseSlots = await guards.startRun(ownerKey, address, maxRunMs);
    let hold: Promise<{ release(): Promise<void> } | null> = Promise.resolve(null);
    let cancelTimer: ReturnType<typeof setTimeout> | undefined;
    let leaveDrain = () => {};
    let managed: ManagedRunEvents;
    try {
      managed = new ManagedRunEvents(start()[Symbol.asyncIterator](), knownRunId, {
        stopBackend,
        maxRunMs,
        onEnd: () => {
          clearTimeout(cancelTimer);
          leaveDrain();
          releaseSlots();
          void hold.then((h) => h?.release()).catch(report);
        },
      });
    } catch (err) {
      releaseSlots();
      throw err;
    }
    // A drain ends the run with run.failed (unavailable) once its grace is over (a 503 before the first event).
    leaveDrain = drain.add(managed);
    const onCommand = (command: RunCommand) => {
      if (command.type !== 'cancel' || managed.ended || cancelTimer) return;
      // The backend stops its own run first (an upstream cancel ends the stream with its own last
      // event); whatever is still streaming after the grace is cut here.
      backend.cancel?.(managed.runId, runCtx).catch(() => {});
      cancelTimer = setTimeout(() => managed.cancel(), cancelGraceMs);
    };
    // Wait for the first event so an error thrown before any output is still a proper HTTP error.
    let first: IteratorResult<RunEvent>;
    try {
      first = await managed.next();
    } catch (err) {
      await managed.return();
      throw err;
    }
    // Remembered (for feedback) before the visitor can see the run id; a lost record only costs a 404 later.
    if (!first.done && managed.runId && !knownRunId) await runOwners.remember(managed.runId, ownerKey, feedbackWindowMs).catch(report);
    if (!first.done && !managed.ended) {
      hold = runBus.hold(managed.runId, ownerKey, maxRunMs, onCommand).catch((err: unknown) => {
        // Without a registration a Stop from another instance cannot reach this run; the run goes on.
        report(err);
        return null;
      });
      await hold;
    }
    return { managed, first };
  }

  /**
   * Starts a run (or a continuation) and records it: from here the run belongs to the server, and
   * every stream (this request's, a resume's) reads its log. `threadId` is `undefined` for a
   * continuation (the log knows it). `null` when the backend produced no event at all. `key` (an
   * Idempotency-Key or an approval's, already claimed) is bound to the run, or released when none
   * started.
   */
  async function startRecordedRun(
    ctx: TurnContext,
    knownRunId: string,
    ownerKey: string,
    address: string | null,
    threadId: string | undefined,
    start: (runCtx: TurnContext) => AsyncIterable<RunEvent>,
    key: string | null,
  ): Promise<{ run: RecordedRun; afterSeq: number } | null> {
    // A claimed key whose run never started is free again, so the same request can be retried.
    const release = () => (key === null ? undefined : runLog.releaseKey(ownerKey, key).catch(report));
    // The backend's signal: only the core stops a run (Stop, maximum run time, drain), never a browser leaving.
    const stopBackend = new AbortController();
    const runCtx: TurnContext = { ...ctx, signal: stopBackend.signal };
    const { managed, first } = await startManagedRun(knownRunId, ownerKey, address, { stopBackend, runCtx }, () => start(runCtx)).catch(async (err: unknown) => {
      await release();
      throw err;
    });
    if (first.done) {
      await release();
      return null;
    }
    // Who talked in the thread, for a later hand-off of it; refreshed by each turn.
    if (threadId !== undefined) await handoffDesk.turnStarted(threadId, ownerKey).catch(report);
    const runId = managed.runId;
    let afterSeq = 0;
    try {
      if (threadId === undefined) {
        const known = await runLog.lookup(runId);
        afterSeq = known.state === 'found' ? known.lastSeq : 0;
        threadId = known.state === 'found' ? known.threadId : '';
      }
      await runLog.open(runId, { owner: ownerKey, threadId }, maxRunMs);
      if (key !== null) await runLog.bindKey(ownerKey, key, runId);
    } catch (err) {
      await managed.return();
      await release();
      throw err;
    }
    const recorded = new RecordedRun(first.value, managed, {
      runId,
      afterSeq,
      log: runLog,
      report,
      onSettled: () => {
        if (recording.get(runId) === recorded) recording.delete(runId);
      },
    });
    if (!recorded.settled) recording.set(runId, recorded);
    return { run: recorded, afterSeq };
  }

  async function dispatch(route: RouteMatch, request: Request, ctx: TurnContext, abort: AbortController, headers: Headers, address: string | null) {
    const ownerKey = visitorKey(ctx.visitor);
    switch (route.name) {
      case 'session': {
        await discardBody(request, smallBodyBytes);
        let info: { display_name?: string } | void;
        try {
          info = await backend.session?.(ctx);
        } catch (err) {
          if (!(err instanceof RetiredVisitorError) || ctx.visitor.kind !== 'anonymous') throw err;
          // A retired anonymous cookie is HttpOnly: only a fresh one from here gets the visitor a chat again.
          const minted = await cookie.mint(new URL(request.url));
          headers.append('Set-Cookie', minted.setCookie);
          ctx = { ...ctx, visitor: { kind: 'anonymous', id: minted.token } };
          info = await backend.session?.(ctx);
        }
        const displayName = info?.display_name ?? (ctx.visitor.kind === 'user' ? ctx.visitor.display_name : undefined);
        const body: SessionResponse = {
          v: PROTOCOL_VERSION,
          visitor: displayName === undefined ? { kind: ctx.visitor.kind } : { kind: ctx.visitor.kind, display_name: displayName },
          limits,
          features: { resume: true },
        };
        if (takesFeedback) body.features = { ...body.features, feedback: true };
        if (threads.offeredTo(ctx.visitor)) body.features = { ...body.features, threads: true };
        if (handoffDesk.open) {
          body.features = { ...body.features, handoff: true };
          if (handoffDesk.knowsEmailOf(ctx.visitor)) body.visitor.has_email = true;
        }
        const active = await runLog.activeRun(visitorKey(ctx.visitor));
        if (active) body.active_run = { run_id: active.runId, thread_id: active.threadId };
        return json(body, headers);
      }
      case 'runs': {
        const key = idempotencyKeyOf(request);
        const raw = await readJsonBody(request, maxBodyBytes, { maxTextChars: limits.max_text_chars });
        const input = await validateRunRequest(raw, limits);
        if (key !== null) {
          const repeated = await claimIdempotencyKey(streams, ownerKey, key, await requestFingerprint(raw));
          // The same turn again (a retry after a lost reply): its run, from the start, nothing new upstream.
          if (repeated !== null) return respondWithEntries(streams, await followRun(streams, repeated, 0, ownerKey), input.stream, input.thread_id, abort, headers);
        }
        const started = await startRecordedRun(ctx, '', ownerKey, address, input.thread_id, (runCtx) => backend.run(input, runCtx), key);
        // Listed once the backend took the turn; a lost entry only leaves the thread off the list.
        if (started) await threads.turnTaken(ownerKey, ctx.visitor, input.thread_id, input.input).catch(report);
        return respondWithEntries(streams, started && (await firstOf(started.run, started.afterSeq)), input.stream, input.thread_id, abort, headers);
      }
      case 'approval': {
        const [run_id, approval_id] = route.params as [string, string];
        const { decision, stream } = validateApprovalBody(await readJsonBody(request, smallBodyBytes));
        const approve = backend.approve?.bind(backend);
        if (!approve) throw new SupportError('not_found', 'This backend does not support approvals.');
        // The same decision again (its reply was lost): the same continuation, nothing new upstream.
        if ((await claimApprovalDecision(streams, ownerKey, run_id, approval_id, decision)) !== null) {
          return respondWithEntries(streams, await followContinuation(streams, run_id, approval_id, ownerKey), stream, '', abort, headers);
        }
        const continuation = (runCtx: TurnContext) => approve({ run_id, approval_id, decision, stream }, runCtx);
        const started = await startRecordedRun(ctx, run_id, ownerKey, address, undefined, continuation, approvalKey(run_id, approval_id));
        return respondWithEntries(streams, started && (await firstOf(started.run, started.afterSeq)), stream, '', abort, headers);
      }
      case 'events': {
        const [runId] = route.params as [string];
        const after = resumePosition(request, new URL(request.url));
        // 204: nothing after that event (the reply, or this part of it, has ended).
        return respondWithEntries(streams, await followRun(streams, runId, after, ownerKey), true, '', abort, headers, 204);
      }
      case 'cancel': {
        const [runId] = route.params as [string];
        await discardBody(request, smallBodyBytes);
        // A run streaming on some instance: its owner decides (someone else's run is as absent as
        // none), and the instance holding it stops it, whether or not the upstream can cancel.
        const owner = await runBus.owner(runId);
        if (owner !== null) {
          if (owner !== ownerKey) throw new SupportError('not_found', 'No such run.');
          if (await runBus.send(runId, { type: 'cancel' })) return json({ v: PROTOCOL_VERSION, run_id: runId, cancelled: true }, headers);
        }
        if (!backend.cancel) throw new SupportError('not_found', 'This backend cannot cancel runs.');
        await backend.cancel(runId, ctx);
        return json({ v: PROTOCOL_VERSION, run_id: runId, cancelled: true }, headers);
      }
      case 'feedback': {
        const [runId] = route.params as [string];
        const input = validateFeedbackBody(runId, await readJsonBody(request, smallBodyBytes));
        if (!takesFeedback) throw new SupportError('not_found', 'This endpoint does not take feedback.');
        // Another visitor's run is as absent as one that never existed.
        if ((await runOwners.owner(runId)) !== ownerKey) throw new SupportError('not_found', 'No such run.');
        await backend.feedback?.(input, ctx);
        await options.onFeedback?.({ ...input, visitor: ctx.visitor, received_at: new Date().toISOString() }, ctx);
        return json({ v: PROTOCOL_VERSION, run_id: runId, saved: true }, headers);
      }
      case 'threads':
      case 'thread':
        return threads.answer(route, request, ctx, ownerKey, headers);
      case 'handoff':
        return handoffDesk.answer(await readJsonBody(request, smallBodyBytes), ctx, ownerKey, headers);
      case 'file': {
        const [fileId] = route.params as [string];
        const file = backend.getFile ? await backend.getFile(fileId, ctx) : null;
        if (!file) throw new SupportError('not_found', 'No such file.');
        return fileResponse(file, headers, request.method);
      }
    }
  }

  async function handleSupportRequest(request: Request, info?: ConnectionInfo): Promise<Response> {
    return hardened(await answer(request, info));
  }

  async function answer(request: Request, info: ConnectionInfo | undefined): Promise<Response> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return errorResponse(new SupportError('invalid_request', 'Malformed request URL.'));
    }
    const origin = checkOrigin(request, url, options.allowedOrigins);
    if (origin.kind === 'forbidden') {
      return errorResponse(new SupportError('forbidden', `Origin ${origin.origin} is not allowed to use this endpoint.`));
    }
    const headers = new Headers(origin.kind === 'cors' ? corsHeaders(origin.origin) : {});

    const route = matchRoute(url.pathname, options.basePath);
    if (!route) return errorResponse(new SupportError('not_found', `No such endpoint: ${request.method} ${url.pathname}`), headers);
    const allow = [...route.methods, 'OPTIONS'].join(', ');
    if (request.method === 'OPTIONS') {
      const h = new Headers(origin.kind === 'cors' ? preflightHeaders(origin.origin, request, allow) : {});
      h.set('Allow', allow);
      return new Response(null, { status: 204, headers: h });
    }
    if (!route.methods.includes(request.method)) {
      headers.set('Allow', allow);
      return errorResponse(
        new SupportError('method_not_allowed', `${request.method} is not allowed here; use ${route.methods.join(' or ')}.`, {
          status: 405,
        }),
        headers,
      );
    }

    const refusal = route.name === 'runs' || route.name === 'approval' || route.name === 'events' ? drain.refusal() : undefined;
    if (refusal) return errorResponse(refusal, headers);

    const abort = new AbortController();
    const onClientGone = () => abort.abort(request.signal.reason);
    if (request.signal.aborted) onClientGone();
    else request.signal.addEventListener('abort', onClientGone, { once: true });

    try {
      const address = clientAddressOf(request, info, options);
      const { visitor, setCookie } = await resolveVisitor(request, url, route, address);
      if (setCookie) headers.append('Set-Cookie', setCookie);
      await guards.meter(request, visitorKey(visitor), address, route.name === 'file');
      const ctx: TurnContext = { visitor, request, signal: abort.signal };
      handoffDesk.equip(ctx);
      return await dispatch(route, request, ctx, abort, headers, address);
    } catch (err) {
      // A client that left mid-request (an aborted upload) is an expected event, not a fault.
      if (!abort.signal.aborted) report(err);
      return errorResponse(err, headers);
    }
  }
  return Object.assign(handleSupportRequest, { drain: (graceMs?: number) => drain.drain(graceMs) });
}
