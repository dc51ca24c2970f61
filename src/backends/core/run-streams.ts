/**
 * The streams of recorded runs, for createSupportHandler: a run followed after a sequence number (from
 * memory when it streams on this instance, else through the run log), the idempotency-key claim that
 * turns a repeated `POST /runs` into a replay, and the answer in the format the request asked for
 * (SSE, or one JSON result).
 */
import type { RunEvent } from '../../protocol/types.js';
import { sleep } from '../internal/helpers.js';
import { collectRunResult } from './collect-run-result.js';
import type { Drain } from './drain.js';
import { entryStreamResponse, type FrameEntry } from './event-stream-response.js';
import { isTerminalEvent } from './memory-run-log.js';
import { LOG_PAGE } from './local-cursor.js';
import type { RecordedRun } from './recorded-run.js';
import { RemoteCursor } from './remote-follow.js';
import type { RunBus, RunLogStore } from './stores.js';
import { SupportError } from './support-error.js';

/** What the run streams share with the handler that owns them. */
export interface RunStreams {
  readonly runLog: RunLogStore;
  readonly runBus: RunBus;
  /** The run segments streaming on this instance: their streams read from memory. */
  readonly recording: ReadonlyMap<string, RecordedRun>;
  readonly drain: Drain;
  readonly pingIntervalMs: number;
  readonly maxRunMs: number;
  readonly report: (err: unknown) => void;
}

/** A run's stream with its first entry read (so an empty one answers without opening a stream). */
export type StartedStream = { cursor: AsyncIterator<FrameEntry>; first: FrameEntry };

/** How long a repeated `POST /runs` waits for the first one (same key) to start its run. */
const IDEMPOTENT_WAIT_MS = 10_000;
const NEVER = new AbortController().signal;

export function json(body: unknown, headers: Headers, status = 200): Response {
  const h = new Headers(headers);
  h.set('Content-Type', 'application/json; charset=utf-8');
  h.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(body), { status, headers: h });
}

/**
 * A stream of run `runId` after `afterSeq` for visitor `ownerKey`: from memory when it streams
 * here, else followed through the log. 404 for another visitor's or an unknown run, 410 once the
 * log (or the part asked for) has expired, `null` when there is nothing after `afterSeq`.
 */
export async function followRun(ctx: RunStreams, runId: string, afterSeq: number, ownerKey: string): Promise<StartedStream | null> {
  const { runLog, runBus, recording, drain, pingIntervalMs } = ctx;
  const known = await runLog.lookup(runId);
  if (known.state === 'unknown' || known.owner !== ownerKey) throw new SupportError('not_found', 'No such run.');
  if (known.state === 'expired') throw new SupportError('run_expired', 'This reply is no longer kept, so it cannot be resumed. Please ask again.');
  if (afterSeq < known.firstSeq - 1) throw new SupportError('run_expired', 'The start of this reply is no longer kept, so it cannot be resumed. Please ask again.');
  const local = recording.get(runId);
  let cursor: AsyncIterator<FrameEntry>;
  if (local) cursor = local.cursor(afterSeq);
  else {
    if (known.settled && afterSeq >= known.lastSeq) return null;
    const remote = new RemoteCursor(runId, afterSeq, { log: runLog, runBus, checkAfterMs: Math.min(pingIntervalMs, 5_000) });
    await remote.start();
    cursor = remote;
    // A drain ends these streams without an event: the browser resumes on another instance.
    const leave = drain.add({ interrupt: () => void remote.return() });
    remote.onEnd(leave);
  }
  const first = await cursor.next();
  if (first.done) return null;
  return { cursor, first: first.value };
}

/**
 * Claims an idempotency key for this request: `null` when it is ours (start the run), else the
 * run an earlier request with the same key started (waiting a little while it is still starting).
 */
