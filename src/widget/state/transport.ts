/**
 * How the store talks to a backend. The default speaks protocol v1 over HTTP; anything that yields
 * v1 `RunEvent`s works (Storybook replays scripted streams, tests script faults).
 */
import { cancelRun, continueRun, openSession, resumeRun, sendFeedback, startRun, type RunCursor } from '../../protocol/run-client.js';
import type { ThreadsApi } from '../../protocol/threads-client.js';
import type { ApprovalDecision, FeedbackRequestBody, HandoffRequestBody, HandoffResult, RunEvent, RunRequest, SessionResponse } from '../../protocol/types.js';
import { lazyState } from './run-runner.js';

export interface TransportRunOptions {
  /** Aborted when the visitor presses Stop or starts a new conversation. */
  signal: AbortSignal;
  /** An event was skipped (bad JSON, newer `v`): worth one console warning. */
  onWarning?(message: string): void;
  /** Bytes arrived (`: ping` included), for idle timeouts. */
  onActivity?(): void;
  /** Where the run's stream got to (kept by the transport, shared by the run's resumes). */
  cursor?: RunCursor;
  /** `startRun`: the turn's key, the same each time that turn is sent again. */
  idempotencyKey?: string;
}

/** The run to pick up again, and its thread (an AI SDK route resumes by chat id). */
export interface ResumeTarget {
  runId?: string;
  threadId: string;
}

export interface ChatTransport {
  /** `POST /runs`: the run's events, ending after `run.completed` or `run.failed`. Throws on failure. */
  startRun(request: RunRequest, options: TransportRunOptions): AsyncIterable<RunEvent>;
  /** `POST /runs/{run_id}/approvals/{approval_id}`: the continuation after a decision. */
  continueRun?(runId: string, approvalId: string, decision: ApprovalDecision, options: TransportRunOptions): AsyncIterable<RunEvent>;
  /**
   * Picks a run up again after a broken connection or a reload: its events after `options.cursor`
   * (from the start without one; the store then redraws the reply), then the live run. Throws
   * `not_found` when there is nothing to resume, `run_expired` when it is too late.
   */
  resumeRun?(target: ResumeTarget, options: TransportRunOptions): AsyncIterable<RunEvent>;
  /** True when a reply cut off mid-way can be resumed, and a turn sent again with its key starts nothing new. */
  resumesRuns?(session: SessionResponse | null): boolean;
  /** `POST /runs/{run_id}/cancel`, best effort: never rejects. */
  cancelRun?(runId: string): Promise<unknown>;
  /** `POST /session`: who the visitor is and the attachment limits. */
  openSession?(options?: { signal?: AbortSignal }): Promise<SessionResponse>;
  /** Where a stored attachment can be fetched (`GET /files/{file_id}`), for the transcript's links. */
  fileUrl?(fileId: string): string;
  /** `POST /runs/{run_id}/feedback`; rejects when the backend refused it. */
  sendFeedback?(runId: string, body: FeedbackRequestBody): Promise<void>;
  /** The signed-in visitor's past conversations on the backend (`features.threads`). */
  threadsApi?(): Promise<ThreadsApi>;
  /** `POST /handoff`: the request's reference; rejects when the backend refused it. */
  requestHandoff?(body: HandoffRequestBody): Promise<HandoffResult>;
}

export interface ProtocolV1TransportOptions {
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /** Default `same-origin`; `include` for a backend on another origin that uses cookies. */
  credentials?: RequestCredentials;
  /** Extra request headers (e.g. a CSRF token). */
  headers?: HeadersInit;
  /**
   * The visitor's language, sent as `Accept-Language` on every request so the backend writes display
   * blocks (tool and approval titles) in it; read per request, as it may change. Without it (or when
   * `headers` sets one) the browser's own `Accept-Language` goes.
   */
  language?: () => string | null | undefined;
  /**
   * Least time (ms) between two reads of a reply's stream; default 60. Text that arrives meanwhile
   * is read, parsed and appended at once: a fast model sends hundreds of tiny chunks a second, each
   * costing a task, and the reply is only redrawn every 75 ms or more anyway. 0 reads every chunk.
   */
  readInterval?: number;
}

