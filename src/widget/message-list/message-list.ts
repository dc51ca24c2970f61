import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { en, formatString, type ChatStrings } from '../i18n/strings.js';
import { formatDateTime } from '../i18n/format.js';
import type { ChatStore } from '../state/chat-store.js';
import { storeContext, stringsContext } from '../state/store-context.js';
import { StoreController } from '../state/store-controller.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { messageListStyles } from './message-list.styles.js';
import { prewarmMarkdown } from '../markdown/streaming-markdown.js';
import type { IcMessage } from '../message/message.js';
import { ContentRenderEvent } from '../message/content-render.js';
import { messageParts } from '../parts.js';

/** How close to the end (in px) still counts as "at the bottom". */
const BOTTOM_SLACK = 32;

/**
 * @tag ic-message-list
 * @summary The transcript: a labelled, keyboard-scrollable log of the conversation's messages.
 * It follows new content only while the reader is already at the bottom, and never moves focus.
 *
 * @slot empty - Shown when there are no messages and no greeting.
 *
 * @csspart log - The scrolling log container (`role="log"`).
 * @csspart greeting - The greeting shown before the first message.
 * @csspart message - Each `<ic-message>`.
 * @csspart restored-notice - "Conversation from DATE" above a conversation restored after a reload (and its greeting).
 * @csspart jump-button - "Jump to latest", shown while the reader is scrolled up.
 * @csspart new-divider - "New" above the first reply that arrived while the chat was closed.
 * @csspart suggestions - The group of suggested questions under the greeting.
 * @csspart suggestion - One suggested question (a button that sends it).
 * @csspart bubble - Each message's bubble (from `<ic-message>`, as are the parts below).
 * @csspart badge - A message's "Stopped" / "Interrupted" badge.
 * @csspart error - The error alert of a failed reply.
 * @csspart retry-button - The "Retry" button.
 * @csspart undelivered - "Not delivered" under a question that got no reply.
 * @csspart typing - The animated dots while a reply's first words are awaited.
 * @csspart tool-call - A tool call shown in a reply.
 * @csspart approval - An approval request shown in a reply.
 * @csspart attachments - The list of files sent with a visitor's message.
 * @csspart attachment - Each file's chip.
 * @csspart attachment-thumbnail - A chip's image thumbnail.
 * @csspart attachment-icon - A chip's file-type icon (no thumbnail).
 * @csspart attachment-name - A chip's file name.
 * @csspart attachment-size - A chip's file size.
 * @csspart sources - The list of links labelled "Sources" under a reply.
 * @csspart reply-actions - The group of actions under a finished reply.
 * @csspart copy-button - "Copy" (the reply as Markdown).
 * @csspart ask-again-button - "Ask again" under the last finished reply.
 * @csspart continue-button - "Continue" under the last reply, when it was stopped.
 * @csspart helpful-button - "Helpful" (pressed once chosen).
 * @csspart not-helpful-button - "Not helpful" (pressed once chosen); offers reasons and a comment.
 * @csspart feedback-form - The "Not helpful" reasons and comment.
 *
 * @cssprop --ic-space-m - Gap between messages and padding around them (`--ic-space` also works).
 * @cssprop --ic-focus-ring - Focus indicator (box-shadow) of the log when focused.
 */
export class IcMessageList extends LitElement {
  static override styles = [baseStyles, messageListStyles];

  /** The store whose messages are shown; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: storeContext, subscribe: true })
  @property({ attribute: false })
  store?: ChatStore;

  /** The strings table; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: stringsContext, subscribe: true })
  @property({ attribute: false })
  strings?: ChatStrings;

  /** A welcome message (plain text) shown before the first message. */
  @property() greeting = '';

  /** Suggested questions, shown as buttons until the first message. Picking one fires a cancelable `suggestion` event, then sends it. */
  @property({ attribute: false }) suggestions: readonly string[] = [];

  /** The language dates are formatted in (default: the browser's). */
  @property({ attribute: false }) locale: string | null = null;

  /** The first reply the visitor has not seen (set by `showNew`); a "New" divider sits above it. */
  @state() private newFrom: string | null = null;

  /** The reader scrolled up: offer a way back to the newest message. */
  @state() private showJump = false;

