/**
 * The chat's state and behaviour, free of the DOM: messages, status, thread id, draft, session.
 * Elements render it and call its methods; it talks to the backend through a `ChatTransport`.
 * Storage, randomness and the clock are injected so it runs (and is tested) anywhere.
 */
import type { InputMessage, RunEvent, SessionResponse, Limits } from '../../protocol/types.js';
import type {
  IcErrorDetail,
  IcRunCompleteDetail,
  IcRunStartDetail,
  IcSendDetail,
  IcThreadChangeDetail,
  ThreadChangeReason,
} from '../events.js';
import type { ChatError, ChatMessage, ChatStatus, KeyValueStorage, MessagePart } from '../types.js';
import { messageText } from '../types.js';
import type { ChatTransport } from './transport.js';
import { base64url, createThreadId, cryptoRandom, type RandomSource } from './thread-id.js';

/** What a `change` event says changed. */
export type ChangeKey = 'messages' | 'status' | 'threadId' | 'draft' | 'session';

export interface StoreChangeDetail {
  keys: readonly ChangeKey[];
}
/** One text delta for one message part, so a message can append without re-rendering. */
export interface StoreDeltaDetail {
  messageId: string;
  partIndex: number;
  delta: string;
}

/** The store's events. `send` is cancelable: cancelling it sends nothing. */
export interface ChatStoreEventMap {
  change: CustomEvent<StoreChangeDetail>;
  delta: CustomEvent<StoreDeltaDetail>;
  send: CustomEvent<IcSendDetail>;
  'run-start': CustomEvent<IcRunStartDetail>;
  'run-complete': CustomEvent<IcRunCompleteDetail>;
  'thread-change': CustomEvent<IcThreadChangeDetail>;
  error: CustomEvent<IcErrorDetail>;
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
}

interface ActiveRun {
  controller: AbortController;
  messageId: string;
  userMessageId: string;
  input: InputMessage[];
  text: string;
  runId?: string;
  finished: boolean;
}

/** The last turn that failed, kept so Retry can send exactly the same input again. */
interface FailedTurn {
  userMessageId: string;
  messageId: string;
  input: InputMessage[];
  text: string;
  runId?: string;
}

/** A thread id we accept from storage or an attribute: opaque, URL-safe, bounded. */
const SANE_THREAD_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

export class ChatStore extends EventTarget {
  private _messages: readonly ChatMessage[] = [];
  private _status: ChatStatus = 'idle';
  private _threadId: string | null = null;
  private _draft = '';
  private _session: SessionResponse | null = null;
  private _sessionError: ChatError | null = null;

  private transport: ChatTransport | null;
  private storage: KeyValueStorage | null;
  private storageKey: string;
  private explicitThreadId: string | null;
  private readonly random: RandomSource;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;
  private readonly warned = new Set<string>();

  private active: ActiveRun | null = null;
  private failed: FailedTurn | null = null;
  private sessionController: AbortController | null = null;

  constructor(options: ChatStoreOptions = {}) {
    super();
    this.transport = options.transport ?? null;
    this.storage = options.storage ?? null;
    this.storageKey = options.storageKey ?? 'ic-support-chat:thread:default';
    this.explicitThreadId = options.threadId ?? null;
    this.random = options.random ?? cryptoRandom;
    this.now = options.now ?? Date.now;
    this.warn = options.warn ?? ((message) => console.warn(`[ic-support-chat] ${message}`));
    this._threadId = this.explicitThreadId ?? this.readStoredThreadId();
  }

  // ---------------------------------------------------------------------------------------------
  // State (read-only outside; replaced, never mutated, so renderers can compare by identity)

