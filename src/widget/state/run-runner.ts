/**
 * Runs one request of a turn to its end: waits out a `Retry-After`, a `POST /session` still in
 * flight and an offline browser, streams the events into the store, gives up a stream that stays
 * silent past the idle timeout, picks a run up again when its connection breaks (backends that
 * resume runs), and turns whatever goes wrong into a failed turn. It owns no state: the store says
 * whether the run is still the current one and applies what arrives.
 */
import type { RunEvent } from '../../protocol/types.js';
import type { ChatError } from '../types.js';
import { abortableDelay, type Connectivity } from './connectivity.js';
import { IdleTimer, idleTimeoutError } from './idle-timer.js';
import type { ActiveRun } from './store-types.js';
import type { ChatTransport, TransportRunOptions } from './transport.js';

/** How long a turn waits for a `POST /session` still in flight before it goes anyway. */
export const SESSION_WAIT_MS = 10_000;

/** Failures that may have left the run going on the server: worth resuming. */
const BROKEN: ReadonlySet<string> = new Set(['interrupted', 'network_error']);

/** What the runner needs from the store, read fresh at each step. */
export interface RunHost {
  readonly transport: ChatTransport | null;
  /**
   * `POST /session` in flight, if any: a turn waits for it, so the run carries the visitor cookie
   * it sets. One that failed (an outage at page load) is sent again first: without it the page
   * would go without the backend's features (resume among them) until a reload.
   */
  sessionForTurn(): Promise<void> | null;
  readonly connectivity: Connectivity;
  readonly idleTimeoutMs: number;
  now(): number;
  /** False once the run was stopped, failed or replaced: the runner then lets it go quietly. */
  isCurrent(run: ActiveRun): boolean;
  /** The turn waits for the connection (`offline`), for the reply (`sending`), or for a broken one to come back (`reconnecting`). */
  setStatus(status: 'offline' | 'sending' | 'reconnecting'): void;
  /** True when the transport can pick up a run whose connection broke (the backend resumes runs). */
  resumable(): boolean;
  /** The run is replayed from its start: what it showed so far is cleared, to be drawn again. */
  restart(run: ActiveRun): void;
  warnOnce(message: string): void;
  apply(run: ActiveRun, event: RunEvent): void;
  fail(run: ActiveRun, error: ChatError): void;
  finish(run: ActiveRun): void;
}

export type OpenStream = (transport: ChatTransport, options: TransportRunOptions) => AsyncIterable<RunEvent>;

/** How long a stream broken while the page is being left waits before it counts as failed. */
const LEAVING_GRACE_MS = 3_000;

export async function runStream(host: RunHost, run: ActiveRun, notBefore: number | undefined, open: OpenStream, toError: (error: unknown) => ChatError): Promise<void> {
  const transport = host.transport;
  const signal = run.controller.signal;
  let timer: IdleTimer | undefined;
  try {
    if (!transport) throw { code: 'invalid_request', message: 'No endpoint is configured.' } satisfies ChatError;
    if (notBefore !== undefined && notBefore > host.now()) await abortableDelay(notBefore - host.now(), signal);
    const session = host.sessionForTurn();
    if (session) {
      // Otherwise a first turn sent during page load races the session for the visitor cookie,
      // and the run (and its approvals) may belong to a different anonymous visitor.
      // Bounded: a hung session must not hold the turn forever.
      await Promise.race([session, abortableDelay(SESSION_WAIT_MS, signal)]);
      if (!host.isCurrent(run)) return;
    }
    if (!host.connectivity.isOnline()) {
      host.setStatus('offline');
      await host.connectivity.waitForOnline(signal);
      if (!host.isCurrent(run)) return;
      host.setStatus('sending');
    }
    // Fetched ahead, while the network is fine: it is needed when the connection breaks.
    if (host.resumable()) lazyState().catch(() => undefined);
    const idleMs = host.idleTimeoutMs;
    const options: TransportRunOptions = {
      signal,
      onWarning: (message) => host.warnOnce(message),
      onActivity: () => timer?.reset(),
      cursor: run.cursor,
    };
    if (run.idempotencyKey !== undefined) options.idempotencyKey = run.idempotencyKey;
    let stream = open;
    for (let attempt = 0; ;) {
      timer = new IdleTimer(idleMs, () => {
        if (host.isCurrent(run)) run.controller.abort(idleTimeoutError(idleMs));
      });
      try {
        for await (const event of stream(transport, options)) {
          if (!host.isCurrent(run)) break;
          timer.reset();
          attempt = 0;
          run.accepted = true;
          host.apply(run, event);
          if (run.finished) break;
        }
        if (!host.isCurrent(run) || run.finished) return;
        throw { code: 'interrupted', message: 'The reply stream ended before the run finished.' } satisfies ChatError;
      } catch (error) {
        timer.stop();
        if (!host.isCurrent(run) || signal.aborted) throw error;
        if (!BROKEN.has(toError(error).code) || !host.resumable()) throw error;
        const resuming = await lazyState().catch(() => null);
        const reopen = resuming?.resumption(host, transport, run, open);
        if (!resuming || !reopen || attempt >= resuming.RESUME_ATTEMPTS || !host.isCurrent(run)) throw error;
        host.setStatus('reconnecting');
        await resuming.backOff(resuming.resumeDelay(attempt++), host.connectivity, signal);
        if (!host.isCurrent(run)) return;
        stream = reopen;
      }
    }
  } catch (error) {
    // The page is being left (a reload, a link): Firefox and WebKit break its streams while its
    // scripts still run. Failing the turn now would store it as failed and forget it; if the page
    // really goes, nothing runs after this wait and the next page resumes the turn.
    if (host.connectivity.isLeaving?.()) await new Promise((resolve) => setTimeout(resolve, LEAVING_GRACE_MS));
    if (host.isCurrent(run)) host.fail(run, resumeFailure(run, toError(error)));
  } finally {
    timer?.stop();
    if (host.isCurrent(run)) host.finish(run);
  }
}

/** A run that could not be picked up again reads as cut off (its reply kept, Retry offered). */
function resumeFailure(run: ActiveRun, error: ChatError): ChatError {
  if (run.resuming && (error.code === 'not_found' || error.code === 'run_expired')) return { code: 'interrupted', message: error.message };
  return error;
}

/** The state's on-demand parts (lazy-state.ts, the feature chunk): every `import()` of them is this one. */
export const lazyState = () => import('./lazy-state.js');
