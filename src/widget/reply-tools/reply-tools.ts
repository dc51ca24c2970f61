/**
 * `<ic-reply-tools>`: what sits under an assistant's reply: its sources (links to the pages it drew
 * on) and, once it finished, its actions: Copy (as Markdown), Ask again / Continue (on the last
 * reply), and Helpful / Not helpful when the backend takes feedback. Loaded on demand by
 * `<ic-message>` with the first reply that needs it; the "Not helpful" form is a further chunk.
 */
import { LitElement, html, nothing, svg } from 'lit';
// Loaded with the buttons, so a rating does not wait for a fetch (the store imports it on demand).
import '../state/chat-feedback.js';
import { property, state } from 'lit/decorators.js';
import { linkableUrl } from '../../protocol/source-link.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import type { ChatStore } from '../state/chat-store.js';
import { StoreController } from '../state/store-controller.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { messageText, type ChatMessage, type MessageFeedback } from '../types.js';
import { replyToolsStyles } from './reply-tools.styles.js';
import type { FeedbackFormDetail } from './feedback-form.js';

const icon = (d: string) => html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${svg`<path d=${d} />`}</svg>`;
const COPY = 'M16 1H4a2 2 0 0 0-2 2v14h2V3h12zm3 4H8a2 2 0 0 0-2 2v14c0 1.1.9 2 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2m0 16H8V7h11z';
const UP = 'M2 21h4V9H2zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 7.9 6 8.4 6 9v10c0 1.1.9 2 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1.2-.7z';
const DOWN = 'M22 3h-4v12h4zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.3.6-.8.6-1.4V5c0-1.1-.9-2-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1L2 12z';

/** Statuses after which a reply can be acted on. */
const FINISHED = ['complete', 'stopped', 'interrupted'];

/**
 * @tag ic-reply-tools
 * @summary A reply's sources and actions (internal to `<ic-message>`).
 *
 * @csspart sources - The list of links labelled "Sources" under a reply.
 * @csspart reply-actions - The group of actions under a finished reply.
 * @csspart copy-button - "Copy" (the reply as Markdown).
 * @csspart ask-again-button - "Ask again" under the last finished reply.
 * @csspart continue-button - "Continue" under the last reply, when it was stopped.
 * @csspart helpful-button - "Helpful" (pressed once chosen).
 * @csspart not-helpful-button - "Not helpful" (pressed once chosen); offers reasons and a comment.
 * @csspart feedback-form - The "Not helpful" reasons and comment.
 */
export class IcReplyTools extends LitElement {
  static override styles = [baseStyles, replyToolsStyles];

  @property({ attribute: false }) message?: ChatMessage;
  @property({ attribute: false }) store?: ChatStore;
  @property({ attribute: false }) strings?: ChatStrings;

  /** What the note beside the actions says (and announces): copied, thanks, or a failure. */
  @state() private note: 'copied' | 'feedbackThanks' | 'feedbackFailed' | '' = '';
  @state() private formOpen = false;

  constructor() {
    super();
    new StoreController(this, () => this.store, { keys: ['messages', 'status', 'session'] });
  }

  /** The store's current copy of the message (its rating changes without the transcript redrawing). */
  get #message(): ChatMessage | undefined {
    return this.store?.messages.find((m) => m.id === this.message?.id) ?? this.message;
  }

  protected override render() {
    const message = this.#message;
    if (!message) return nothing;
    const s = this.strings ?? en;
    const base = document.baseURI;
    const links = (message.sources ?? []).flatMap((source) => {
      const url = linkableUrl(source.url, base);
      return url ? [html`<li><a href=${url} target="_blank" rel="noopener noreferrer" title=${source.snippet ?? nothing}>${source.title}</a></li>`] : [];
    });
    return html`${
      links.length
        ? html`<div part="sources">
            <p class="label" id="sources">${s.sourcesLabel}</p>
            <ul aria-labelledby="sources">
              ${links}
            </ul>
          </div>`
        : nothing
    }
    ${
      FINISHED.includes(message.status)
        ? this.#renderActions(message, s)
        : // Holds the actions' room while the reply streams: they appear without moving what is below.
          message.status === 'streaming'
          ? html`<div class="actions held"></div>`
          : nothing
    }`;
  }

  #renderActions(message: ChatMessage, s: ChatStrings) {
    const store = this.store;
    // A line the chat added itself (a hand-off's reference) answers no question: nothing to ask again.
    const last = store?.messages.at(-1)?.id === message.id && !store.busy && message.run_id !== undefined;
    const rating = message.feedback?.rating;
    const rate = store?.takesFeedback && message.run_id !== undefined;
    const text = messageText(message);
    return html`<div part="reply-actions" class="actions" role="group" aria-label=${s.replyActions}>
        ${text ? html`<button part="copy-button" class="button act" type="button" aria-label=${s.copyReply} title=${s.copyReply} @click=${this.#copy}>${icon(COPY)}</button>` : nothing}
        ${
          rate
            ? html`<button
                  part="helpful-button"
                  class="button act"
                  type="button"
                  aria-label=${s.helpful}
                  title=${s.helpful}
                  aria-pressed=${rating === 'up'}
                  @click=${() => this.#rate({ rating: 'up' })}
                >
                  ${icon(UP)}
                </button>
                <button
                  part="not-helpful-button"
                  class="button act"
                  type="button"
                  aria-label=${s.notHelpful}
                  title=${s.notHelpful}
                  aria-pressed=${rating === 'down'}
                  @click=${this.#notHelpful}
                >
                  ${icon(DOWN)}
                </button>`
            : nothing
        }
        ${last && message.status === 'stopped' ? html`<button part="continue-button" class="button act" type="button" @click=${this.#continue}>${s.continueReply}</button>` : nothing}
        ${last && message.status !== 'stopped' ? html`<button part="ask-again-button" class="button act" type="button" @click=${this.#askAgain}>${s.askAgain}</button>` : nothing}
        <span class="note" role="status">${this.note ? s[this.note] : ''}</span>
      </div>
      ${this.formOpen ? html`<ic-feedback-form part="feedback-form" .strings=${s} @feedback-submit=${this.#submitReasons}></ic-feedback-form>` : nothing}`;
  }

  async #copy(): Promise<void> {
    const message = this.#message;
    if (!message) return;
    try {
      await navigator.clipboard.writeText(messageText(message));
      this.note = 'copied';
    } catch {
      this.note = '';
    }
  }

  async #rate(feedback: MessageFeedback): Promise<boolean> {
    const id = this.message?.id;
    if (!id || !this.store) return false;
    if (feedback.rating === 'up') this.formOpen = false;
    const saved = await this.store.rate(id, feedback);
    this.note = saved ? 'feedbackThanks' : 'feedbackFailed';
    return saved;
  }

  async #notHelpful(): Promise<void> {
    const loaded = import('./feedback-form.js');
    await this.#rate({ rating: 'down' });
    await loaded;
    this.formOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('ic-feedback-form')?.focus();
  }

  async #submitReasons(event: CustomEvent<FeedbackFormDetail>): Promise<void> {
    const { reasons, comment } = event.detail;
    if (await this.#rate({ rating: 'down', ...(reasons.length ? { reasons } : {}), ...(comment ? { comment } : {}) })) {
      this.formOpen = false;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part="not-helpful-button"]')?.focus();
    }
  }

  /** Sends the question this reply answered again, for a new reply. */
  #askAgain(): void {
    const messages = this.store?.messages ?? [];
    const at = messages.findIndex((m) => m.id === this.message?.id);
    const question = messages.slice(0, at).findLast((m) => m.role === 'user');
    const text = question ? messageText(question) : '';
    if (text) void this.store?.send(text);
  }

  #continue(): void {
    void this.store?.send((this.strings ?? en).continuePrompt);
  }
}

// Its own chunk, loaded on demand: it registers itself (once, like define.ts).
if (typeof customElements !== 'undefined' && !customElements.get('ic-reply-tools')) customElements.define('ic-reply-tools', IcReplyTools);

declare global {
  interface HTMLElementTagNameMap {
    'ic-reply-tools': IcReplyTools;
  }
}