  get messages(): readonly ChatMessage[] {
    return this._messages;
  }
  get status(): ChatStatus {
    return this._status;
  }
  /** True while a turn is being sent or streamed. */
  get busy(): boolean {
    return this._status !== 'idle';
  }
  get threadId(): string | null {
    return this._threadId;
  }
  get draft(): string {
    return this._draft;
  }
  get session(): SessionResponse | null {
    return this._session;
  }
  get sessionError(): ChatError | null {
    return this._sessionError;
  }
  /** Attachment limits from `POST /session`, once known. */
  get limits(): Limits | null {
    return this._session?.limits ?? null;
  }
  /** The message whose failure Retry would resend, if any. */
  get retryableMessageId(): string | null {
    return this.active ? null : (this.failed?.messageId ?? null);
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration

  setTransport(transport: ChatTransport | null): void {
    this.transport = transport;
  }

  /** Where the thread id is kept. Re-reads it unless an explicit thread id is set. */
  setPersistence(storage: KeyValueStorage | null, storageKey: string): void {
    this.storage = storage;
    this.storageKey = storageKey;
    if (this.explicitThreadId !== null) return;
    // A stored thread for this key continues; with none, the conversation on screen keeps its thread.
    const stored = this.readStoredThreadId();
    if (stored !== null) this.setThreadId(stored, 'restored');
    else if (this._threadId !== null) this.setThreadId(this._threadId, 'restored', true);
  }

  /** An explicit thread id wins over the stored one; `null` goes back to the stored one. */
  setExplicitThreadId(threadId: string | null): void {
    const value = threadId && SANE_THREAD_ID.test(threadId) ? threadId : null;
    if (value === this.explicitThreadId) return;
    this.explicitThreadId = value;
    if (value !== null) this.setThreadId(value, 'attribute');
    else this.setThreadId(this.readStoredThreadId(), 'restored');
  }

  setDraft(text: string): void {
    if (text === this._draft) return;
    this._draft = text;
    this.changed('draft');
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  /** `POST /session`: tells the backend the visitor is here and learns the limits. Never rejects. */
  async connect(): Promise<SessionResponse | null> {
    this.sessionController?.abort();
    const transport = this.transport;
    if (!transport?.openSession) return null;
    const controller = new AbortController();
    this.sessionController = controller;
    try {
      const session = await transport.openSession({ signal: controller.signal });
      if (controller.signal.aborted) return null;
      this._session = session;
      this._sessionError = null;
      this.changed('session');
      return session;
    } catch (error) {
      if (controller.signal.aborted) return null;
      this._sessionError = toChatError(error);
      this.changed('session');
      this.emit('error', { error: this._sessionError, phase: 'session' });
      return null;
    } finally {
      if (this.sessionController === controller) this.sessionController = null;
    }
  }

  /**
   * Sends a turn (by default the draft) and resolves when its run ends, `true` if it was sent.
   * Nothing is sent while another turn runs, for blank text, or when the `send` event is cancelled.
   */
  async send(text: string = this._draft): Promise<boolean> {
    const content = text.trim();
    if (content === '' || this.active) return false;
    if (!this.emit('send', { text: content }, true)) return false;

    const fromDraft = text === this._draft;
    const changes: ChangeKey[] = ['messages'];
    // The visitor is re-sending the text of a turn the backend never received: replace that turn.
    const failed = this.failed;
    if (failed && failed.runId === undefined && failed.text === content) {
      this._messages = this._messages.filter((m) => m.id !== failed.userMessageId && m.id !== failed.messageId);
    } else if (failed) {
      this.clearError(failed.messageId);
    }
    this.failed = null;

    if (this._threadId === null) this.setThreadId(createThreadId(this.random), 'created', true);

    const user = this.newMessage('user', 'complete', [{ kind: 'text', text: content }]);
    this._messages = [...this._messages, user];
    if (fromDraft) {
      this._draft = '';
      changes.push('draft');
    }
    this.changed(...changes);
    return this.runTurn(user.id, [{ role: 'user', content }], content);
  }

  /** Stops the current reply: aborts the request, keeps the partial reply marked stopped. */
  stop(): void {
    const run = this.active;
    if (!run) return;
    this.active = null;
    run.controller.abort();
    const message = this.updateMessage(run.messageId, (m) => ({ ...m, status: 'stopped' }));
    this._status = 'idle';
    this.changed('messages', 'status');
    if (run.runId !== undefined) void this.transport?.cancelRun?.(run.runId)?.catch?.(() => undefined);
    if (message) this.emit('run-complete', { runId: run.runId, stopReason: 'cancelled', message });
  }

  /** Sends the failed turn again, exactly as it was. Resolves `true` if it was resent. */
  async retry(): Promise<boolean> {
    const failed = this.failed;
    if (!failed || this.active) return false;
    this.failed = null;
    const changes: ChangeKey[] = ['messages'];
    const message = this._messages.find((m) => m.id === failed.messageId);
    if (message && messageText(message) === '') {
      this._messages = this._messages.filter((m) => m.id !== failed.messageId);
    } else {
      this.clearError(failed.messageId);
    }
    // The text was put back in the composer when the turn failed; it is being sent now.
    if (this._draft.trim() === failed.text) {
      this._draft = '';
      changes.push('draft');
    }
    this.changed(...changes);
    return this.runTurn(failed.userMessageId, failed.input, failed.text);
  }

  /** Clears the transcript and starts a new thread (the draft is kept: nothing typed is lost). */
  newConversation(): void {
    const run = this.active;
    if (run) {
      this.active = null;
      run.controller.abort();
      if (run.runId !== undefined) void this.transport?.cancelRun?.(run.runId)?.catch?.(() => undefined);
    }
    this.failed = null;
    this._messages = [];
    this._status = 'idle';
    this.changed('messages', 'status');
    this.setThreadId(createThreadId(this.random), 'new-conversation', true);
  }

  /** Typed `addEventListener`; returns the function that removes the listener. */
  on<K extends keyof ChatStoreEventMap>(type: K, listener: (event: ChatStoreEventMap[K]) => void): () => void {
    const wrapped = listener as EventListener;
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  // ---------------------------------------------------------------------------------------------
  // Runs

  private async runTurn(userMessageId: string, input: InputMessage[], text: string): Promise<boolean> {
    const assistant = this.newMessage('assistant', 'streaming', []);
    const run: ActiveRun = { controller: new AbortController(), messageId: assistant.id, userMessageId, input, text, finished: false };
    this.active = run;
    this._messages = [...this._messages, assistant];
    this._status = 'sending';
    this.changed('messages', 'status');

    const transport = this.transport;
    if (this._threadId === null) this.setThreadId(createThreadId(this.random), 'created', true);
    try {
      if (!transport) throw { code: 'invalid_request', message: 'No endpoint is configured.' } satisfies ChatError;
      const threadId = this._threadId ?? '';
      const events = transport.startRun(
        { thread_id: threadId, input, stream: true },
        { signal: run.controller.signal, onWarning: (message) => this.warnOnce(message) },
      );
      for await (const event of events) {
        if (this.active !== run) break;
        this.apply(run, event);
        if (run.finished) break;
      }
      if (this.active === run && !run.finished) {
        throw { code: 'interrupted', message: 'The reply stream ended before the run finished.' } satisfies ChatError;
      }
    } catch (error) {
      if (this.active === run) this.fail(run, toChatError(error));
    } finally {
      if (this.active === run) this.finish(run);
    }
    return true;
  }

  private apply(run: ActiveRun, event: RunEvent): void {
    switch (event.type) {
      case 'run.started': {
        run.runId = event.run_id;
        this.updateMessage(run.messageId, (m) => ({ ...m, run_id: event.run_id }));
        this.updateMessage(run.userMessageId, (m) => ({ ...m, run_id: event.run_id }));
        this._status = 'streaming';
        this.changed('messages', 'status');
        this.emit('run-start', { runId: event.run_id, threadId: this._threadId ?? event.thread_id, messageId: run.messageId });
        break;
      }
      case 'message.delta': {
        if (event.delta === '') break;
        let partIndex = 0;
        this.updateMessage(run.messageId, (m) => {
          const parts: MessagePart[] = [...m.parts];
          const last = parts[parts.length - 1];
          if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: last.text + event.delta };
          else parts.push({ kind: 'text', text: event.delta });
          partIndex = parts.length - 1;
          return { ...m, parts };
        });
        if (this._status === 'sending') {
          this._status = 'streaming';
          this.changed('status');
        }
        // Deltas do not emit `change`: the message appends them itself, the rest does not re-render.
        this.emit('delta', { messageId: run.messageId, partIndex, delta: event.delta });
        break;
      }
      case 'run.completed': {
        run.finished = true;
        const status = event.stop_reason === 'cancelled' ? 'stopped' : 'complete';
        const message = this.updateMessage(run.messageId, (m) => ({ ...m, status }));
        this.finish(run, 'messages');
        if (message) this.emit('run-complete', { runId: run.runId, stopReason: event.stop_reason, message });
        break;
      }
      case 'run.failed': {
        run.finished = true;
        this.fail(run, { code: event.error.code, message: event.error.message });
        break;
      }
      default:
        // Tool calls and approvals join the message's parts here (issue 6); ignored until then.
        break;
    }
  }

  /** Marks the run's message failed, keeps what arrived, and puts the visitor's text back. */
  private fail(run: ActiveRun, error: ChatError): void {
    run.finished = true;
    const message = this.updateMessage(run.messageId, (m) => ({
      ...m,
      status: messageText(m) !== '' && (error.code === 'interrupted' || error.code === 'network_error') ? 'interrupted' : 'error',
      error,
    }));
    this.failed = { userMessageId: run.userMessageId, messageId: run.messageId, input: run.input, text: run.text };
    if (run.runId !== undefined) this.failed.runId = run.runId;
    const changes: ChangeKey[] = ['messages'];
    // Nothing the visitor typed is lost: the failed turn's text goes back into an empty composer.
    if (this._draft.trim() === '') {
      this._draft = run.text;
      changes.push('draft');
    }
    this.finish(run, ...changes);
    this.emit('error', { error, phase: 'run', ...(message ? { messageId: message.id } : {}) });
  }

  /** Ends the run (once) and announces it together with the `changes` that came with it. */
  private finish(run: ActiveRun, ...changes: ChangeKey[]): void {
    if (this.active !== run) {
      if (changes.length) this.changed(...changes);
      return;
    }
    this.active = null;
    this._status = 'idle';
    this.changed(...changes, 'status');
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private newMessage(role: ChatMessage['role'], status: ChatMessage['status'], parts: MessagePart[]): ChatMessage {
    return { id: `msg_${base64url(this.random(new Uint8Array(9)))}`, role, status, parts, created_at: this.now() };
  }

  private updateMessage(id: string, update: (message: ChatMessage) => ChatMessage): ChatMessage | undefined {
    let updated: ChatMessage | undefined;
    this._messages = this._messages.map((m) => (m.id === id ? (updated = update(m)) : m));
    return updated;
  }

  private clearError(messageId: string): void {
    this.updateMessage(messageId, (m) => {
      if (!m.error) return m;
      const { error: _dropped, ...rest } = m;
      return rest;
    });
  }

  private setThreadId(threadId: string | null, reason: ThreadChangeReason, persist = false): void {
    if (persist && threadId !== null) {
      try {
        this.storage?.setItem(this.storageKey, threadId);
      } catch {
        // Storage full or blocked (private mode, sandboxed iframe): the thread lives for this page only.
      }
    }
    if (threadId === this._threadId) return;
    const previous = this._threadId;
    this._threadId = threadId;
    this.changed('threadId');
    this.emit('thread-change', { threadId, previous, reason });
  }

  private readStoredThreadId(): string | null {
    try {
      const value = this.storage?.getItem(this.storageKey) ?? null;
      return value !== null && SANE_THREAD_ID.test(value) ? value : null;
    } catch {
      return null;
    }
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warn(message);
  }

  private changed(...keys: ChangeKey[]): void {
    this.emit('change', { keys });
  }

  private emit<K extends keyof ChatStoreEventMap>(
    type: K,
    detail: ChatStoreEventMap[K]['detail'],
    cancelable = false,
  ): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, cancelable }));
  }
}

/** Any thrown value as a `ChatError` the transcript can show. */
export function toChatError(error: unknown): ChatError {
  if (typeof error === 'object' && error !== null) {
    const record = error as { code?: unknown; message?: unknown; retryAfterMs?: unknown; name?: unknown };
    if (typeof record.code === 'string') {
      const result: ChatError = { code: record.code, message: typeof record.message === 'string' ? record.message : '' };
      if (typeof record.retryAfterMs === 'number') result.retryAfterMs = record.retryAfterMs;
      return result;
    }
    if (record.name === 'TypeError') return { code: 'network_error', message: String(record.message ?? '') };
    if (typeof record.message === 'string') return { code: 'internal_error', message: record.message };
  }
  return { code: 'internal_error', message: String(error) };
}
