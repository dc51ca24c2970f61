import { EventDecoder } from './event-decoder.js';
import { ProtocolError, isJsonType, mediaType } from './errors.js';
import { discardBody, endpointUrl, readJson, rethrowAbort, send, type ClientOptions, type RequestShape } from './request.js';
import { parseEventBatches } from './sse-parser.js';
import type { ApprovalDecision, FeedbackRequestBody, RunEvent, RunRequest, SessionResponse } from './types.js';
import { IDEMPOTENCY_KEY_HEADER, LAST_EVENT_ID_HEADER, runEventsPath } from './types.js';
import { runResultEvents } from './run-result.js';
import { toSession } from './session-response.js';

export { runResultEvents } from './run-result.js';
export { endpointUrl, type ClientOptions } from './request.js';

export interface StreamOptions extends ClientOptions {
  /** Skipped events (bad JSON, missing fields, newer `v`); log them once. */
  onWarning?(message: string): void;
  /** Called whenever bytes arrive, `: ping` comments included, to reset an idle timer. */
  onActivity?(): void;
  /** Least time (ms) between two reads of the stream's body (see `ParseEventStreamOptions.readInterval`). */
  readInterval?: number;
  /**
   * Consecutive `message.delta` events of one run that arrive in the same chunk are yielded as one
   * delta with their texts joined (same text, far fewer events for a fast stream); the stream's
   * first delta is always yielded alone. Default false.
   */
  coalesceDeltas?: boolean;
  /**
   * Where the run's stream got to, shared by a run's first stream and its resumes: each event is
   * recorded here (its SSE `id`) before it is handed on, and an event whose numeric `id` is not past
   * the recorded one is a replay of something already handed on, and skipped.
   */
  cursor?: RunCursor;
}

/** The SSE `id` of the last event of a run handed on (absent before any, or from a backend without ids). */
export interface RunCursor {
  lastEventId?: string;
}

export interface StartRunOptions extends StreamOptions {
  /**
   * Sent as `Idempotency-Key`: one random key per turn, the same when that turn is sent again, so a
   * backend with `features.resume` returns the run it already started instead of a second one.
   */
  idempotencyKey?: string;
}

export interface ContinueRunBody {
  decision: ApprovalDecision;
  /** Default `true`. */
  stream?: boolean;
}

const ACCEPT_RUN = 'text/event-stream, application/json';

/**
 * Starts a turn: `POST {endpoint}/runs`, yielding the run's v1 events whether the backend streams
 * (`text/event-stream`) or answers in one JSON reply (turned into the same events). Iteration ends
 * after `run.completed` or `run.failed`. Throws a `ProtocolError` for a non-2xx reply (with code,
 * status and `retryAfterMs`), an unexpected content type, an unreachable server (`network_error`)
 * or a stream that ends before the run does (`interrupted`); an abort rejects with the signal's reason.
 */
export function startRun(endpoint: string, request: RunRequest, options: StartRunOptions = {}): AsyncGenerator<RunEvent, void, undefined> {
  const { idempotencyKey, ...rest } = options;
  const headers: Record<string, string> = idempotencyKey ? { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey } : {};
  return runStream(endpointUrl(endpoint, '/runs'), { method: 'POST', body: request, headers }, rest);
}

/**
 * Picks a run up again (backends with `features.resume`): `GET {endpoint}/runs/{run_id}/events` with
 * `Last-Event-ID` from `options.cursor` (none: from the start), yielding what came after it and
 * then the live run until its terminal event, exactly like `startRun`. Throws `not_found` (404) for
 * an unknown run, `run_expired` (410) once its log is gone (the turn must then be sent again), and
 * `interrupted` for a 204 (nothing follows the position).
 */
export function resumeRun(endpoint: string, runId: string, options: StreamOptions = {}): AsyncGenerator<RunEvent, void, undefined> {
  const after = options.cursor?.lastEventId;
  const headers: Record<string, string> = after !== undefined ? { [LAST_EVENT_ID_HEADER]: after } : {};
  return runStream(endpointUrl(endpoint, runEventsPath(runId)), { method: 'GET', headers }, options);
}

/**
 * Sends the visitor's decision on an approval: `POST {endpoint}/runs/{run_id}/approvals/{approval_id}`,
 * yielding the continuation of the run exactly like `startRun`.
 */
