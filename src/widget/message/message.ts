import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ContentRenderEvent, HIDDEN_TAIL_INTERVAL_MS } from './content-render.js';
import { StreamingMarkdown } from '../markdown/streaming-markdown.js';
import { markdownStyles } from '../markdown/markdown.styles.js';
import { isolateIdsIn } from '../markdown/decorate.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import type { ChatStore, StoreDeltaDetail } from '../state/chat-store.js';
import { storeContext, stringsContext } from '../state/store-context.js';
import { StoreController } from '../state/store-controller.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { messageText, type ChatError, type ChatMessage } from '../types.js';
import { highlightContext } from '../markdown/highlight-context.js';
import type { Highlighter } from '../markdown/highlight.js';
import { messageStyles } from './message.styles.js';
import { renderSentAttachments } from '../attachments/attachment-ui.js';
import { sentAttachmentStyles } from '../attachments/attachment-ui.styles.js';
import { CountdownController } from './retry-timing.js';
import { languageOf } from '../i18n/locale.js';
import { errorText } from './error-text.js';
import { hasContent } from '../state/run-events.js';
import { replyToolsParts } from '../parts.js';
import { loadToolUi } from '../lazy-parts.js';

export { errorText } from './error-text.js';

export { CONTENT_RENDER_EVENT, ContentRenderEvent } from './content-render.js';

/**
 * Fired (bubbling, composed) by `<ic-message>` when Retry is pressed, before the store resends the
 * turn: Retry is about to disappear, so `<ic-support-chat>` moves the focus it held (`detail.focused`).
 */
export const RETRY_EVENT = 'ic-retry';

export interface RetryEventDetail {
  messageId: string;
  /** Whether Retry held focus when pressed (then focus must go somewhere else). */
  focused: boolean;
}

interface PartRenderer {
  target: HTMLElement;
  markdown: StreamingMarkdown;
  /** How many characters of the part's text the renderer has been given. */
  fed: number;
  finished: boolean;
  /** Created while the reply was streaming (else it was shown finished, e.g. restored). */
  streamed: boolean;
  /** Set while the renderer completes the finished text in bounded frames. */
  completing?: Promise<void>;
}

/**
 * @tag ic-message
 * @summary One message of the transcript: the visitor's text (always plain text) or the
 * assistant's reply (Markdown, rendered incrementally as it streams), with its status and errors.
 *
 * @csspart bubble - The message bubble.
 * @csspart badge - The "Stopped" / "Interrupted" status badge.
 * @csspart error - The error alert under a failed reply.
 * @csspart retry-button - The "Retry" button in the error alert (or under an undelivered question).
 * @csspart undelivered - "Not delivered" under a question that got no reply.
 * @csspart typing - The animated dots while the reply's first words are awaited.
 * @csspart tool-call - Each tool call in a reply (`<ic-tool-call>`).
 * @csspart approval - Each approval request in a reply (`<ic-approval>`).
 * @csspart attachments - The list of files sent with a visitor's message.
 * @csspart attachment - Each file's chip (thumbnail or icon, name, size; a link once stored).
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
 * @cssprop --ic-user-bubble-bg - Background of the visitor's messages (`--ic-user-bubble` also works).
 * @cssprop --ic-user-bubble-text - Text colour of the visitor's messages.
 * @cssprop --ic-assistant-bubble-bg - Background of the assistant's messages (`--ic-assistant-bubble` also works).
 * @cssprop --ic-assistant-bubble-text - Text colour of the assistant's messages.
 * @cssprop --ic-radius - Corner radius of the bubbles.
 * @cssprop --ic-error-text - Text colour of error alerts.
 * @cssprop --ic-error-surface - Background of error alerts.
 */
export class IcMessage extends LitElement {
  static override styles = [baseStyles, markdownStyles, messageStyles, sentAttachmentStyles];

  /** The message to show. */
  @property({ attribute: false }) message?: ChatMessage;

