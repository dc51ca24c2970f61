/**
 * The chat's state and behaviour, free of the DOM: messages, status, thread id, draft, session.
 * Elements render it and call its methods; it talks to the backend through a `ChatTransport`.
 * Storage, randomness and the clock are injected so it runs (and is tested) anywhere.
 *
 * This class is the documented public API (state, configuration, actions); the work is done by its
 * parts beside it, all on one shared StoreCore (store-core.ts: the state, the turn bookkeeping and
 * the small steps every part takes): chat-session.ts (`POST /session`), chat-send.ts (turns and
 * approval continuations), chat-stop.ts (Stop, new conversation), chat-resend.ts (Retry, undelivered
 * questions), chat-approvals.ts, chat-feedback.ts (ratings), chat-resume.ts (resumable runs across
 * reloads), run-apply.ts (each protocol event and failure, with run-reducer.ts computing the
 * transcript), run-runner.ts (session wait, offline, idle timeout, streaming) and chat-persistence.ts
 * (thread id, transcript, approval).
 */
import type { ThreadSummary } from '../../protocol/threads.js';
import type { ApprovalDecision, HandoffResult, SessionResponse, Limits } from '../../protocol/types.js';
import type { HandoffRequest } from './chat-handoff.js';
import type { ChatError, ChatMessage, ChatStatus, KeyValueStorage, MessageFeedback } from '../types.js';
import type { ChatTransport } from './transport.js';
import type { AttachmentDraft } from '../attachments/attachment-draft.js';
import { findPendingApproval } from './run-events.js';
import { SANE_THREAD_ID } from './chat-persistence.js';
import { DEFAULT_IDLE_TIMEOUT_MS, StoreCore } from './store-core.js';
import { newConversation, stop } from './chat-stop.js';
import { connect } from './chat-session.js';
import { sendTurn } from './chat-send.js';
import { canResend, resend, retry } from './chat-resend.js';
import type { ChatStoreEventMap, ChatStoreOptions } from './store-types.js';
import { lazyState } from './run-runner.js';

export type { ChangeKey, ChatStoreEventMap, ChatStoreOptions, StoreChangeDetail, StoreDeltaDetail } from './store-types.js';
export { toChatError } from './chat-error.js';
export { DEFAULT_IDLE_TIMEOUT_MS } from './store-core.js';

/**
 * The chat's state, with no DOM: messages, status, thread id, draft, session, attachments and the
 * transport to the backend. `<ic-support-chat>` owns one and hands it to its parts through context;
 * a page can drive it directly (`send`, `stop`, `retry`, `decideApproval`, `newConversation`) and
 * listen to it with `on()`. Every change fires `change` with the keys that changed.
 */
export class ChatStore extends EventTarget {
  readonly #c: StoreCore;
  #explicitThreadId: string | null;
  /** The files in the composer: checked, shrunk and encoded before they are sent with the draft. */
  readonly attachments: AttachmentDraft;

  constructor(options: ChatStoreOptions = {}) {
    super();
    this.#explicitThreadId = options.threadId ?? null;
    this.#c = new StoreCore(options, (event) => this.dispatchEvent(event));
    this.attachments = this.#c.attachments;
  }

  // ---------------------------------------------------------------------------------------------
  // State (read-only outside; replaced, never mutated, so renderers can compare by identity)