export function continueRun(endpoint: string, runId: string, approvalId: string, body: ContinueRunBody, options: StreamOptions = {}): AsyncGenerator<RunEvent, void, undefined> {
  const path = `/runs/${encodeURIComponent(runId)}/approvals/${encodeURIComponent(approvalId)}`;
  return runStream(endpointUrl(endpoint, path), { method: 'POST', body: { decision: body.decision, stream: body.stream ?? true } }, options);
}

/**
 * Asks the backend to stop a run: `POST {endpoint}/runs/{run_id}/cancel`. Best effort: resolves
 * `true` when the backend accepted, `false` on any failure; never rejects.
 */
export async function cancelRun(endpoint: string, runId: string, options: ClientOptions = {}): Promise<boolean> {
  try {
    await discardBody(await send(endpointUrl(endpoint, `/runs/${encodeURIComponent(runId)}/cancel`), { method: 'POST', body: {} }, 'application/json', options));
    return true;
  } catch {
    return false;
  }
}

/**
 * `POST {endpoint}/runs/{run_id}/feedback`: the visitor's rating of a reply. Throws a `ProtocolError`
 * when the backend refused it or could not be reached.
 */
export async function sendFeedback(endpoint: string, runId: string, body: FeedbackRequestBody, options: ClientOptions = {}): Promise<void> {
  await discardBody(await send(endpointUrl(endpoint, `/runs/${encodeURIComponent(runId)}/feedback`), { method: 'POST', body }, 'application/json', options));
}

/**
 * `POST {endpoint}/session`: makes sure the backend knows the visitor (and sets the anonymous
 * cookie) and returns who the visitor is and the attachment limits.
 */
export async function openSession(endpoint: string, options: ClientOptions = {}): Promise<SessionResponse> {
  const url = endpointUrl(endpoint, '/session');
  const response = await send(url, { method: 'POST', body: {} }, 'application/json', options);
  const type = mediaType(response);
  if (!isJsonType(type)) {
    await discardBody(response);
    throw wrongType(`POST ${url}`, response, type, 'application/json');
  }
  return toSession(await readJson(response, `POST ${url}`, options), url, response.status);
}

// ---------------------------------------------------------------------------

/** How long the rest of a stream may take to end after its run finished before it is dropped. */
const DRAIN_MS = 2000;

async function* runStream(url: string, shape: RequestShape, options: StreamOptions): AsyncGenerator<RunEvent, void, undefined> {
  // The request has its own controller, following the caller's signal, so that the rest of a finished
  // stream can be dropped (see drainAfterEnd) without the caller aborting anything.
  const request = new AbortController();
  const caller = options.signal;
  const follow = () => request.abort(caller?.reason);
  if (caller?.aborted) follow();
  else caller?.addEventListener('abort', follow, { once: true });
  // Unhooked from the caller's signal once the request is over (a caller may reuse one signal for
  // many runs); while a finished stream drains, Stop must still reach it, so that waits for the drain.
  const ending: StreamEnding = { drop: () => request.abort(), release: () => caller?.removeEventListener('abort', follow), draining: false };
  try {
    const response = await send(url, shape, ACCEPT_RUN, { ...options, signal: request.signal });
    // A resume with nothing after its position (that segment ended, or a continuation's first event
    // is not logged yet): no reply to show from here, so the caller may try again or give up.
    if (response.status === 204) throw new ProtocolError('interrupted', `${shape.method} ${url}: nothing follows the last event.`, { status: 204 });
    const type = mediaType(response);
    if (type === 'text/event-stream') {
      yield* eventsFromStream(response, options, ending);
    } else if (isJsonType(type)) {
      yield* eventsFromResult(await readJson(response, `${shape.method} ${url}`, options), `${shape.method} ${url}`, response.status);
    } else {
      await discardBody(response);
      throw wrongType(`${shape.method} ${url}`, response, type, 'text/event-stream or application/json');
    }
  } finally {
    if (!ending.draining) ending.release();
  }
}

/** How a stream's request ends: `drop` aborts it, `release` unhooks it from the caller's signal. */
interface StreamEnding {
  drop(): void;
  release(): void;
  /** Set once a finished run's stream is being read to its end in the background. */
  draining: boolean;
}

