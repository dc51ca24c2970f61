/**
 * Runs one request of a turn to its end: waits out a `Retry-After`, a `POST /session` still in
 * flight and an offline browser, streams the events into the store, gives up a stream that stays
 * silent past the idle timeout, and turns whatever goes wrong into a failed turn. It owns no state:
 * the store says whether the run is still the current one and applies what arrives.
 */
import type { RunEvent } from '../../protocol/types.js';
import type { ChatError } from '../types.js';
import { abortableDelay, type Connectivity } from './connectivity.js';
import { IdleTimer, idleTimeoutError } from './idle-timer.js';
import type { ActiveRun } from './store-types.js';
import type { ChatTransport, TransportRunOptions } from './transport.js';

/** How long a turn waits for a `POST /session` still in flight before it goes anyway. */
export const SESSION_WAIT_MS = 10_000;

/** What the runner needs from the store, read fresh at each step. */
export interface RunHost {
  transport(): ChatTransport | null;
  /** `POST /session` in flight: a turn waits for it, so the run carries the visitor cookie it sets. */
  sessionInFlight(): Promise<void> | null;
  readonly connectivity: Connectivity;
  idleTimeoutMs(): number;
  now(): number;
  /** False once the run was stopped, failed or replaced: the runner then lets it go quietly. */
  isCurrent(run: ActiveRun): boolean;
  /** The turn waits for the connection (`offline`), then for the reply (`sending`). */
  setStatus(status: 'offline' | 'sending'): void;
  warnOnce(message: string): void;
  apply(run: ActiveRun, event: RunEvent): void;
  fail(run: ActiveRun, error: ChatError): void;
  finish(run: ActiveRun): void;
}

export type OpenStream = (transport: ChatTransport, options: TransportRunOptions) => AsyncIterable<RunEvent>;

export async function runStream(host: RunHost, run: ActiveRun, notBefore: number | undefined, open: OpenStream, toError: (error: unknown) => ChatError): Promise<void> {
  const transport = host.transport();
  const signal = run.controller.signal;
  let timer: IdleTimer | undefined;
  try {
    if (!transport) throw { code: 'invalid_request', message: 'No endpoint is configured.' } satisfies ChatError;
    if (notBefore !== undefined && notBefore > host.now()) await abortableDelay(notBefore - host.now(), signal);
    const session = host.sessionInFlight();
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
    const idleMs = host.idleTimeoutMs();
    timer = new IdleTimer(idleMs, () => {
      if (host.isCurrent(run)) run.controller.abort(idleTimeoutError(idleMs));
    });
    const events = open(transport, {
      signal,
      onWarning: (message) => host.warnOnce(message),
      onActivity: () => timer?.reset(),
    });
    for await (const event of events) {
      if (!host.isCurrent(run)) break;
      timer.reset();
      run.accepted = true;
      host.apply(run, event);
      if (run.finished) break;
    }
    if (host.isCurrent(run) && !run.finished) {
      throw { code: 'interrupted', message: 'The reply stream ended before the run finished.' } satisfies ChatError;
    }
  } catch (error) {
    if (host.isCurrent(run)) host.fail(run, toError(error));
  } finally {
    timer?.stop();
    if (host.isCurrent(run)) host.finish(run);
  }
}