  /** Shows Retry under a failed reply (the transcript sets it on the one failure Retry would resend). */
  @property({ type: Boolean }) retryable = false;

  /** The store, for streamed deltas and Retry; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: storeContext, subscribe: true })
  @property({ attribute: false })
  store?: ChatStore;

  /** The strings table; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: stringsContext, subscribe: true })
  @property({ attribute: false })
  strings?: ChatStrings;

  /** The host's syntax highlighter for code blocks; provided by `<ic-support-chat>` (its `highlight`). */
  @consume({ context: highlightContext, subscribe: true })
  @property({ attribute: false })
  highlight?: Highlighter | null;

  #renderers = new Map<number, PartRenderer>();
  #countdown = new CountdownController(this);
  #renderedMessageId: string | undefined;

  constructor() {
    super();
    // No re-render on store changes: the transcript hands over new message objects. Deltas are
    // appended straight to the Markdown renderer so a streaming reply never re-renders the element.
    // An undelivered question's Retry comes and goes with the turns (`canResend`): it follows the status.
    new StoreController(this, () => this.store, {
      keys: [],
      on: {
        delta: (event) => this.#onDelta(event.detail),
        change: (event) => this.message?.undelivered && event.detail.keys.includes('status') && this.requestUpdate(),
      },
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resetRenderers();
  }

  protected override render() {
    const message = this.message;
    if (!message) return nothing;
    const s = this.strings ?? en;
    if (message.role === 'user') {
      return html`<div class="row user">
        <div part="bubble" class="bubble user">
          <span class="visually-hidden">${s.youSaid}</span>
          ${messageText(message) ? html`<p class="plain" dir="auto">${isolateIdsIn(messageText(message), (id) => html`<bdi>${id}</bdi>`)}</p>` : nothing}
          ${renderSentAttachments(message, this.store, s)}
        </div>
        ${message.undelivered ? this.#renderUndelivered(message.id, s) : nothing}
      </div>`;
    }
    const empty = !hasContent(message);
    const callsWithApproval = new Set(message.parts.flatMap((p) => (p.kind === 'approval' ? [p.tool_call_id] : [])));
    if (message.parts.some((p) => p.kind === 'tool_call' || p.kind === 'approval')) void loadToolUi();
    const badge = message.status === 'stopped' ? s.stopped : message.status === 'interrupted' ? s.interrupted : '';
    return html`<div class="row assistant">
      ${
        empty && message.status !== 'streaming' && !badge
          ? nothing
          : html`<div part="bubble" class="bubble assistant ${message.status === 'streaming' ? 'streaming' : ''}">
              <span class="visually-hidden">${s.assistantSaid}</span>
              ${repeat(
                message.parts,
                (_part, index) => index,
                // The Markdown target has no Lit-managed children: StreamingMarkdown owns them.
                (part, index) =>
                  part.kind === 'text'
                    ? html`<div class="markdown" dir="auto" data-part=${index}></div>`
                    : part.kind === 'tool_call'
                      ? // A call that needed approval is told on the approval's own line, not twice.
                        callsWithApproval.has(part.tool_call_id)
                        ? nothing
                        : html`<ic-tool-call part="tool-call" .call=${part} .strings=${s}></ic-tool-call>`
                      : html`<ic-approval
                          part="approval"
                          .approval=${part}
                          .call=${message.parts.find((p) => p.kind === 'tool_call' && p.tool_call_id === part.tool_call_id)}
                          .store=${this.store}
                          .strings=${s}
                        ></ic-approval>`,
              )}
              ${
                empty && message.status === 'streaming'
                  ? html`<span part="typing" class="typing"><span class="visually-hidden">${s.thinking}</span><i></i><i></i><i></i></span>`
                  : nothing
              }
              ${badge ? html`<div><span part="badge" class="badge">${badge}</span></div>` : nothing}
            </div>`
      }
      ${replyTools(message, this.store, s)}
      ${
        message.error
          ? html`<div part="error" class="error" role="alert">
              <p id="error-text">${errorText(message.error, s, Date.now(), languageOf(this) ?? undefined)}</p>
              ${this.retryable ? this.#renderRetry(message.error, s) : nothing}
            </div>`
          : nothing
      }
    </div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('message')) this.#syncMarkdown();
  }

  /**
   * Also waits until the reply's Markdown shows all the text received so far, and, once the reply
   * has finished, until it equals a one-shot render (it completes over a few frames, never in one
   * long task).
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    for (;;) {
      const pending = [...this.#renderers.values()].map((r) => r.completing ?? r.markdown.idle());
      await Promise.all(pending);
      // Rendering may have led to another update (or another part): settle that too.
      if (!this.isUpdatePending) break;
      result = await super.getUpdateComplete();
    }
    return result;
  }

  /** Brings each text part's renderer up to the message's text, appending only what is new. */
  #syncMarkdown(): void {
    const message = this.message;
    if (!message || message.role !== 'assistant' || message.id !== this.#renderedMessageId) this.#resetRenderers();
    if (!message || message.role !== 'assistant') return;
    this.#renderedMessageId = message.id;
    message.parts.forEach((part, index) => {
      if (part.kind !== 'text') return;
      const target = this.renderRoot.querySelector<HTMLElement>(`.markdown[data-part="${index}"]`);
      if (!target) return;
      let renderer = this.#renderers.get(index);
      if (!renderer || renderer.target !== target) {
        renderer?.markdown.destroy();
        const s = this.strings ?? en;
        const markdown = new StreamingMarkdown(target, {
          baseUrl: document.baseURI,
          onRender: this.#onMarkdownRender,
          minInterval: this.#redrawInterval,
          labels: { copy: s.codeCopy, copyCode: s.codeCopyLabel, copied: s.codeCopied, wrap: s.codeWrap },
          highlight: () => this.highlight,
        });
        renderer = { target, markdown, fed: 0, finished: false, streamed: message.status === 'streaming' };
        this.#renderers.set(index, renderer);
      }
      // Text only grows while streaming; anything else (an edit, a restore) renders afresh.
      if (part.text.length > renderer.fed) renderer.markdown.append(part.text.slice(renderer.fed));
      else if (part.text.length < renderer.fed) renderer.markdown.setText(part.text);
      renderer.fed = part.text.length;
      if (message.status !== 'streaming' && !renderer.finished) {
        renderer.finished = true;
        // Never rendered (a restored or finished message shown at once): render it now. A reply that
        // streamed completes its backlog in frames of bounded work instead of one long task.
        if (!renderer.streamed) renderer.markdown.finish();
        else {
          const done = renderer.markdown.complete();
          renderer.completing = done;
          void done.then(() => {
            if (renderer.completing === done) renderer.completing = undefined;
          });
        }
      }
    });
  }

  /** The reply grew on screen: a transcript following it scrolls in this same frame. */
  readonly #onMarkdownRender = (): void => {
    const event = new ContentRenderEvent();
    this.dispatchEvent(event);
    this.#tailHidden = event.tailHidden;
  };

  /** The reader does not see the end of this reply (told by the transcript at each redraw). */
  #tailHidden = false;
  readonly #redrawInterval = (): number | undefined => (this.#tailHidden ? HIDDEN_TAIL_INTERVAL_MS : undefined);

  #onDelta(detail: StoreDeltaDetail): void {
    if (detail.messageId !== this.message?.id) return;
    const renderer = this.#renderers.get(detail.partIndex);
    if (renderer && !renderer.finished) {
      renderer.markdown.append(detail.delta);
      renderer.fed += detail.delta.length;
      return;
    }
    // A new part (or the first text): render it from the store's current copy of the message.
    const current = this.store?.messages.find((m) => m.id === detail.messageId);
    if (current) this.message = current;
  }

  #resetRenderers(): void {
    for (const renderer of this.#renderers.values()) renderer.markdown.destroy();
    this.#renderers.clear();
    this.#renderedMessageId = undefined;
  }

  /**
   * Retry, disabled while the server asked us to wait: the alert's text already says until when
   * (and follows the clock), so the button points at it rather than saying it a second time.
   */
  #renderRetry(error: ChatError, s: ChatStrings) {
    const now = Date.now();
    this.#countdown.watch(error.retryAt, now);
    const waiting = error.retryAt !== undefined && error.retryAt > now;
    return html`<button
      part="retry-button"
      class="button secondary"
      type="button"
      aria-describedby=${waiting ? 'error-text' : nothing}
      ?disabled=${waiting}
      @click=${this.#onRetry}
    >
      ${s.retry}
    </button>`;
  }

  /**
   * "Not delivered" under a question that got no reply, with Retry once it is not the failure whose
   * Retry sits under the reply (the visitor asked something else since, or the page reloaded).
   */
  #renderUndelivered(id: string, s: ChatStrings) {
    const store = this.store;
    return html`<p part="undelivered" class="undelivered">
      <span id="undelivered">${s.notDelivered}</span>
      ${
        store?.canResend(id)
          ? html`<button part="retry-button" class="button secondary" type="button" aria-describedby="undelivered" @click=${this.#onRetry}>${s.retry}</button>`
          : nothing
      }
    </p>`;
  }

  /**
   * Moves focus to the approval request `approvalId` in this reply once it is drawn, if `allowed()`
   * still says so then; `false` if it is not shown or not allowed. The wait (the reply's Markdown
   * renders over frames) gives the visitor time to move elsewhere, so the caller decides at the
   * last moment, not before the wait.
   */
  async focusApproval(approvalId: string, allowed: () => boolean = () => true): Promise<boolean> {
    await this.updateComplete;
    const approval = [...this.renderRoot.querySelectorAll('ic-approval')].find((a) => a.approval?.approval_id === approvalId);
    if (!approval) return false;
    await approval.updateComplete;
    if (!allowed()) return false;
    approval.focus();
    return approval.shadowRoot?.activeElement != null;
  }

  /** Moves focus to Retry once drawn, if `allowed()` still says so then (see focusApproval); `false` if not. */
  async focusRetry(allowed: () => boolean = () => true): Promise<boolean> {
    await this.updateComplete;
    const retry = this.renderRoot.querySelector<HTMLButtonElement>('[part="retry-button"]');
    if (!retry || retry.disabled || !allowed()) return false;
    retry.focus();
    return this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement === retry;
  }

  #onRetry(event: Event): void {
    const message = this.message;
    if (!message) return;
    const focused = this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement === event.currentTarget;
    this.dispatchEvent(retryEvent({ messageId: message.id, focused }));
    void (message.role === 'user' ? this.store?.resend(message.id) : this.store?.retry());
  }
}

let replyToolsLoaded: Promise<unknown> | undefined;

/** Sources and actions under a reply (`<ic-reply-tools>`, its own chunk, loaded with the first one needed). */
function replyTools(message: ChatMessage, store: ChatStore | undefined, s: ChatStrings) {
  // Loaded while the first reply streams, so its actions appear with its end, not a moment later.
  replyToolsLoaded ??= import('../reply-tools/reply-tools.js');
  if (!message.sources?.length && message.status === 'error') return nothing;
  return html`<ic-reply-tools exportparts=${replyToolsParts} .message=${message} .store=${store} .strings=${s}></ic-reply-tools>`;
}

// Built outside the class so the manifest analyzer does not list this internal event as public.
function retryEvent(detail: RetryEventDetail): CustomEvent<RetryEventDetail> {
  return new CustomEvent(RETRY_EVENT, { detail, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-message': IcMessage;
  }
}