/** See ProtocolV1TransportOptions.readInterval. */
const READ_INTERVAL_MS = 60;

/** Protocol v1 over HTTP against `endpoint` (e.g. `/api/support`). */
export class ProtocolV1Transport implements ChatTransport {
  readonly #options: ProtocolV1TransportOptions;

  constructor(
    readonly endpoint: string,
    options: ProtocolV1TransportOptions = {},
  ) {
    this.#options = options;
  }

  /** `POST {endpoint}/runs`. */
  startRun(request: RunRequest, options: TransportRunOptions): AsyncIterable<RunEvent> {
    return startRun(this.endpoint, request, this.#streamOptions(options));
  }

  /** `POST {endpoint}/runs/{run_id}/approvals/{approval_id}`. */
  continueRun(runId: string, approvalId: string, decision: ApprovalDecision, options: TransportRunOptions): AsyncIterable<RunEvent> {
    return continueRun(this.endpoint, runId, approvalId, { decision, stream: true }, this.#streamOptions(options));
  }

  /** `GET {endpoint}/runs/{run_id}/events` after the cursor (a backend with `features.resume`). */
  resumeRun(target: ResumeTarget, options: TransportRunOptions): AsyncIterable<RunEvent> {
    return resumeRun(this.endpoint, target.runId ?? '', this.#streamOptions(options));
  }

  /** The backend said so in `POST /session` (`features.resume`). */
  resumesRuns(session: SessionResponse | null): boolean {
    return session?.features?.resume === true;
  }

  /** A chunk's deltas reach the store as one (one store update and one redraw request per chunk). */
  #streamOptions(options: TransportRunOptions) {
    return { readInterval: READ_INTERVAL_MS, ...this.#requestOptions(), ...options, coalesceDeltas: true };
  }

  /** The options with the language header added (see ProtocolV1TransportOptions.language). */
  #requestOptions(): ProtocolV1TransportOptions {
    const language = this.#options.language?.();
    // A language tag only: anything else in a page's `lang` would make the request itself throw.
    if (!language || !/^[A-Za-z0-9-]{1,35}$/.test(language)) return this.#options;
    const headers = new Headers(this.#options.headers);
    if (!headers.has('accept-language')) headers.set('accept-language', language);
    return { ...this.#options, headers };
  }

  /** `POST {endpoint}/runs/{run_id}/cancel`; resolves `false` rather than rejecting. */
  cancelRun(runId: string): Promise<boolean> {
    return cancelRun(this.endpoint, runId, this.#requestOptions());
  }

  /** `POST {endpoint}/session`. */
  openSession(options: { signal?: AbortSignal } = {}): Promise<SessionResponse> {
    return openSession(this.endpoint, { ...this.#requestOptions(), ...options });
  }

  /** `POST {endpoint}/runs/{run_id}/feedback`. */
  sendFeedback(runId: string, body: FeedbackRequestBody): Promise<void> {
    return sendFeedback(this.endpoint, runId, body, this.#options);
  }

  /** `GET/DELETE {endpoint}/threads…`, its client loaded on first use (with the list view). */
  async threadsApi(): Promise<ThreadsApi> {
    return (await lazyState()).threadsApi(this.endpoint, this.#requestOptions());
  }

  /** `POST {endpoint}/handoff`, with the client loaded on first use (few visitors ever ask). */
  requestHandoff(body: HandoffRequestBody): Promise<HandoffResult> {
    return lazyState()
      .then((m) => m.requestHandoff(this.endpoint, body, this.#requestOptions()))
      .then((r) => r.handoff);
  }

  /** `{endpoint}/files/{file_id}`. */
  fileUrl(fileId: string): string {
    return `${this.endpoint.replace(/\/+$/, '')}/files/${encodeURIComponent(fileId)}`;
  }
}
