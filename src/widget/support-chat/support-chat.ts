import { provide } from '@lit/context';
import { LitElement, html, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import {
  IcErrorEvent,
  IcRunCompleteEvent,
  IcRunStartEvent,
  IcSendEvent,
  IcThreadChangeEvent,
} from '../events.js';
import { formatString, stringsFor, type ChatStrings } from '../i18n/strings.js';
import { ChatStore } from '../state/chat-store.js';
import { storeContext, stringsContext } from '../state/store-context.js';
import { StoreController } from '../state/store-controller.js';
import { threadStorageKey } from '../state/thread-id.js';
import { ProtocolV1Transport, type ChatTransport } from '../state/transport.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { messageText, type KeyValueStorage, type PersistMode } from '../types.js';
import type { IcComposer } from '../composer/composer.js';
import { markdownToPlainText } from './plain-text.js';
import { supportChatStyles } from './support-chat.styles.js';

/**
 * @tag ic-support-chat
 * @summary A support chat that streams the assistant's replies from your backend
 * (protocol v1 at `endpoint`). Inline mode: it fills its container.
 *
 * @slot header - Replaces the heading in the header.
 * @slot empty - Shown in the transcript when there are no messages and no greeting.
 *
 * @csspart panel - The chat panel (header, transcript, composer).
 * @csspart header - The header with the heading and "New conversation".
 * @csspart heading - The heading text.
 * @csspart new-conversation-button - The "New conversation" button.
 * @csspart transcript - The transcript (`<ic-message-list>`).
 * @csspart log - The transcript's scrolling log.
 * @csspart greeting - The greeting shown before the first message.
 * @csspart message - Each message.
 * @csspart bubble - Each message's bubble.
 * @csspart badge - A message's "Stopped" / "Interrupted" badge.
 * @csspart error - The error alert of a failed reply.
 * @csspart retry-button - The "Retry" button.
 * @csspart composer - The composer (`<ic-composer>`).
 * @csspart input - The message text area.
 * @csspart send-button - The "Send" button.
 * @csspart stop-button - The "Stop" button.
 *
 * @cssprop --ic-accent - Accent colour: Send button, visitor bubbles, focus ring.
 * @cssprop --ic-accent-hover - Accent colour of a hovered button.
 * @cssprop --ic-on-accent - Text colour on the accent colour.
 * @cssprop --ic-surface - Panel background.
 * @cssprop --ic-surface-muted - Background of hovered secondary buttons.
 * @cssprop --ic-text - Text colour.
 * @cssprop --ic-text-muted - Secondary text colour (placeholder, badges).
 * @cssprop --ic-border - Border colour of the panel and separators.
 * @cssprop --ic-control-border - Border colour of the text area and secondary buttons.
 * @cssprop --ic-radius - Corner radius of the panel and bubbles.
 * @cssprop --ic-radius-small - Corner radius of buttons and the text area.
 * @cssprop --ic-font-family - Font stack (default: the system UI font).
 * @cssprop --ic-font-size - Base font size.
 * @cssprop --ic-space - Base spacing.
 * @cssprop --ic-user-bubble - Background of the visitor's messages.
 * @cssprop --ic-user-bubble-text - Text colour of the visitor's messages.
 * @cssprop --ic-assistant-bubble - Background of the assistant's messages.
 * @cssprop --ic-assistant-bubble-text - Text colour of the assistant's messages.
 * @cssprop --ic-error-text - Text colour of error alerts.
 * @cssprop --ic-error-surface - Background of error alerts.
 * @cssprop --ic-focus-ring - Focus indicator (a box-shadow).
 *
 * @fires {IcSendEvent} ic-send - Before a turn is sent; cancelable (the text stays in the composer).
 * @fires {IcRunStartEvent} ic-run-start - The backend started a run for the turn.
 * @fires {IcRunCompleteEvent} ic-run-complete - A reply finished or was stopped.
 * @fires {IcThreadChangeEvent} ic-thread-change - The conversation's thread id changed.
 * @fires {IcErrorEvent} ic-error - A turn or `POST /session` failed.
 */
export class IcSupportChat extends LitElement {
  static override styles = [baseStyles, supportChatStyles];

  /** The backend's protocol v1 base URL, e.g. `/api/support`. */
  @property() endpoint = '';

  /** An explicit conversation thread id; wins over the stored one (and is not stored). */
  @property({ attribute: 'thread-id' }) threadId: string | null = null;

  /** Where the thread id is kept between page loads: `local` (default), `session` or `none`. */
  @property() persist: PersistMode = 'local';

  /** Header text (default from the strings table: "Support"). */
  @property() heading = '';

  /** Placeholder of the message box. */
  @property() placeholder = '';

  /** A welcome message (plain text) shown before the first message. */
  @property() greeting = '';

  /** Overrides for single strings of the language's table (e.g. `{send: 'Ask'}`). */
  @property({ attribute: false }) strings: Partial<ChatStrings> = {};

  /** Talks to something other than protocol v1 over HTTP at `endpoint` (mocks, custom backends). */
  @property({ attribute: false }) transport: ChatTransport | null = null;

  /** The chat's state; sub-elements get it through context. */
  @provide({ context: storeContext })
  readonly store: ChatStore = new ChatStore();

  @provide({ context: stringsContext })
  @state()
  protected resolvedStrings: ChatStrings = stringsFor(null);

  /** What the polite live region says: the last finished reply, once. */
  @state() private announcement = '';

  @query('ic-composer') private composer?: IcComposer;

  private needsConnect = false;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  constructor() {
    super();
    new StoreController(this, () => this.store, { keys: ['status'] });
    // Store events become the element's public DOM events.
    this.store.on('send', (event) => {
      if (!this.dispatchEvent(new IcSendEvent(event.detail))) event.preventDefault();
    });
    this.store.on('run-start', (event) => this.dispatchEvent(new IcRunStartEvent(event.detail)));
    this.store.on('run-complete', (event) => {
      if (event.detail.stopReason !== 'cancelled') {
        const text = markdownToPlainText(messageText(event.detail.message));
        if (text) this.announcement = formatString(this.resolvedStrings.replyAnnouncement, { text });
      }
      this.dispatchEvent(new IcRunCompleteEvent(event.detail));
    });
    this.store.on('thread-change', (event) => this.dispatchEvent(new IcThreadChangeEvent(event.detail)));
    this.store.on('error', (event) => this.dispatchEvent(new IcErrorEvent(event.detail)));
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  /** The conversation's current thread id (the attribute's, the stored one, or a new one). */
  get currentThreadId(): string | null {
    return this.store.threadId;
  }

  /** Sends `text` (default: what is in the composer). Resolves when the reply ends; `true` if sent. */
  send(text?: string): Promise<boolean> {
    return this.store.send(text);
  }

  /** Stops the reply that is streaming; the partial reply stays, marked stopped. */
  stop(): void {
    this.store.stop();
  }

  /** Clears the transcript and starts a new thread. */
  newConversation(): void {
    this.store.newConversation();
  }

  /** Moves focus to the message box. */
  override focus(options?: FocusOptions): void {
    this.composer?.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('threadId')) this.store.setExplicitThreadId(this.threadId);
    if (changed.has('endpoint') || changed.has('persist')) {
      this.store.setPersistence(storageFor(this.persist), threadStorageKey(this.endpoint || 'default'));
    }
    if (changed.has('endpoint') || changed.has('transport')) {
      this.store.setTransport(this.transport ?? (this.endpoint ? new ProtocolV1Transport(this.endpoint) : null));
      this.needsConnect = true;
    }
    const lang = this.closest('[lang]')?.getAttribute('lang') ?? null;
    const strings = stringsFor(lang, this.strings);
    if (JSON.stringify(strings) !== JSON.stringify(this.resolvedStrings)) this.resolvedStrings = strings;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.needsConnect && this.isConnected) {
      this.needsConnect = false;
      void this.store.connect();
    }
  }

  protected override render() {
    const s = this.resolvedStrings;
    return html`<div part="panel" class="panel">
      <div part="header" class="header">
        <slot name="header"><h2 part="heading" class="heading">${this.heading || s.heading}</h2></slot>
        <button part="new-conversation-button" class="button secondary" type="button" @click=${this.onNewConversation}>
          ${s.newConversation}
        </button>
      </div>
      <ic-message-list
        part="transcript"
        exportparts="log, greeting, message, bubble, badge, error, retry-button"
        .store=${this.store}
        .strings=${s}
        .greeting=${this.greeting}
      >
        <slot name="empty" slot="empty"></slot>
      </ic-message-list>
      <ic-composer
        part="composer"
        exportparts="input, send-button, stop-button"
        .store=${this.store}
        .strings=${s}
        .placeholder=${this.placeholder}
      ></ic-composer>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    </div>`;
  }

  private onNewConversation(): void {
    this.store.newConversation();
    this.announcement = '';
  }
}

/** The Web Storage for a persist mode; `null` when none is wanted or the browser blocks it. */
function storageFor(persist: PersistMode): KeyValueStorage | null {
  try {
    if (persist === 'none') return null;
    return persist === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
  } catch {
    // Accessing storage throws in some sandboxed iframes and with cookies blocked.
    return null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-support-chat': IcSupportChat;
  }
}