export async function claimIdempotencyKey(
  ctx: RunStreams,
  ownerKey: string,
  key: string,
  fingerprint: string,
  conflict: (earlier: string) => SupportError = () =>
    new SupportError('idempotency_conflict', 'This Idempotency-Key was already used for a different message. Send a new key for a new turn.'),
): Promise<string | null> {
  const { runLog, maxRunMs } = ctx;
  const deadline = Date.now() + IDEMPOTENT_WAIT_MS;
  for (;;) {
    const claim = await runLog.claimKey(ownerKey, key, fingerprint, maxRunMs);
    if (claim.outcome === 'claimed') return null;
    if (claim.fingerprint !== fingerprint) throw conflict(claim.fingerprint);
    if (claim.runId !== null) {
      // A key whose run's log is gone names nothing to replay: the turn may run again.
      if ((await runLog.lookup(claim.runId)).state === 'found') return claim.runId;
      await runLog.releaseKey(ownerKey, key, claim.runId);
      continue;
    }
    if (Date.now() > deadline) throw new SupportError('unavailable', 'The same message is still being started. Please try again in a moment.', { retryAfterSeconds: 1 });
    await sleep(50, NEVER);
  }
}

/**
 * An approval decision is claimed like an idempotency key (the key names the approval, the
 * fingerprint is the decision): when the reply to a decision is lost before its first byte, the
 * browser sends the same decision again and gets the same continuation, replayed and followed,
 * instead of the backend's "already decided". Another decision for it is refused (409 conflict).
 */
export function claimApprovalDecision(ctx: RunStreams, ownerKey: string, runId: string, approvalId: string, decision: string): Promise<string | null> {
  return claimIdempotencyKey(ctx, ownerKey, approvalKey(runId, approvalId), decision, (earlier) => {
    const was = earlier === 'approve' ? 'approved' : 'denied';
    return new SupportError('conflict', `This approval was already ${was}; a different decision cannot be sent.`, { status: 409 });
  });
}

/** The key an approval's decision is claimed under: with spaces, which no `Idempotency-Key` header has. */
export function approvalKey(runId: string, approvalId: string): string {
  return `approval ${runId} ${approvalId}`;
}

/**
 * The continuation that followed approval `approvalId` of run `runId`: replayed from its first
 * event (just after the terminal event of the segment that asked for the approval) and followed.
 */
export async function followContinuation(ctx: RunStreams, runId: string, approvalId: string, ownerKey: string): Promise<StartedStream | null> {
  const known = await ctx.runLog.lookup(runId);
  if (known.state === 'unknown' || known.owner !== ownerKey) throw new SupportError('not_found', 'No such run.');
  let asked = false;
  for (let after = 0; ;) {
    const page = await ctx.runLog.read(runId, after, LOG_PAGE);
    if (page.length === 0) break;
    for (const { seq, event } of page) {
      if (event.type === 'approval.requested' && event.approval_id === approvalId) asked = true;
      else if (asked && isTerminalEvent(event)) return followRun(ctx, runId, seq, ownerKey);
    }
    after = page[page.length - 1]!.seq;
  }
  throw new SupportError('run_expired', 'This reply is no longer kept, so it cannot be resumed. Please ask again.');
}

/** A new recorded run's stream for the request that started it. */
export async function firstOf(run: RecordedRun, afterSeq: number): Promise<StartedStream | null> {
  const cursor = run.cursor(afterSeq);
  const first = await cursor.next();
  return first.done ? null : { cursor, first: first.value };
}

/** Answers a recorded run's stream in the format the request asked for. */
export async function respondWithEntries(
  ctx: RunStreams,
  started: StartedStream | null,
  stream: boolean,
  threadId: string,
  abort: AbortController,
  headers: Headers,
  status = 200,
): Promise<Response> {
  if (stream) {
    if (!started) {
      const h = new Headers(headers);
      h.set('Content-Type', 'text/event-stream; charset=utf-8');
      h.set('Cache-Control', 'no-cache, no-transform');
      return new Response(status === 204 ? null : '', { status, headers: h });
    }
    return entryStreamResponse(started.first, started.cursor, { pingIntervalMs: ctx.pingIntervalMs, headers, abort, onError: ctx.report });
  }
  async function* rest(): AsyncGenerator<RunEvent> {
    if (!started) return;
    yield started.first.event;
    for (;;) {
      const next = await started.cursor.next();
      if (next.done) return;
      yield next.value.event;
    }
  }
  const result = await collectRunResult(rest(), { thread_id: threadId }, ctx.report);
  return json(result, headers);
}
