/**
 * `<ic-handoff-form>`: "Talk to a person". Asks an anonymous visitor for an email address (a
 * signed-in one's account address is used: the session says `visitor.has_email`) and an optional
 * message, then sends `POST /handoff` through the store. Its own chunk: only visitors who ask for a
 * person load it, and it places itself in the chat (`openHandoffForm`) so the chat's main file holds
 * nothing of it. It goes away when sent, cancelled (Cancel, Escape) or when the conversation changes,
 * and focus then returns to the message box.
 */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ProtocolError } from '../../protocol/errors.js';
import { HANDOFF_LIMITS, type HandoffResult } from '../../protocol/types.js';
import { en, formatString, type ChatStrings } from '../i18n/strings.js';
import '../state/chat-handoff.js';
import type { ChatStore } from '../state/chat-store.js';
import { baseStyles, tokens } from '../styles/tokens.styles.js';

/**
 * @tag ic-handoff-form
 * @summary The "Talk to a person" form (internal to `<ic-support-chat>`).
 */
export class IcHandoffForm extends LitElement {
  static override styles = [
    baseStyles,
    css`
      form {
        display: grid;
        gap: 6px;
        margin: 0 ${tokens.space} ${tokens.spaceS};
        padding: 10px 12px;
        border: 1px solid ${tokens.border};
        border-radius: ${tokens.radiusSmall};
        background: ${tokens.surface};
      }
      h3,
      p {
        margin: 0;
      }
      h3 {
        font-size: 1em;
      }
      .hint {
        color: ${tokens.textMuted};
      }
      input,
      textarea {
        width: 100%;
        padding: 6px 8px;
        font: inherit;
        color: inherit;
        background: ${tokens.surface};
        border: 1px solid ${tokens.controlBorder};
        border-radius: ${tokens.radiusSmall};
      }
      input:focus-visible,
      textarea:focus-visible {
        outline: 2px solid transparent;
        box-shadow: ${tokens.focusRing};
      }
      [aria-invalid='true'] {
        border-color: ${tokens.errorText};
      }
      .error {
        color: ${tokens.errorText};
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
    `,
  ];

  @property({ attribute: false }) store?: ChatStore;
  @property({ attribute: false }) strings?: ChatStrings;

  /** What went wrong with the last try: the address, or the request itself. */
  @state() private problem: 'email' | 'failed' | '' = '';
  @state() private sending = false;

  /** Whether the visitor must give an address (the backend knows none of theirs). */
  get #asksEmail(): boolean {
    return this.store?.session?.visitor.has_email !== true;
  }

  #stopListening = () => {};

  override connectedCallback(): void {
    super.connectedCallback();
    // Another conversation: this one's form has nothing left to hand over.
    this.#stopListening = this.store?.on('thread-change', () => this.#close()) ?? (() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening();
  }

  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('input, textarea')?.focus();
  }

  protected override firstUpdated(): void {
    this.focus();
  }

  protected override render() {
    const s = this.strings ?? en;
    const badEmail = this.problem === 'email';
    return html`<form aria-labelledby="title" aria-describedby="hint" novalidate @submit=${this.#submit} @keydown=${this.#onKey}>
      <h3 id="title">${s.talkToPerson}</h3>
      <p id="hint" class="hint">${s.handoffIntro}</p>
      ${
        this.#asksEmail
          ? html`<label for="email">${s.handoffEmail}</label>
              <input
                id="email"
                type="email"
                autocomplete="email"
                required
                maxlength=${HANDOFF_LIMITS.max_email_chars}
                aria-invalid=${badEmail}
                aria-describedby=${badEmail ? 'email-error' : nothing}
                @input=${() => badEmail && (this.problem = '')}
              />
              ${badEmail ? html`<p id="email-error" class="error">${s.handoffEmailInvalid}</p>` : nothing}`
          : nothing
      }
      <label for="message">${s.handoffMessage}</label>
      <textarea id="message" rows="2" maxlength=${HANDOFF_LIMITS.max_message_chars}></textarea>
      ${this.problem === 'failed' ? html`<p class="error" role="alert">${s.handoffFailed}</p>` : nothing}
      <div class="actions">
        <button class="button primary" type="submit" ?disabled=${this.sending} aria-disabled=${this.sending}>${s.handoffSend}</button>
        <button class="button secondary" type="button" @click=${this.#close}>${s.handoffCancel}</button>
      </div>
    </form>`;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const store = this.store;
    if (this.sending || !store) return;
    const email = this.renderRoot.querySelector('input');
    const message = this.renderRoot.querySelector('textarea')!.value.trim();
    if (email && (!email.value.trim() || !email.checkValidity())) return this.#show('email');
    const s = this.strings ?? en;
    const describe = ({ reference, email }: HandoffResult) => formatString(email ? s.handoffResult : s.handoffResultNoEmail, { reference, email: email ?? '' });
    this.sending = true;
    try {
      await store.handoff({ ...(email ? { email: email.value.trim() } : {}), ...(message ? { message } : {}) }, describe);
      this.#close();
    } catch (error) {
      // The backend refusing the address is the address's fault; anything else, the request's.
      await this.#show(email && error instanceof ProtocolError && error.code === 'invalid_request' ? 'email' : 'failed');
    } finally {
      this.sending = false;
    }
  }

  /** Shows what went wrong; focus goes to the field to fix (its error is its description). */
  async #show(problem: 'email' | 'failed'): Promise<void> {
    this.problem = problem;
    await this.updateComplete;
    if (problem === 'email') this.renderRoot.querySelector('input')?.focus();
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.isComposing) return;
    // Handled here: a launcher panel must not close as well.
    event.preventDefault();
    event.stopPropagation();
    this.#close();
  }

  /** Takes the form away; focus goes to the message box (the chat's `focus()`). */
  #close(): void {
    const chat = (this.getRootNode() as ShadowRoot).host as HTMLElement | undefined;
    this.remove();
    chat?.focus();
  }
}

/**
 * Opens the form in `chat`'s panel, above its message box (focus goes to its first field) and
 * returns it; focuses the one already open instead of adding a second.
 */
export function openHandoffForm(chat: HTMLElement, store: ChatStore, strings: ChatStrings): IcHandoffForm | undefined {
  const root = chat.shadowRoot;
  const open = root?.querySelector('ic-handoff-form');
  if (open) return void open.focus();
  const form = document.createElement('ic-handoff-form');
  form.store = store;
  form.strings = strings;
  root?.querySelector('ic-composer')?.before(form);
  return form;
}

// Its own chunk, loaded on demand: it registers itself (once, like define.ts).
if (typeof customElements !== 'undefined' && !customElements.get('ic-handoff-form')) customElements.define('ic-handoff-form', IcHandoffForm);

declare global {
  interface HTMLElementTagNameMap {
    'ic-handoff-form': IcHandoffForm;
  }
}