  @query('.scroller') private scroller?: HTMLElement;

  #atBottom = true;
  /** Where the last scroll event left the log, to tell the reader scrolling up from content growing. */
  #lastScrollTop = 0;
  #lastMessageId: string | undefined;
  /** The visitor's question just sent: kept at the top while its reply grows below it. */
  #anchor: string | null = null;
  /** The anchor is the "New" divider above that message rather than the message itself. */
  #anchorDivider = false;
  #resizeObserver: ResizeObserver | undefined;

  constructor() {
    super();
    new StoreController(this, () => this.store, { keys: ['messages'] });
  }

  /** True when the reader is at (or near) the newest message. */
  get isAtBottom(): boolean {
    return this.#atBottom;
  }

  /** The element showing message `messageId`, once rendered (for moving focus to its controls). */
  messageElement(messageId: string): IcMessage | null {
    return [...this.renderRoot.querySelectorAll('ic-message')].find((el) => el.message?.id === messageId) ?? null;
  }

  /** Scrolls to the newest message (never moves focus). */
  scrollToBottom(): void {
    const scroller = this.scroller;
    if (!scroller) return;
    this.#anchor = null;
    scroller.scrollTop = scroller.scrollHeight;
    this.#lastScrollTop = scroller.scrollTop;
    this.#atBottom = true;
    this.showJump = false;
  }

  /**
   * Marks message `messageId` and those after it as new (replies that arrived while the chat was
   * closed) and scrolls to it, under a "New" divider, once rendered. `null` removes the divider.
   */
  showNew(messageId: string | null): void {
    this.newFrom = messageId;
    // The unread reply (under its divider), not the question before it, is what the reader comes
    // back to; it stays at the top while the reply's content renders.
    this.#anchor = messageId;
    this.#anchorDivider = messageId !== null;
    if (messageId) void this.updateComplete.then(() => this.#follow());
  }

  /** Puts a message (or the "New" divider above it) at the top of the log, or as near as it goes. */
  #scrollToMessage(messageId: string, divider = false): void {
    const scroller = this.scroller;
    const target = divider ? this.renderRoot.querySelector<HTMLElement>('.new') : this.messageElement(messageId);
    if (!scroller || !target) return;
    const top = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 8;
    scroller.scrollTop = Math.min(top, scroller.scrollHeight - scroller.clientHeight);
    this.#lastScrollTop = scroller.scrollTop;
    this.#atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= BOTTOM_SLACK;
    this.showJump = !this.#atBottom;
  }

