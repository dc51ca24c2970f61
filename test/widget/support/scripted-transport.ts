// A transport the test drives event by event, to reach every state of a run deterministically.
// The end-to-end tests use the real HTTP transport against the real local backend instead.
import type { RunEvent, RunRequest, SessionResponse } from '../../../src/protocol/types.js';
import type { ChatTransport, TransportRunOptions } from '../../../src/widget/state/transport.js';

/** One run's stream, fed by the test. */
export class ControlledRun {
  private queue: RunEvent[] = [];
  private ended = false;
  private error: unknown = undefined;
  private wake: (() => void) | undefined;
  /** Events the consumer has taken so far. */
  consumed = 0;

  constructor(
    readonly request: RunRequest,
    readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.wake?.());
  }

  push(...events: RunEvent[]): this {
    this.queue.push(...events);
    this.wake?.();
    return this;
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  fail(error: unknown): void {
    this.error = error;
    this.wake?.();
  }

  async *events(): AsyncGenerator<RunEvent, void, undefined> {
    for (;;) {
      if (this.signal.aborted) throw this.signal.reason;
      const next = this.queue.shift();
      if (next) {
        this.consumed++;
        yield next;
        continue;
      }
      if (this.error !== undefined) throw this.error;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

export class ScriptedTransport implements ChatTransport {
  readonly runs: ControlledRun[] = [];
  readonly cancelled: string[] = [];
  session: SessionResponse | Error = {
    v: 1,
    visitor: { kind: 'anonymous' },
    limits: { max_file_bytes: 1024, max_files: 2, accept: ['image/png'] },
  };
  /** When set, startRun throws this before yielding anything (a refused request). */
  refuseWith: unknown = undefined;
  private waiters: ((run: ControlledRun) => void)[] = [];

  startRun(request: RunRequest, options: TransportRunOptions): AsyncIterable<RunEvent> {
    if (this.refuseWith !== undefined) {
      const error = this.refuseWith;
      // Refused before any event, as a failed request is.
      // eslint-disable-next-line require-yield
      return (async function* () {
        throw error;
      })();
    }
    const run = new ControlledRun(structuredClone(request), options.signal);
    this.runs.push(run);
    for (const resolve of this.waiters.splice(0)) resolve(run);
    return run.events();
  }

  async cancelRun(runId: string): Promise<boolean> {
    this.cancelled.push(runId);
    return true;
  }

  async openSession(): Promise<SessionResponse> {
    if (this.session instanceof Error) throw this.session;
    return this.session;
  }

  /** The next run the store starts (or the last one, if it already started and was not taken). */
  nextRun(): Promise<ControlledRun> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export const started = (run_id: string, thread_id = ''): RunEvent => ({ type: 'run.started', v: 1, run_id, thread_id });
export const delta = (run_id: string, text: string): RunEvent => ({ type: 'message.delta', v: 1, run_id, delta: text });
export const completed = (run_id: string, stop_reason = 'end_turn'): RunEvent => ({ type: 'run.completed', v: 1, run_id, stop_reason });
export const failed = (run_id: string, code: string, message: string): RunEvent => ({
  type: 'run.failed',
  v: 1,
  run_id,
  error: { code, message },
});

/** An in-memory Web Storage. */
export class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}