  /** The transcript, oldest first; replaced (never mutated) on every change. */
  get messages(): readonly ChatMessage[] {
    return this.#c.messages;
  }
  /** `idle`, `sending` (waiting for the reply), `streaming`, `offline` (waiting for the connection to send) or `awaiting_approval`. */
  get status(): ChatStatus {
    return this.#c.status;
  }
  /** True while a turn is being sent or streamed. */
  get busy(): boolean {
    return this.#c.status !== 'idle';
  }
  /** The conversation's thread id (`chat_…`), or `null` before the first message. */
  get threadId(): string | null {
    return this.#c.threadId;
  }
  /** The text in the message box (kept here so a failed send can put it back). */
  get draft(): string {
    return this.#c.draft;
  }
  /** The backend's `/session` answer (visitor, limits), once connected. */
  get session(): SessionResponse | null {
    return this.#c.session;
  }
  /** Why `/session` failed, if it did (the chat still works with default limits). */
  get sessionError(): ChatError | null {
    return this.#c.sessionError;
  }
  /** The URL of a stored attachment (`GET {endpoint}/files/{file_id}`), when the transport has one. */
  fileUrl(fileId: string): string | null {
    return this.#c.transport?.fileUrl?.(fileId) ?? null;
  }
  /** Attachment limits from `POST /session`, once known. */
  get limits(): Limits | null {
    return this.#c.session?.limits ?? null;
  }
  /** The approval waiting for a decision, if any (the composer is locked meanwhile). */
  get pendingApproval(): { messageId: string; approvalId: string; runId: string } | null {
    const found = findPendingApproval(this.#c.messages);
    return found ? { messageId: found.message.id, approvalId: found.approval.approval_id, runId: found.approval.run_id } : null;
  }
  /** When the failed turn may be retried (ms since the epoch), if the server asked us to wait. */
  get retryAt(): number | null {
    return this.#c.failed?.retryAt ?? null;
  }
  /** When the conversation restored from storage was last active (ms since the epoch), if one was. */
  get restoredAt(): number | null {
    return this.#c.restoredAt;
  }
  /** The message whose failure Retry would resend, if any. */
  get retryableMessageId(): string | null {
    return this.#c.active ? null : (this.#c.failed?.messageId ?? null);
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration

  /** The backend to talk to; `null` leaves the chat unable to send. */
  setTransport(transport: ChatTransport | null): void {
    this.#c.transport = transport;
  }

  /** Where the thread id is kept. Re-reads it unless an explicit thread id is set. */
  setPersistence(storage: KeyValueStorage | null, storageKey: string): void {
    this.#c.persistence.configure(storage, storageKey);
    if (this.#explicitThreadId === null) {
      // A stored thread for this key continues; with none, the conversation on screen keeps its thread.
      const stored = this.#c.persistence.readThreadId();
      if (stored !== null) this.#c.setThreadId(stored, 'restored');
      else if (this.#c.threadId !== null) this.#c.setThreadId(this.#c.threadId, 'restored', true);
    }
    this.#c.restoreTranscript();
  }

  /** An explicit thread id wins over the stored one; `null` goes back to the stored one. */
  setExplicitThreadId(threadId: string | null): void {
    const value = threadId && SANE_THREAD_ID.test(threadId) ? threadId : null;
    if (value === this.#explicitThreadId) return;
    this.#explicitThreadId = value;
    if (value !== null) this.#c.setThreadId(value, 'attribute');
    else this.#c.setThreadId(this.#c.persistence.readThreadId(), 'restored');
  }

  /** How long a stream may stay silent before it fails with `timeout` (ms; 0 = never). */
  setIdleTimeout(ms: number): void {
    this.#c.idleTimeoutMs = Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** Replaces the message box's text (fires `change` with `draft`). */
  setDraft(text: string): void {
    if (text === this.#c.draft) return;
    this.#c.draft = text;
    this.#c.changed('draft');
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  /** `POST /session`: tells the backend the visitor is here and learns the limits. Never rejects. */
  async connect(): Promise<SessionResponse | null> {
    return connect(this.#c);
  }

  /**
   * Sends a turn (by default the draft) and resolves when its run ends, `true` if it was sent.
   * Nothing is sent while another turn runs, for blank text, or when the `send` event is cancelled.
   */
  async send(text: string = this.#c.draft): Promise<boolean> {
    return sendTurn(this.#c, text);
  }

  /** Stops the current reply: aborts the request, keeps the partial reply marked stopped. */
  stop(): void {
    stop(this.#c);
  }

  /** Sends the failed turn again, exactly as it was. Resolves `true` if it was resent. */
  async retry(): Promise<boolean> {
    return retry(this.#c);
  }

  /**
   * Whether `resend(messageId)` would send that undelivered question again now: nothing runs, its
   * files (if any) are still in memory, and it is not the failure `retry()` resends (whose Retry
   * sits under its reply).
   */
  canResend(messageId: string): boolean {
    return canResend(this.#c, messageId);
  }

  /**
   * Sends an undelivered question again as the newest turn (the visitor asked something else since,
   * or the page reloaded). Resolves `true` if it was sent.
   */
  async resend(messageId: string): Promise<boolean> {
    return resend(this.#c, messageId);
  }

  /**
   * Sends the visitor's (or the host page's) decision on a pending approval and streams the run's
   * continuation into the same message. Resolves `true` if it was sent; an unknown or already
   * decided approval is never sent (twice).
   */
  async decideApproval(approvalId: string, decision: ApprovalDecision): Promise<boolean> {
    return (await lazyState()).decideApproval(this.#c, approvalId, decision);
  }

  /**
   * Starts a new thread (the draft is kept: nothing typed is lost); the conversation on screen
   * moves to the previous conversations (`previousThreads`).
   */
  newConversation(): void {
    newConversation(this.#c);
  }

  /**
   * Whether the backend takes ratings of replies (`features.feedback` in `POST /session`) and the
   * transport can send them.
   */
  get takesFeedback(): boolean {
    return this.#c.session?.features?.feedback === true && typeof this.#c.transport?.sendFeedback === 'function';
  }

  /**
   * Rates a finished reply (a later rating replaces it). Shown at once, undone if the backend
   * refuses; resolves `true` once it was saved (then `feedback` fires).
   */
  async rate(messageId: string, feedback: MessageFeedback): Promise<boolean> {
    return (await lazyState()).rate(this.#c, messageId, feedback);
  }

  /**
   * The previous conversations, newest first (the one on screen left out): this browser's, or the
   * backend's when it keeps the signed-in visitor's (`features.threads`). Rejects when that fails.
   */
  async previousThreads(): Promise<ThreadSummary[]> {
    return (await lazyState()).listThreads(this.#c);
  }

  /**
   * Reopens a previous conversation: its transcript comes back and the next question continues its
   * thread (the one on screen moves to the list). Resolves `false` for an unknown one.
   */
  async reopenThread(threadId: string): Promise<boolean> {
    return (await lazyState()).reopenThread(this.#c, threadId);
  }

  /** Deletes a previous conversation and its transcript (on the backend too, when it keeps it). */
  async deleteThread(threadId: string): Promise<void> {
    return (await lazyState()).deleteThread(this.#c, threadId);
  }

  /**
   * Whether a person can be asked for: the backend announced `features.handoff`, the transport can
   * send it, and the conversation has a turn the backend received (the thread it hands over).
   */
  get takesHandoff(): boolean {
    return this.#c.session?.features?.handoff === true && typeof this.#c.transport?.requestHandoff === 'function' && this.#c.messages.some((m) => m.run_id !== undefined);
  }

  /**
   * Asks for a person to take the conversation over (`POST /handoff`). Resolves with the reference
   * once the backend took it (`describe(result)` is then added to the transcript and `handoff`
   * fires); rejects with the backend's error otherwise.
   */
  handoff(request: HandoffRequest, describe: (result: HandoffResult) => string): Promise<HandoffResult> {
    return lazyState().then((m) => m.handoff(this.#c, request, describe));
  }

  /** Typed `addEventListener`; returns the function that removes the listener. */
  on<K extends keyof ChatStoreEventMap>(type: K, listener: (event: ChatStoreEventMap[K]) => void): () => void {
    const wrapped = listener as EventListener;
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }
}
