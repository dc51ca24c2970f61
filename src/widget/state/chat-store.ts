/**
 * The chat's state and behaviour, free of the DOM: messages, status, thread id, draft, session.
 * Elements render it and call its methods; it talks to the backend through a `ChatTransport`.
 * Storage, randomness and the clock are injected so it runs (and is tested) anywhere.
 *
 * The facade over its parts: run-reducer.ts (what each protocol event does to the transcript),
 * run-runner.ts (session wait, offline, idle timeout, streaming), chat-persistence.ts (thread id,
 * transcript, pending approval). Longer than 400 lines because what is left belongs together: the
 * documented public API (state, configuration, actions) and the turn bookkeeping (the active run,
 * the failed turn, the paused approval) that every action reads and must change in the same step
 * as the transcript, so spreading it over several objects would only add ways to get out of step.
 */
import type { ApprovalDecision, InputMessage, RunEvent, SessionResponse, Limits } from '../../protocol/types.js';
import type { ThreadChangeReason } from '../events.js';
import type { RunCursor } from '../../protocol/run-client.js';
import type { ApprovalMessagePart, ChatError, ChatMessage, ChatStatus, KeyValueStorage, MessageFeedback, MessagePart } from '../types.js';
import { messageText } from '../types.js';
import type { ChatTransport } from './transport.js';
import { AttachmentDraft, sameAttachments, type TakenAttachments } from '../attachments/attachment-draft.js';
import { cancelPendingApprovals, decidedStatus, findPendingApproval, hasContent, updateApproval } from './run-events.js';
import { approvalPartFrom } from './approval-storage.js';
import { browserConnectivity, type Connectivity } from './connectivity.js';
import { base64url, createThreadId, cryptoRandom, type RandomSource } from './thread-id.js';
import { ChatPersistence, SANE_THREAD_ID } from './chat-persistence.js';
import { reduceRunEvent, updateMessage } from './run-reducer.js';
import { runStream, type OpenStream, type RunHost } from './run-runner.js';
import { toChatError } from './chat-error.js';
import type { ActiveRun, AwaitingApproval, ChangeKey, ChatStoreEventMap, ChatStoreOptions, Continuation, FailedTurn } from './store-types.js';

export type { ChangeKey, ChatStoreEventMap, ChatStoreOptions, StoreChangeDetail, StoreDeltaDetail } from './store-types.js';
export { toChatError } from './chat-error.js';

/** Default for `idleTimeoutMs`: a stream silent (not even a `: ping`) this long is given up. */
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

const CUT_OFF_CODES: ReadonlySet<string> = new Set(['interrupted', 'network_error', 'timeout', 'upstream_timeout', 'run_timeout']);

/** The question without its "Not delivered" mark (it is being sent again). */
function delivering(message: ChatMessage): ChatMessage {
  if (!message.undelivered) return message;
  const { undelivered: _dropped, ...rest } = message;
  return rest;
}

/**
 * The chat's state, with no DOM: messages, status, thread id, draft, session, attachments and the
 * transport to the backend. `<ic-support-chat>` owns one and hands it to its parts through context;
 * a page can drive it directly (`send`, `stop`, `retry`, `decideApproval`, `newConversation`) and
 * listen to it with `on()`. Every change fires `change` with the keys that changed.
 */
export class ChatStore extends EventTarget {
  #messages: readonly ChatMessage[] = [];
  #status: ChatStatus = 'idle';
  #threadId: string | null = null;
  #draft = '';
  #session: SessionResponse | null = null;
  #sessionError: ChatError | null = null;

  #transport: ChatTransport | null;
  #explicitThreadId: string | null;
  readonly #random: RandomSource;
  readonly #now: () => number;
  readonly #warn: (message: string) => void;
  readonly #warned = new Set<string>();

  #active: ActiveRun | null = null;
  #failed: FailedTurn | null = null;
  /** The files each sent turn carried, by user message id, so a failed turn gives them back. */
  readonly #turnFiles = new Map<string, TakenAttachments>();
  /** Set while `send` waits for draft files to finish encoding (so a second Send does nothing). */
  #preparingSend = false;

  /** The files in the composer: checked, shrunk and encoded before they are sent with the draft. */
  readonly attachments: AttachmentDraft = new AttachmentDraft(() => this.limits);
  #sessionController: AbortController | null = null;
  #awaiting: AwaitingApproval | null = null;
  /** `POST /session` in flight: a turn waits for it, so the run carries the visitor cookie it sets. */
  #sessionInFlight: Promise<void> | null = null;
  #idleTimeoutMs: number;
  readonly #connectivity: Connectivity;
  /** The thread id, transcript and pending approval in storage (restored on load, saved when a run ends). */
  readonly #persistence: ChatPersistence;
  readonly #runHost: RunHost;
  #restoredAt: number | null = null;

