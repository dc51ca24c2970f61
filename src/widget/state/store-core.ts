/**
 * The chat store's state and the small steps every part of it takes (new message, update a message,
 * announce a change, end a run). ChatStore (chat-store.ts, the public facade) owns one; the parts
 * beside it read and change it in place: chat-send.ts (turns), chat-stop.ts, chat-resend.ts (Retry
 * and undelivered questions), run-apply.ts (events and failures), chat-approvals.ts, chat-resume.ts
 * (reloads), chat-session.ts and chat-feedback.ts. Its fields are plain, not private, so the parts
 * can share them; the class is internal (not exported from the package), so only the facade is
 * public API.
 */
import type { RunEvent, SessionResponse } from '../../protocol/types.js';
import type { ThreadChangeReason } from '../events.js';
import type { ChatError, ChatMessage, ChatStatus, MessagePart } from '../types.js';
import type { ChatTransport } from './transport.js';
import { AttachmentDraft, type TakenAttachments } from '../attachments/attachment-draft.js';
import { browserConnectivity, type Connectivity } from './connectivity.js';
import { base64url, cryptoRandom, type RandomSource } from './thread-id.js';
import { ChatPersistence } from './chat-persistence.js';
import { updateMessage } from './run-reducer.js';
import { runStream, type OpenStream, type RunHost } from './run-runner.js';
import { toChatError } from './chat-error.js';
import { applyRunEvent, failRun } from './run-apply.js';
import { restartRun } from './chat-resume.js';
import { connect } from './chat-session.js';
import type { ActiveRun, AwaitingApproval, ChangeKey, ChatStoreEventMap, ChatStoreOptions, FailedTurn } from './store-types.js';

/** Default for `idleTimeoutMs`: a stream silent (not even a `: ping`) this long is given up. */
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

export class StoreCore implements RunHost {
  messages: readonly ChatMessage[] = [];
  status: ChatStatus = 'idle';
  threadId: string | null = null;
  draft = '';
  session: SessionResponse | null = null;
  sessionError: ChatError | null = null;

  transport: ChatTransport | null;
  readonly random: RandomSource;
  readonly now: () => number;
  readonly #warn: (message: string) => void;
  readonly #warned = new Set<string>();
  readonly #dispatch: (event: Event) => boolean;

  active: ActiveRun | null = null;
  failed: FailedTurn | null = null;
  /** The files each sent turn carried, by user message id, so a failed turn gives them back. */
  readonly turnFiles = new Map<string, TakenAttachments>();
  /** Set while `send` waits for draft files to finish encoding (so a second Send does nothing). */
  preparingSend = false;

  /** The files in the composer: checked, shrunk and encoded before they are sent with the draft. */
  readonly attachments: AttachmentDraft = new AttachmentDraft(() => this.session?.limits ?? null);
  sessionController: AbortController | null = null;
  awaiting: AwaitingApproval | null = null;
  /** `POST /session` in flight: a turn waits for it, so the run carries the visitor cookie it sets. */
  sessionInFlight: Promise<void> | null = null;
  idleTimeoutMs: number;
  readonly connectivity: Connectivity;
  /** The thread id, transcript and pending approval in storage (restored on load, saved when a run ends). */
  readonly persistence: ChatPersistence;
  restoredAt: number | null = null;

