/**
 * The store's public types (options, change and delta details, its event map) and the records it
 * keeps about runs and turns, shared by the store, its run runner and its reducer.
 */
import type { ApprovalDecision, InputMessage } from '../../protocol/types.js';
import type { RunCursor } from '../../protocol/run-client.js';
import type { ForwardedStoreEventMap } from '../events.js';
import type { KeyValueStorage } from '../types.js';
import type { Connectivity } from './connectivity.js';
import type { RandomSource } from './thread-id.js';
import type { ChatTransport } from './transport.js';

/** What a `change` event says changed. */
export type ChangeKey = 'messages' | 'status' | 'threadId' | 'draft' | 'session' | 'attachments';

export interface StoreChangeDetail {
  keys: readonly ChangeKey[];
}
/** One text delta for one message part, so a message can append without re-rendering. */
export interface StoreDeltaDetail {
  messageId: string;
  partIndex: number;
  delta: string;
}

/**
 * The store's events: `change` and `delta`, then the ones `<ic-support-chat>` re-fires as its public
 * events (src/widget/events.ts). `send` is cancelable: cancelling it sends nothing; so is
 * `approval-request`: cancelling it hands the decision to the host (`decideApproval`).
 */
export interface ChatStoreEventMap extends ForwardedStoreEventMap {
  change: CustomEvent<StoreChangeDetail>;
  delta: CustomEvent<StoreDeltaDetail>;
}

export interface ChatStoreOptions {
  transport?: ChatTransport | null;
  /** Where the thread id is kept; `null` keeps nothing. */
  storage?: KeyValueStorage | null;
  /** The storage key of the thread id (see `threadStorageKey`). */
  storageKey?: string;
  /** An explicit thread id (the `thread-id` attribute): wins over the stored one, never stored. */
  threadId?: string | null;
  random?: RandomSource;
  now?: () => number;
  /** Where skipped-event warnings go (default `console.warn`, once per message). */
  warn?: (message: string) => void;
  /** A stream silent this long fails with `timeout` (default 45 s; 0 turns it off). */
  idleTimeoutMs?: number;
  /** Online state (default: `navigator.onLine` and the window's `online` event). */
  connectivity?: Connectivity;
}

/** An approval decision being sent (the continuation of a paused run). */
export interface Continuation {
  approvalId: string;
  decision: ApprovalDecision;
}

/** The run paused on an approval: enough to continue it into the same message. */
export interface AwaitingApproval {
  runId: string;
  /** Where the run's stream got to, so its continuation resumes past it. */
  cursor?: RunCursor;
  messageId: string;
  userMessageId: string;
  input: InputMessage[];
  text: string;
}

export interface ActiveRun {
  controller: AbortController;
  messageId: string;
  userMessageId: string;
  input: InputMessage[];
  text: string;
  runId?: string;
  finished: boolean;
  /**
   * The backend took the turn: it sent something (`run.started`, a delta, …), or this continues a run
   * it already took. From then on the turn stays in the transcript and a failure keeps the composer as is.
   */
  accepted: boolean;
  /** Set when this run continues a paused one after an approval decision. */
  continuation?: Continuation;
  /** A decision the host gave before the run reached `awaiting_approval`; sent once it does. */
  queuedDecision?: Continuation;
  /** The thread the run belongs to (an AI SDK route resumes by it). */
  threadId: string;
  /** Where the run's stream got to, kept across its resumes (and the approvals that continue it). */
  cursor: RunCursor;
  /** The turn's `Idempotency-Key` (a first turn, not a continuation). */
  idempotencyKey?: string;
  /** The run is being picked up again: a backend that no longer knows it means the turn is lost. */
  resuming?: boolean;
}

/** The last turn that failed, kept so Retry can send exactly the same input again. */
export interface FailedTurn {
  userMessageId: string;
  messageId: string;
  input: InputMessage[];
  text: string;
  runId?: string;
  continuation?: Continuation;
  /** The turn's key: sent again with it unless the backend took the turn (then Retry is a new turn). */
  idempotencyKey?: string;
  /** Retry waits until then (from `Retry-After`). */
  retryAt?: number;
  /** The backend took the turn before it failed (its text was not put back in the composer). */
  accepted: boolean;
  /** The turn's text went back into the composer (so Retry, which sends it, takes it out again). */
  draftRestored: boolean;
}