  /**
   * Content grew: follow it to the end, or while a question is anchored, only until it reaches the
   * top. A reply whose end is out of sight (the reader is not at the end, or the transcript is not
   * shown at all: a closed launcher panel) is told so: it redraws less.
   */
  #follow(event?: Event): void {
    if (this.#anchor) this.#scrollToMessage(this.#anchor, this.#anchorDivider);
    else if (this.#atBottom) this.scrollToBottom();
    // Inside a hidden (display: none) panel the log has no boxes.
    if (event instanceof ContentRenderEvent) event.tailHidden = !this.#atBottom || !this.scroller?.getClientRects().length;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#observe();
  }

  protected override firstUpdated(): void {
    this.#observe();
    // Replies render Markdown: get its first-use cost out of the way before one streams.
    prewarmMarkdown();
  }

  protected override render() {
    const s = this.strings ?? en;
    const messages = this.store?.messages ?? [];
    const retryable = this.store?.retryableMessageId ?? null;
    // role="log" is polite by default; it is turned off so a streaming reply is not read out token
    // by token: <ic-support-chat> announces each finished reply once in its own live region.
    return html`<div class="scroller" part="log" role="log" aria-live="off" aria-label=${s.transcriptLabel} tabindex="0" @scroll=${this.#onScroll}>
        <div class="content" @ic-content-render=${this.#follow /* CONTENT_RENDER_EVENT of ic-message */}>
          ${
            messages.length > 0 && this.store?.restoredAt
              ? html`<p class="restored" part="restored-notice">${formatString(s.restoredFrom, { date: formatDateTime(this.store.restoredAt, this.locale) })}</p>`
              : nothing
          }
          ${this.greeting ? html`<p class="greeting" part="greeting" dir="auto">${this.greeting}</p>` : nothing}
          ${messages.length === 0 && !this.greeting ? html`<slot name="empty"></slot>` : nothing}
          ${
            messages.length === 0 && this.suggestions.length
              ? html`<div class="suggestions" part="suggestions" role="group" aria-label=${s.suggestionsLabel}>
                  ${this.suggestions.map(
                    (text) => html`<button part="suggestion" class="button secondary suggestion" type="button" @click=${() => this.#pick(text)}>${text}</button>`,
                  )}
                </div>`
              : nothing
          }
          ${repeat(
            messages,
            (message) => message.id,
            (message) =>
              html`${message.id === this.newFrom ? html`<p class="new" part="new-divider" role="separator">${s.newReplies}</p>` : nothing}<ic-message
                  part="message"
                  exportparts=${messageParts}
                  .message=${message}
                  .store=${this.store}
                  .strings=${s}
                  ?retryable=${message.id === retryable}
                ></ic-message>`,
          )}
        </div>
      </div>
      ${
        this.showJump && messages.length > 0
          ? html`<button part="jump-button" class="button secondary jump" type="button" @click=${this.#onJump}>
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M11 4h2v12.2l5.3-5.3 1.4 1.4-7.7 7.7-7.7-7.7 1.4-1.4 5.3 5.3z" /></svg>
              ${s.jumpToLatest}
            </button>`
          : nothing
      }`;
  }

  /** A suggested question was picked: the parent may take it (cancel the event); otherwise send it. */
  #pick(text: string): void {
    const event = new CustomEvent('suggestion', { detail: { text }, cancelable: true });
    if (this.dispatchEvent(event)) void this.store?.send(text);
  }

  /** Back to the newest message; focus moves to the transcript since the button disappears. */
  #onJump(): void {
    this.scrollToBottom();
    this.scroller?.focus({ preventScroll: true });
  }

  /** Set in willUpdate when a new message must be scrolled into view once rendered. */
  #scrollAfterRender = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const messages = this.store?.messages ?? [];
    const last = messages[messages.length - 1];
    // The visitor just sent a message (the user's turn, then its reply placeholder): their question
    // goes to the top and stays there while the reply grows under it. The jump control is hidden
    // here, before render: hiding it after would schedule a second update.
    if (last && last.id !== this.#lastMessageId) {
      const previous = messages[messages.length - 2];
      const question = last.role === 'user' ? last : previous?.role === 'user' ? previous : null;
      if (question) {
        this.#anchor = question.id;
        this.#anchorDivider = false;
        this.newFrom = null;
      }
      if (this.#anchor || this.#atBottom) {
        this.showJump = false;
        this.#scrollAfterRender = true;
      }
    }
    this.#lastMessageId = last?.id;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.#scrollAfterRender) {
      this.#scrollAfterRender = false;
      this.#follow();
    }
  }

  #observe(): void {
    const content = this.renderRoot.querySelector('.content');
    if (this.#resizeObserver || !content) return;
    // Content grows as replies stream (rendered by each message, outside this element's updates):
    // follow it only while the reader is at the bottom.
    this.#resizeObserver = new ResizeObserver(() => this.#follow());
    this.#resizeObserver.observe(content);
  }

  /**
   * A streaming reply just changed the DOM (in an animation frame, before layout): following it now
   * lets the browser lay out and paint the scrolled view once. Scrolling later, from the
   * ResizeObserver (after layout), would make the browser work through another frame for it.
   */
  #onScroll(): void {
    const scroller = this.scroller;
    if (!scroller) return;
    const top = scroller.scrollTop;
    const atEnd = scroller.scrollHeight - top - scroller.clientHeight <= BOTTOM_SLACK;
    // The reader moved: they decide from here (back to following once they reach the end).
    if (top !== this.#lastScrollTop) this.#anchor = null;
    // A scroll event is delivered a frame late: content that grew meanwhile under a reader who is
    // following makes it look as if they left the end. Only a move upwards means they did.
    if (atEnd) this.#atBottom = true;
    else if (top < this.#lastScrollTop) this.#atBottom = false;
    this.#lastScrollTop = top;
    this.showJump = !this.#atBottom;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-message-list': IcMessageList;
  }
}