  constructor(options: ChatStoreOptions = {}) {
    super();
    this.#transport = options.transport ?? null;
    this.#explicitThreadId = options.threadId ?? null;
    this.#random = options.random ?? cryptoRandom;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn ?? ((message) => console.warn(`[ic-support-chat] ${message}`));
    this.#persistence = new ChatPersistence(options.storage ?? null, options.storageKey ?? 'ic-support-chat:thread:default', this.#warn);
    this.#threadId = this.#explicitThreadId ?? this.#persistence.readThreadId();
    this.#restoreTranscript();
    this.#idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#connectivity = options.connectivity ?? browserConnectivity;
    this.attachments.addEventListener('change', () => this.#changed('attachments'));
    this.#runHost = {
      transport: () => this.#transport,
      sessionInFlight: () => this.#sessionInFlight,
      connectivity: this.#connectivity,
      idleTimeoutMs: () => this.#idleTimeoutMs,
      now: () => this.#now(),
      isCurrent: (run) => this.#active === run,
      setStatus: (status) => {
        if (this.#status === status) return;
        this.#status = status;
        this.#changed('status');
      },
      resumable: () => this.#transport?.resumesRuns?.(this.#session) === true,
      restart: (run) => this.#restart(run),
      warnOnce: (message) => this.#warnOnce(message),
      apply: (run, event) => this.#apply(run, event),
      fail: (run, error) => this.#fail(run, error),
      finish: (run) => this.#finish(run),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // State (read-only outside; replaced, never mutated, so renderers can compare by identity)

  /** The transcript, oldest first; replaced (never mutated) on every change. */
  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }
  /** `idle`, `sending` (waiting for the reply), `streaming`, `offline` (waiting for the connection to send) or `awaiting_approval`. */
  get status(): ChatStatus {
    return this.#status;
  }
  /** True while a turn is being sent or streamed. */
  get busy(): boolean {
    return this.#status !== 'idle';
  }
  /** The conversation's thread id (`chat_…`), or `null` before the first message. */
  get threadId(): string | null {
    return this.#threadId;
  }
  /** The text in the message box (kept here so a failed send can put it back). */
  get draft(): string {
    return this.#draft;
  }
  /** The backend's `/session` answer (visitor, limits), once connected. */
  get session(): SessionResponse | null {
    return this.#session;
  }
  /** Why `/session` failed, if it did (the chat still works with default limits). */
  get sessionError(): ChatError | null {
    return this.#sessionError;
  }
  /** The URL of a stored attachment (`GET {endpoint}/files/{file_id}`), when the transport has one. */
  fileUrl(fileId: string): string | null {
    return this.#transport?.fileUrl?.(fileId) ?? null;
  }
  /** Attachment limits from `POST /session`, once known. */
  get limits(): Limits | null {
    return this.#session?.limits ?? null;
  }
  /** The approval waiting for a decision, if any (the composer is locked meanwhile). */
  get pendingApproval(): { messageId: string; approvalId: string; runId: string } | null {
    const found = findPendingApproval(this.#messages);
    return found ? { messageId: found.message.id, approvalId: found.approval.approval_id, runId: found.approval.run_id } : null;
  }
  /** When the failed turn may be retried (ms since the epoch), if the server asked us to wait. */
  get retryAt(): number | null {
    return this.#failed?.retryAt ?? null;
  }
  /** When the conversation restored from storage was last active (ms since the epoch), if one was. */
  get restoredAt(): number | null {
    return this.#restoredAt;
  }
  /** The message whose failure Retry would resend, if any. */
  get retryableMessageId(): string | null {
    return this.#active ? null : (this.#failed?.messageId ?? null);
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration

  /** The backend to talk to; `null` leaves the chat unable to send. */
  setTransport(transport: ChatTransport | null): void {
    this.#transport = transport;
  }

  /** Where the thread id is kept. Re-reads it unless an explicit thread id is set. */
  setPersistence(storage: KeyValueStorage | null, storageKey: string): void {
    this.#persistence.configure(storage, storageKey);
    if (this.#explicitThreadId === null) {
      // A stored thread for this key continues; with none, the conversation on screen keeps its thread.
      const stored = this.#persistence.readThreadId();
      if (stored !== null) this.#setThreadId(stored, 'restored');
      else if (this.#threadId !== null) this.#setThreadId(this.#threadId, 'restored', true);
    }
    this.#restoreTranscript();
  }

  /** An explicit thread id wins over the stored one; `null` goes back to the stored one. */
  setExplicitThreadId(threadId: string | null): void {
    const value = threadId && SANE_THREAD_ID.test(threadId) ? threadId : null;
    if (value === this.#explicitThreadId) return;
    this.#explicitThreadId = value;
    if (value !== null) this.#setThreadId(value, 'attribute');
    else this.#setThreadId(this.#persistence.readThreadId(), 'restored');
  }

  /** How long a stream may stay silent before it fails with `timeout` (ms; 0 = never). */
  setIdleTimeout(ms: number): void {
    this.#idleTimeoutMs = Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** Replaces the message box's text (fires `change` with `draft`). */
  setDraft(text: string): void {
    if (text === this.#draft) return;
    this.#draft = text;
    this.#changed('draft');
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  /** `POST /session`: tells the backend the visitor is here and learns the limits. Never rejects. */
  async connect(): Promise<SessionResponse | null> {
    this.#sessionController?.abort();
    this.#restorePendingApproval();
    const transport = this.#transport;
    if (!transport?.openSession) {
      void this.#resumeAfterReload();
      return null;
    }
    const controller = new AbortController();
    this.#sessionController = controller;
    const request = transport.openSession({ signal: controller.signal });
    const settled = request.then(
      () => undefined,
      () => undefined,
    );
    this.#sessionInFlight = settled;
    try {
      const session = await request;
      if (controller.signal.aborted) return null;
      this.#session = session;
      this.#sessionError = null;
      this.#changed('session');
      void this.#resumeAfterReload();
      return session;
    } catch (error) {
      if (controller.signal.aborted) return null;
      this.#sessionError = toChatError(error);
      this.#changed('session');
      this.#emit('error', { error: this.#sessionError, phase: 'session' });
      void this.#resumeAfterReload();
      return null;
    } finally {
      if (this.#sessionController === controller) this.#sessionController = null;
      if (this.#sessionInFlight === settled) this.#sessionInFlight = null;
    }
  }

  /**
   * Sends a turn (by default the draft) and resolves when its run ends, `true` if it was sent.
   * Nothing is sent while another turn runs, for blank text, or when the `send` event is cancelled.
   */
  async send(text: string = this.#draft): Promise<boolean> {
    const content = text.trim();
    // The composer's files go with a turn sent from the composer (not with the host page's `send(text)`).
    const withFiles = text === this.#draft && (this.attachments.items.length > 0 || this.attachments.preparing);
    if ((content === '' && !withFiles) || this.#active || this.#awaiting || this.#preparingSend) return false;
    if (withFiles) {
      // Files still shrinking or encoding are waited for; one refused meanwhile stops the send
      // (its message shows, the rest of the draft stays).
      this.#preparingSend = true;
      try {
        if (!(await this.attachments.settle())) return false;
      } finally {
        this.#preparingSend = false;
      }
      if (this.#active || this.#awaiting) return false;
    }
    const files = withFiles ? this.attachments.collect() : null;
    if (content === '' && !files) return false;
    if (!this.#emit('send', { text: content, attachments: files?.metas ?? [] }, true)) return false;

    const fromDraft = text === this.#draft;
    const changes: ChangeKey[] = ['messages'];
    // The visitor is re-sending the text of a turn the backend never received: replace that turn.
    const failed = this.#failed;
    if (failed && !failed.accepted && failed.text === content && sameAttachments(this.#turnFiles.get(failed.userMessageId), files)) {
      this.#messages = this.#messages.filter((m) => m.id !== failed.userMessageId && m.id !== failed.messageId);
    } else if (failed) {
      this.#clearError(failed.messageId);
    }
    this.#failed = null;

    if (this.#threadId === null) this.#setThreadId(createThreadId(this.#random), 'created', true);

    const user = this.#newMessage('user', 'complete', content ? [{ kind: 'text', text: content }] : []);
    if (files) {
      user.attachments = files.metas;
      this.#turnFiles.set(user.id, files);
      this.attachments.remember(user.id, files);
      this.attachments.take(files);
    }
    this.#messages = [...this.#messages, user];
    if (fromDraft) {
      this.#draft = '';
      changes.push('draft');
    }
    this.#changed(...changes);
    // Text first (when there is any), then the files in the order they were added.
    const input: InputMessage[] = [{ role: 'user', content: files ? [...(content ? [{ type: 'text' as const, text: content }] : []), ...files.parts] : content }];
    return this.#runTurn(user.id, input, content);
  }

  /** Stops the current reply: aborts the request, keeps the partial reply marked stopped. */
  stop(): void {
    const run = this.#active;
    if (!run) {
      this.#cancelAwaitingApproval();
      return;
    }
    if (this.#status === 'offline') {
      // Nothing was sent yet: fail the turn so its text goes back into the composer, with Retry.
      this.#fail(run, { code: 'offline', message: 'The turn was stopped while waiting for the connection.' });
      run.controller.abort();
      return;
    }
    this.#active = null;
    this.#persistence.saveRun(null);
    run.controller.abort();
    const message = this.#updateMessage(run.messageId, (m) => ({ ...m, status: 'stopped' }));
    this.#status = 'idle';
    this.#changed('messages', 'status');
    this.#cancelRemote(run.runId);
    if (message) this.#emit('run-complete', { runId: run.runId, stopReason: 'cancelled', message });
  }

  /** Sends the failed turn again, exactly as it was. Resolves `true` if it was resent. */
  async retry(): Promise<boolean> {
    const failed = this.#failed;
    if (!failed || this.#active || this.#awaiting) return false;
    this.#failed = null;
    if (failed.continuation) {
      // The decision may not have reached the backend: send it again (a backend that did get it
      // refuses the repeat, which then shows as the error).
      this.#clearError(failed.messageId);
      return this.#continueRun(failed.messageId, failed.runId ?? '', failed.continuation, failed, failed.retryAt);
    }
    const changes: ChangeKey[] = ['messages'];
    const message = this.#messages.find((m) => m.id === failed.messageId);
    if (message && messageText(message) === '') {
      this.#messages = this.#messages.filter((m) => m.id !== failed.messageId);
    } else {
      this.#clearError(failed.messageId);
    }
    // The text was put back in the composer when the turn failed; it is being sent now.
    if (failed.draftRestored && this.#draft.trim() === failed.text) {
      this.#draft = '';
      changes.push('draft');
    }
    // Its files were put back too, and go again with it.
    const files = this.#turnFiles.get(failed.userMessageId);
    if (files) this.attachments.discard(files);
    this.#updateMessage(failed.userMessageId, delivering);
    this.#changed(...changes);
    // A turn the backend never took goes with its key again (a backend that did get it answers with
    // that run, not a second one); one it took and failed is a new attempt, with a new key.
    return this.#runTurn(failed.userMessageId, failed.input, failed.text, failed.retryAt, failed.accepted ? undefined : failed.idempotencyKey);
  }

  /**
   * Whether `resend(messageId)` would send that undelivered question again now: nothing runs, its
   * files (if any) are still in memory, and it is not the failure `retry()` resends (whose Retry
   * sits under its reply).
   */
  canResend(messageId: string): boolean {
    const question = this.#messages.find((m) => m.id === messageId);
    if (!question?.undelivered || this.#active || this.#awaiting || this.#preparingSend) return false;
    if (this.#failed?.userMessageId === messageId) return false;
    return !question.attachments?.length || this.#turnFiles.has(messageId);
  }

  /**
   * Sends an undelivered question again as the newest turn (the visitor asked something else since,
   * or the page reloaded). Resolves `true` if it was sent.
   */
  async resend(messageId: string): Promise<boolean> {
    if (!this.canResend(messageId)) return false;
    const index = this.#messages.findIndex((m) => m.id === messageId);
    const question = this.#messages[index]!;
    const reply = this.#messages[index + 1];
    const failed = this.#failed;
    if (failed) this.#clearError(failed.messageId);
    this.#failed = null;
    const text = messageText(question);
    const files = this.#turnFiles.get(messageId);
    // Its empty failed reply goes with it: the question moves to the end, where its answer will be.
    const dropReply = reply?.role === 'assistant' && !hasContent(reply);
    this.#messages = [...this.#messages.filter((m) => m !== question && !(dropReply && m === reply)), { ...delivering(question), created_at: this.#now() }];
    const changes: ChangeKey[] = ['messages'];
    if (this.#draft.trim() === text && text !== '') {
      this.#draft = '';
      changes.push('draft');
    }
    if (files) this.attachments.discard(files);
    this.#changed(...changes);
    const input: InputMessage[] = [{ role: 'user', content: files ? [...(text ? [{ type: 'text' as const, text }] : []), ...files.parts] : text }];
    return this.#runTurn(messageId, input, text);
  }

  /**
   * Sends the visitor's (or the host page's) decision on a pending approval and streams the run's
   * continuation into the same message. Resolves `true` if it was sent; an unknown or already
   * decided approval is never sent (twice).
   */
  async decideApproval(approvalId: string, decision: ApprovalDecision): Promise<boolean> {
    if (decision !== 'approve' && decision !== 'deny') return false;
    const found = findPendingApproval(this.#messages, approvalId);
    if (!found) return false;
    const run = this.#active;
    if (run) {
      // The run that asked has not paused yet: decide as soon as it does.
      if (run.messageId !== found.message.id || run.queuedDecision) return false;
      run.queuedDecision = { approvalId, decision };
      return true;
    }
    const awaiting = this.#awaiting;
    this.#awaiting = null;
    this.#persistence.clearApproval(this.#threadId);
    this.#updateMessage(found.message.id, (m) => ({
      ...m,
      parts: updateApproval(m.parts, approvalId, (a) => ({ ...a, status: decidedStatus(decision) })),
    }));
    const turn = awaiting ?? { userMessageId: '', input: [], text: '' };
    return this.#continueRun(found.message.id, found.approval.run_id, { approvalId, decision }, turn, undefined, awaiting?.cursor);
  }

  /** Clears the transcript and starts a new thread (the draft is kept: nothing typed is lost). */
  newConversation(): void {
    if (this.#awaiting) {
      const runId = this.#awaiting.runId;
      this.#awaiting = null;
      this.#cancelRemote(runId);
    }
    this.#persistence.clearApproval(this.#threadId);
    this.#restoredAt = null;
    this.#persistence.clearTranscript();
    this.#persistence.saveRun(null);
    const run = this.#active;
    if (run) {
      this.#active = null;
      run.controller.abort();
      this.#cancelRemote(run.runId);
    }
    this.#failed = null;
    this.#messages = [];
    this.#turnFiles.clear();
    this.attachments.releaseSent();
    this.#status = 'idle';
    this.#changed('messages', 'status');
    this.#setThreadId(createThreadId(this.#random), 'new-conversation', true);
  }

  /**
   * Whether the backend takes ratings of replies (`features.feedback` in `POST /session`) and the
   * transport can send them.
   */
  get takesFeedback(): boolean {
    return this.#session?.features?.feedback === true && typeof this.#transport?.sendFeedback === 'function';
  }

  /**
   * Rates a finished reply (a later rating replaces it). Shown at once, undone if the backend
   * refuses; resolves `true` once it was saved (then `feedback` fires).
   */
  async rate(messageId: string, feedback: MessageFeedback): Promise<boolean> {
    const message = this.#messages.find((m) => m.id === messageId);
    const runId = message?.run_id;
    const send = this.#transport?.sendFeedback?.bind(this.#transport);
    if (!message || message.role !== 'assistant' || runId === undefined || !send) return false;
    const previous = message.feedback;
    const setFeedback = (value: MessageFeedback | undefined) => {
      this.#updateMessage(messageId, ({ feedback: _old, ...m }) => (value ? { ...m, feedback: value } : m));
      this.#changed('messages');
    };
    setFeedback(feedback);
    try {
      await send(runId, feedback);
    } catch {
      if (this.#messages.find((m) => m.id === messageId)?.feedback === feedback) setFeedback(previous);
      return false;
    }
    this.#persistence.saveTranscript(this.#threadId, this.#messages, this.#now());
    this.#emit('feedback', { runId, messageId, ...feedback });
    return true;
  }

  /** Typed `addEventListener`; returns the function that removes the listener. */
  on<K extends keyof ChatStoreEventMap>(type: K, listener: (event: ChatStoreEventMap[K]) => void): () => void {
    const wrapped = listener as EventListener;
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  // ---------------------------------------------------------------------------------------------
  // Runs

  async #runTurn(
    userMessageId: string,
    input: InputMessage[],
    text: string,
    notBefore?: number,
    idempotencyKey = `turn_${base64url(this.#random(new Uint8Array(18)))}`,
  ): Promise<boolean> {
    const assistant = this.#newMessage('assistant', 'streaming', []);
    const run: ActiveRun = {
      controller: new AbortController(),
      messageId: assistant.id,
      userMessageId,
      input,
      text,
      finished: false,
      accepted: false,
      threadId: '',
      cursor: {},
      idempotencyKey,
    };
    this.#active = run;
    this.#messages = [...this.#messages, assistant];
    this.#status = 'sending';
    this.#changed('messages', 'status');

    if (this.#threadId === null) this.#setThreadId(createThreadId(this.#random), 'created', true);
    const threadId = this.#threadId ?? '';
    run.threadId = threadId;
    this.#saveRun(run);
    const max = this.limits?.max_text_chars;
    await this.#stream(run, notBefore, (transport, options) => {
      // Refused before a round trip (the backend would answer 413 all the same): the text goes back to the composer.
      if (max !== undefined && text.length > max) throw { code: 'payload_too_large', message: `${text.length} characters; the limit is ${max}.` } satisfies ChatError;
      return transport.startRun({ thread_id: threadId, input, stream: true }, options);
    });
    return true;
  }

  /** Streams the continuation of a paused run (after an approval decision) into its message. */
  async #continueRun(
    messageId: string,
    runId: string,
    continuation: Continuation,
    turn: { userMessageId: string; input: InputMessage[]; text: string },
    notBefore?: number,
    cursor: RunCursor = {},
  ): Promise<boolean> {
    const run: ActiveRun = {
      controller: new AbortController(),
      messageId,
      userMessageId: turn.userMessageId,
      input: turn.input,
      text: turn.text,
      runId,
      finished: false,
      accepted: true,
      continuation,
      threadId: this.#threadId ?? '',
      cursor,
    };
    this.#active = run;
    this.#updateMessage(messageId, (m) => ({ ...m, status: 'streaming' }));
    this.#status = 'sending';
    this.#changed('messages', 'status');
    await this.#stream(run, notBefore, (transport, options) => {
      if (!transport.continueRun) throw { code: 'invalid_request', message: 'This transport cannot continue a run.' } satisfies ChatError;
      return transport.continueRun(runId, continuation.approvalId, continuation.decision, options);
    });
    return true;
  }

  #stream(run: ActiveRun, notBefore: number | undefined, open: OpenStream): Promise<void> {
    return runStream(this.#runHost, run, notBefore, open, toChatError);
  }

  /** One event of the run: the reducer computes the new state, the store announces it. */
  #apply(run: ActiveRun, event: RunEvent): void {
    const step = reduceRunEvent({ messages: this.#messages, status: this.#status, messageId: run.messageId, userMessageId: run.userMessageId }, event);
    this.#messages = step.messages;
    this.#status = step.status;
    const { changes, toolCall, approval } = step;
    // Deltas and repeated approvals change nothing that is not drawn already: no `change` then.
    if (changes.length && event.type !== 'run.completed') this.#changed(...changes);
    switch (event.type) {
      case 'run.started':
        // A run replayed from its start (a resume) has started already.
        if (run.runId === event.run_id) break;
        run.runId = event.run_id;
        this.#saveRun(run);
        this.#emit('run-start', { runId: event.run_id, threadId: this.#threadId ?? event.thread_id, messageId: run.messageId });
        break;
      case 'message.delta':
        // Deltas do not emit `change`: the message appends them itself, the rest does not re-render.
        if (step.partIndex !== undefined) this.#emit('delta', { messageId: run.messageId, partIndex: step.partIndex, delta: event.delta });
        break;
      case 'run.completed': {
        if (event.stop_reason === 'awaiting_approval' && this.#pauseForApproval(run)) break;
        run.finished = true;
        const message = this.#messages.find((m) => m.id === run.messageId);
        this.#finish(run, ...changes);
        if (message) this.#emit('run-complete', { runId: run.runId, stopReason: event.stop_reason, message });
        break;
      }
      case 'run.failed':
        run.finished = true;
        this.#fail(run, { code: event.error.code, message: event.error.message });
        break;
      case 'tool_call.started':
      case 'tool_call.completed':
        if (toolCall) this.#emit('tool-call', { phase: event.type === 'tool_call.started' ? 'started' : 'completed', toolCall, runId: event.run_id, messageId: run.messageId });
        break;
      case 'approval.requested':
        if (!approval) break;
        if (this.#threadId !== null) this.#persistence.saveApproval(this.#threadId, approval, this.#now());
        this.#announceApproval(run.messageId, approval, false);
        break;
    }
  }

  /**
   * `run.completed` with `awaiting_approval`: the run pauses. The message is complete for now, the
   * composer locks until a decision (or Stop), and the continuation later streams into the same message.
   */
  #pauseForApproval(run: ActiveRun): boolean {
    const message = this.#messages.find((m) => m.id === run.messageId);
    const pending = message ? findPendingApproval([message]) : null;
    if (!message || !pending || run.runId === undefined) return false;
    run.finished = true;
    this.#active = null;
    this.#awaiting = { runId: run.runId, messageId: run.messageId, userMessageId: run.userMessageId, input: run.input, text: run.text, cursor: run.cursor };
    this.#persistence.saveRun(null);
    const updated = this.#updateMessage(run.messageId, (m) => ({ ...m, status: 'complete' }));
    this.#status = 'awaiting_approval';
    this.#changed('messages', 'status');
    if (updated) this.#emit('run-complete', { runId: run.runId, stopReason: 'awaiting_approval', message: updated });
    const queued = run.queuedDecision;
    if (queued) void this.decideApproval(queued.approvalId, queued.decision);
    return true;
  }

  /** Fires the cancelable `approval-request`; a host that cancels it decides itself (no buttons). */
  #announceApproval(messageId: string, approval: ApprovalMessagePart, restored: boolean): void {
    const hostDecides = !this.#emit('approval-request', { approval, messageId, restored }, true);
    if (hostDecides === (approval.host_decides === true)) return;
    this.#updateMessage(messageId, (m) => ({
      ...m,
      parts: updateApproval(m.parts, approval.approval_id, ({ host_decides: _previous, ...a }) => (hostDecides ? { ...a, host_decides: true } : a)),
    }));
    this.#changed('messages');
  }

  /** Stop while an approval waits: the run is cancelled and the approval can no longer be decided. */
  #cancelAwaitingApproval(): void {
    const awaiting = this.#awaiting;
    if (!awaiting) return;
    this.#awaiting = null;
    this.#persistence.clearApproval(this.#threadId);
    const message = this.#updateMessage(awaiting.messageId, (m) => ({ ...m, status: 'stopped', parts: cancelPendingApprovals(m.parts) }));
    this.#status = 'idle';
    this.#changed('messages', 'status');
    this.#cancelRemote(awaiting.runId);
    if (message) this.#emit('run-complete', { runId: awaiting.runId, stopReason: 'cancelled', message });
  }

  /** After a reload: shows the thread's stored pending approval again, ready to be decided. */
  #restorePendingApproval(): void {
    if (this.#active || this.#awaiting || this.#threadId === null) return;
    const record = this.#persistence.loadApproval(this.#threadId);
    if (!record) return;
    const known = this.#messages.flatMap((m) => m.parts).find((p) => p.kind === 'approval' && p.approval_id === record.approval_id);
    if (known && known.kind === 'approval' && known.status !== 'pending') {
      this.#persistence.clearApproval(this.#threadId); // a restored transcript already shows it decided
      return;
    }
    let found = findPendingApproval(this.#messages, record.approval_id);
    if (!found) {
      const approval = approvalPartFrom(record);
      const message: ChatMessage = { ...this.#newMessage('assistant', 'complete', [approval]), run_id: record.run_id };
      this.#messages = [...this.#messages, message];
      found = { message, approval };
    }
    this.#awaiting = { runId: record.run_id, messageId: found.message.id, userMessageId: '', input: [], text: '' };
    this.#status = 'awaiting_approval';
    this.#changed('messages', 'status');
    this.#announceApproval(found.message.id, found.approval, true);
  }

  /**
   * Marks the run's message failed and keeps what arrived. A turn the backend never took goes back
   * into the composer (text and files); one it took stays in the transcript, with Retry, and the
   * composer is left alone (refilling it would send the question again with whatever is typed next).
   */
  #fail(run: ActiveRun, error: ChatError): void {
    run.finished = true;
    if (error.retryAfterMs !== undefined && error.retryAt === undefined) error = { ...error, retryAt: this.#now() + error.retryAfterMs };
    // Cut off, not refused: what arrived is kept and marked interrupted (the server ran out of time
    // on its side too for upstream_timeout and run_timeout).
    const cutOff = CUT_OFF_CODES.has(error.code);
    const message = this.#updateMessage(run.messageId, (m) => ({
      ...m,
      status: hasContent(m) && cutOff ? 'interrupted' : 'error',
      error,
    }));
    // No reply at all: the question says so on its own bubble for as long as it is shown.
    if (message && !hasContent(message) && run.userMessageId) this.#updateMessage(run.userMessageId, (m) => ({ ...m, undelivered: true }));
    // Nothing the visitor typed is lost: an empty composer gets the text of a turn the backend never took…
    const restoreDraft = !run.accepted && run.text !== '' && this.#draft.trim() === '';
    this.#failed = {
      userMessageId: run.userMessageId,
      messageId: run.messageId,
      input: run.input,
      text: run.text,
      accepted: run.accepted,
      draftRestored: restoreDraft,
    };
    if (run.runId !== undefined) this.#failed.runId = run.runId;
    if (run.continuation) this.#failed.continuation = run.continuation;
    if (run.idempotencyKey !== undefined) this.#failed.idempotencyKey = run.idempotencyKey;
    if (error.retryAt !== undefined) this.#failed.retryAt = error.retryAt;
    // A silent stream may still be generating server-side: ask the backend to stop it.
    if (error.code === 'timeout') this.#cancelRemote(run.runId);
    const changes: ChangeKey[] = ['messages'];
    if (restoreDraft) {
      this.#draft = run.text;
      changes.push('draft');
    }
    // …and its files, when the composer holds none.
    const files = run.accepted ? undefined : this.#turnFiles.get(run.userMessageId);
    if (files) this.attachments.restore(files);
    this.#finish(run, ...changes);
    this.#emit('error', { error, phase: 'run', ...(message ? { messageId: message.id } : {}) });
  }

  /** Ends the run (once) and announces it together with the `changes` that came with it. */
  #finish(run: ActiveRun, ...changes: ChangeKey[]): void {
    if (this.#active !== run) {
      if (changes.length) this.#changed(...changes);
      return;
    }
    this.#active = null;
    this.#persistence.saveRun(null);
    this.#status = 'idle';
    this.#changed(...changes, 'status');
  }

  // ---------------------------------------------------------------------------------------------
  // Resuming

  /** Keeps the turn in flight (and the transcript with its question) for a reload to pick up. */
  #saveRun(run: ActiveRun): void {
    if (this.#active !== run || run.continuation || run.threadId === '') return;
    this.#persistence.saveRun({
      v: 1,
      thread_id: run.threadId,
      message_id: run.messageId,
      user_message_id: run.userMessageId,
      text: run.text,
      ...(run.runId !== undefined ? { run_id: run.runId } : {}),
      ...(run.idempotencyKey !== undefined ? { key: run.idempotencyKey } : {}),
    });
    this.#persistence.saveTranscript(run.threadId, this.#messages, this.#now());
  }

  /**
   * The run is replayed from its start: its reply is drawn again in a fresh message (same place,
   * new id, so what the old one rendered is dropped with it).
   */
  #restart(run: ActiveRun): void {
    const fresh = this.#newMessage('assistant', 'streaming', []);
    if (run.runId !== undefined) fresh.run_id = run.runId;
    this.#messages = this.#messages.map((m) => (m.id === run.messageId ? fresh : m));
    run.messageId = fresh.id;
    this.#saveRun(run);
    this.#changed('messages');
  }

  /**
   * After a reload: a turn that was in flight (stored, or the backend's `active_run` for this
   * thread) is picked up again and its reply replayed from the start; when the backend cannot,
   * the reply shows as interrupted with Retry, the question kept (see run-resume.ts).
   */
  async #resumeAfterReload(): Promise<void> {
    const threadId = this.#threadId;
    const idle = () => !this.#active && !this.#awaiting && this.#threadId === threadId;
    if (!idle() || threadId === null) return;
    const record = this.#persistence.loadRun(threadId);
    const live = this.#session?.active_run?.thread_id === threadId ? this.#session.active_run : undefined;
    if (!record && !live) return;
    const { planReload } = await import('./run-resume.js');
    if (!idle()) return;
    const plan = planReload(this.#messages, threadId, record, live, this.#transport, this.#session, () => this.#newMessage('assistant', 'streaming', []));
    if (!plan || 'failed' in plan) this.#persistence.saveRun(null);
    if (!plan) return;
    this.#messages = plan.messages;
    if ('failed' in plan) {
      this.#failed = plan.failed;
      this.#persistence.saveTranscript(threadId, this.#messages, this.#now());
      this.#changed('messages');
      return;
    }
    this.#active = plan.run;
    this.#failed = null;
    this.#restart(plan.run);
    this.#status = 'reconnecting';
    this.#changed('status');
    await this.#stream(plan.run, undefined, plan.open);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  #newMessage(role: ChatMessage['role'], status: ChatMessage['status'], parts: MessagePart[]): ChatMessage {
    return { id: `msg_${base64url(this.#random(new Uint8Array(9)))}`, role, status, parts, created_at: this.#now() };
  }

  #updateMessage(id: string, update: (message: ChatMessage) => ChatMessage): ChatMessage | undefined {
    let updated: ChatMessage | undefined;
    [this.#messages, updated] = updateMessage(this.#messages, id, update);
    return updated;
  }

  #clearError(messageId: string): void {
    this.#updateMessage(messageId, (m) => {
      if (!m.error) return m;
      const { error: _dropped, ...rest } = m;
      return rest;
    });
  }

  #setThreadId(threadId: string | null, reason: ThreadChangeReason, persist = false): void {
    if (persist && threadId !== null) this.#persistence.writeThreadId(threadId);
    if (threadId === this.#threadId) return;
    const previous = this.#threadId;
    this.#threadId = threadId;
    this.#changed('threadId');
    this.#emit('thread-change', { threadId, previous, reason });
    this.#restoreTranscript();
  }

  /** Shows the stored transcript of the current thread, when nothing is on screen yet. */
  #restoreTranscript(): void {
    if (this.#messages.length > 0 || this.#active) return;
    const restored = this.#persistence.loadTranscript(this.#threadId);
    if (!restored) return;
    this.#messages = restored.messages;
    this.#restoredAt = restored.savedAt;
    this.#changed('messages');
  }

  /** Asks the backend to stop a run, best effort (a transport without `cancelRun` cannot). */
  #cancelRemote(runId: string | undefined): void {
    if (runId !== undefined) void this.#transport?.cancelRun?.(runId)?.catch?.(() => undefined);
  }

  #warnOnce(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#warn(message);
  }

  #changed(...keys: ChangeKey[]): void {
    // A run just ended (finished, failed, stopped or paused for an approval): keep the transcript.
    if (keys.includes('status') && (this.#status === 'idle' || this.#status === 'awaiting_approval')) {
      this.#persistence.saveTranscript(this.#threadId, this.#messages, this.#now());
    }
    this.#emit('change', { keys });
  }

  #emit<K extends keyof ChatStoreEventMap>(type: K, detail: ChatStoreEventMap[K]['detail'], cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, cancelable }));
  }
}