  /** `dispatch` fires the store's events on the facade (the EventTarget pages listen to). */
  constructor(options: ChatStoreOptions, dispatch: (event: Event) => boolean) {
    this.#dispatch = dispatch;
    this.transport = options.transport ?? null;
    this.random = options.random ?? cryptoRandom;
    this.now = options.now ?? Date.now;
    this.#warn = options.warn ?? ((message) => console.warn(`[ic-support-chat] ${message}`));
    this.persistence = new ChatPersistence(options.storage ?? null, options.storageKey ?? 'ic-support-chat:thread:default', this.#warn);
    this.threadId = options.threadId ?? this.persistence.readThreadId();
    this.restoreTranscript();
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.connectivity = options.connectivity ?? browserConnectivity;
    this.attachments.addEventListener('change', () => this.changed('attachments'));
  }

  stream(run: ActiveRun, notBefore: number | undefined, open: OpenStream): Promise<void> {
    return runStream(this, run, notBefore, open, toChatError);
  }

  // What the run runner (run-runner.ts) asks of the store besides its fields.
  isCurrent(run: ActiveRun): boolean {
    return this.active === run;
  }

  setStatus(status: ChatStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.changed('status');
  }

  sessionForTurn(): Promise<void> | null {
    // Not when the answer will not change: an origin refused, an endpoint without /session.
    const code = this.sessionError?.code;
    if (!this.session && code && code !== 'forbidden' && code !== 'not_found' && !this.sessionInFlight) void connect(this, false);
    return this.sessionInFlight;
  }

  resumable(): boolean {
    return this.transport?.resumesRuns?.(this.session) === true;
  }

  restart(run: ActiveRun): void {
    restartRun(this, run);
  }

  apply(run: ActiveRun, event: RunEvent): void {
    applyRunEvent(this, run, event);
  }

  fail(run: ActiveRun, error: ChatError): void {
    failRun(this, run, error);
  }

  /** Ends the run (once) and announces it together with the `changes` that came with it. */
  finish(run: ActiveRun, ...changes: ChangeKey[]): void {
    if (this.active !== run) {
      if (changes.length) this.changed(...changes);
      return;
    }
    this.active = null;
    this.persistence.saveRun(null);
    this.status = 'idle';
    this.changed(...changes, 'status');
  }

  newMessage(role: ChatMessage['role'], status: ChatMessage['status'], parts: MessagePart[]): ChatMessage {
    return { id: `msg_${base64url(this.random(new Uint8Array(9)))}`, role, status, parts, created_at: this.now() };
  }

  updateMessage(id: string, update: (message: ChatMessage) => ChatMessage): ChatMessage | undefined {
    let updated: ChatMessage | undefined;
    [this.messages, updated] = updateMessage(this.messages, id, update);
    return updated;
  }

  clearError(messageId: string): void {
    this.updateMessage(messageId, (m) => {
      if (!m.error) return m;
      const { error: _dropped, ...rest } = m;
      return rest;
    });
  }

  setThreadId(threadId: string | null, reason: ThreadChangeReason, persist = false): void {
    if (persist && threadId !== null) this.persistence.writeThreadId(threadId);
    if (threadId === this.threadId) return;
    const previous = this.threadId;
    this.threadId = threadId;
    this.changed('threadId');
    this.emit('thread-change', { threadId, previous, reason });
    this.restoreTranscript();
  }

  /** Shows the stored transcript of the current thread, when nothing is on screen yet. */
  restoreTranscript(): void {
    if (this.messages.length > 0 || this.active) return;
    const restored = this.persistence.loadTranscript(this.threadId);
    if (!restored) return;
    this.messages = restored.messages;
    this.restoredAt = restored.savedAt;
    this.changed('messages');
  }

  /** Asks the backend to stop a run, best effort (a transport without `cancelRun` cannot). */
  cancelRemote(runId: string | undefined): void {
    if (runId !== undefined) void this.transport?.cancelRun?.(runId)?.catch?.(() => undefined);
  }

  warnOnce(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#warn(message);
  }

  changed(...keys: ChangeKey[]): void {
    // A run just ended (finished, failed, stopped or paused for an approval): keep the transcript.
    if (keys.includes('status') && (this.status === 'idle' || this.status === 'awaiting_approval')) {
      this.persistence.saveTranscript(this.threadId, this.messages, this.now());
    }
    this.emit('change', { keys });
  }

  emit<K extends keyof ChatStoreEventMap>(type: K, detail: ChatStoreEventMap[K]['detail'], cancelable = false): boolean {
    return this.#dispatch(new CustomEvent(type, { detail, cancelable }));
  }
}