async function* eventsFromStream(response: Response, options: StreamOptions, ending: StreamEnding): AsyncGenerator<RunEvent, void, undefined> {
  if (!response.body) throw new ProtocolError('interrupted', 'The reply stream had no body.', { status: response.status });
  const decoder = new EventDecoder(options.onWarning ? { onWarning: options.onWarning } : {});
  const onActivity = options.onActivity;
  const batches = parseEventBatches(response.body, {
    // Bytes read after the run finished are no sign of life for the caller's idle timer.
    ...(onActivity ? { onChunk: () => ending.draining || onActivity() } : {}),
    ...(options.readInterval ? { readInterval: options.readInterval } : {}),
  });
  const coalesce = options.coalesceDeltas === true;
  const cursor = options.cursor;
  // The id of the held (joined) delta: its last part's, recorded when it is handed on.
  let pendingId: string | undefined;
  const record = (id: string | undefined) => {
    if (cursor && id !== undefined) cursor.lastEventId = id;
  };
  // The reply's first delta is always handed on by itself: its first words end the wait for the
  // reply (status, Stop) at once; joining starts with the deltas after it.
  let firstDelta = true;
  const reading = batches[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (let step = await reading.next(); !step.done; step = await reading.next()) {
      const batch = step.value;
      // A chunk's run of deltas, held back to be joined (only with `coalesceDeltas`).
      let pending: Extract<RunEvent, { type: 'message.delta' }> | undefined;
      let parts: string[] = [];
      const flush = () => {
        if (!pending) return undefined;
        const event = parts.length > 1 ? { ...pending, delta: parts.join('') } : pending;
        pending = undefined;
        parts = [];
        record(pendingId);
        return event;
      };
      for (const message of batch) {
        // A resumed or replayed stream starts over events already handed on: skipped by their id.
        if (cursor && alreadySeen(message.id, cursor.lastEventId)) continue;
        const event = decoder.decode(message);
        if (!event) {
          // Not for us (an unknown event of a newer backend), but the position still moves past it.
          if (!pending) record(message.id);
          continue;
        }
        if (coalesce && event.type === 'message.delta' && !firstDelta) {
          if (pending && pending.run_id !== event.run_id) yield flush()!;
          pending ??= event;
          parts.push(event.delta);
          pendingId = message.id;
          continue;
        }
        const held = flush();
        if (held) yield held;
        record(message.id);
        if (event.type === 'message.delta') firstDelta = false;
        // The run is over: anything after (a duplicated `run.completed`) is ignored. Marked before
        // the event is handed on, since a consumer may stop iterating as soon as it has it.
        const last = event.type === 'run.completed' || event.type === 'run.failed';
        if (last) finished = true;
        yield event;
        if (last) return;
      }
      const held = flush();
      if (held) yield held;
    }
  } catch (cause) {
    rethrowAbort(options.signal);
    throw new ProtocolError('interrupted', 'The connection closed before the reply finished.', {
      status: response.status,
      cause,
    });
  } finally {
    // A finished run's stream is read to its end (the server closes it right after), so the response
    // completes rather than being cancelled and its keep-alive connection can be reused. Stopped
    // early (Stop, a consumer that leaves, an error): the body is cancelled at once.
    if (finished) {
      ending.draining = true;
      drainAfterEnd(reading, ending);
    } else await reading.return(undefined).catch(() => undefined);
  }
  throw new ProtocolError('interrupted', 'The reply stream ended before the run finished.', { status: response.status });
}

function* eventsFromResult(result: unknown, request: string, status: number): Generator<RunEvent, void, undefined> {
  try {
    yield* runResultEvents(result, request);
  } catch (error) {
    if (error instanceof ProtocolError) throw new ProtocolError(error.code, error.message, { status });
    throw error;
  }
}

/** True when `id` is a sequence number at or before `last` (ids that are not numbers never are: NaN compares false). */
function alreadySeen(id: string | undefined, last: string | undefined): boolean {
  return id !== undefined && last !== undefined && +id <= +last;
}

/** Reads what is left of a finished run's stream in the background; drops it after DRAIN_MS. */
function drainAfterEnd(reading: AsyncIterator<unknown>, ending: StreamEnding): void {
  const timer: ReturnType<typeof setTimeout> & { unref?(): void } = setTimeout(ending.drop, DRAIN_MS);
  timer.unref?.(); // in Node, a finished run's leftover stream must not keep the process alive
  void (async () => {
    try {
      while (!(await reading.next()).done);
    } catch {
      // Dropped after DRAIN_MS, or the connection broke: the run had finished, nothing is lost.
    } finally {
      clearTimeout(timer);
      ending.release();
    }
  })();
}

function wrongType(request: string, response: Response, type: string, expected: string): ProtocolError {
  return new ProtocolError('invalid_response', `${request} replied ${response.status} with ${type === '' ? 'no content type' : type}; expected ${expected}.`, {
    status: response.status,
  });
}
