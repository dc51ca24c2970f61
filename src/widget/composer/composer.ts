import { consume } from '@lit/context';
import { LitElement, html } from 'lit';
import { property, query } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import type { ChatStore } from '../state/chat-store.js';
import { storeContext, stringsContext } from '../state/store-context.js';
import { StoreController } from '../state/store-controller.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { composerStyles } from './composer.styles.js';

/** The key code browsers report for keys pressed while an IME is composing. */
const IME_KEY_CODE = 229;

/**
 * @tag ic-composer
 * @summary The message box: a labelled, auto-growing text area with Send (and Stop while a reply
 * streams). Enter sends, Shift+Enter adds a line, and nothing is sent while an IME is composing.
 *
 * @csspart form - The form around the input and buttons.
 * @csspart input - The text area.
 * @csspart send-button - The "Send" button.
 * @csspart stop-button - The "Stop" button, shown while a reply streams.
 *
 * @cssprop --ic-accent - Send button and focus colour.
 * @cssprop --ic-on-accent - Text colour on the Send button.
 * @cssprop --ic-control-border - Border of the text area.
 * @cssprop --ic-radius-small - Corner radius of the text area and buttons.
 */
export class IcComposer extends LitElement {
  static override styles = [baseStyles, composerStyles];

  /** The store the draft lives in and turns are sent to; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: storeContext, subscribe: true })
  @property({ attribute: false })
  store?: ChatStore;

  /** The strings table; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: stringsContext, subscribe: true })
  @property({ attribute: false })
  strings?: ChatStrings;

  /** Placeholder of the text area (default from the strings table). */
  @property() placeholder = '';

  @query('textarea') private textarea?: HTMLTextAreaElement;

  /** Set between compositionstart and compositionend (some browsers report `isComposing` late). */
  private composing = false;

  constructor() {
    super();
    new StoreController(this, () => this.store, { keys: ['draft', 'status'] });
  }

  /** Moves focus to the text area. */
  override focus(options?: FocusOptions): void {
    this.textarea?.focus(options);
  }

  protected override render() {
    const s = this.strings ?? en;
    const store = this.store;
    const draft = store?.draft ?? '';
    const busy = store?.busy ?? false;
    return html`<form part="form" @submit=${this.onSubmit}>
      <label class="visually-hidden" for="input">${s.inputLabel}</label>
      <textarea
        id="input"
        part="input"
        rows="1"
        enterkeyhint="send"
        placeholder=${this.placeholder || s.placeholder}
        .value=${live(draft)}
        ?disabled=${!store}
        @input=${this.onInput}
        @keydown=${this.onKeyDown}
        @compositionstart=${() => (this.composing = true)}
        @compositionend=${() => (this.composing = false)}
      ></textarea>
      ${busy
        ? html`<button part="stop-button" class="button secondary" type="button" @click=${this.onStop}>${s.stop}</button>`
        : html`<button part="send-button" class="button primary" type="submit" ?disabled=${!store || draft.trim() === ''}>
            ${s.send}
          </button>`}
    </form>`;
  }

  protected override updated(): void {
    this.autosize();
  }

  private onInput(event: Event): void {
    this.store?.setDraft((event.target as HTMLTextAreaElement).value);
    this.autosize();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey) return;
    // Enter that confirms an IME candidate must not send the message.
    if (event.isComposing || event.keyCode === IME_KEY_CODE || this.composing) return;
    event.preventDefault();
    this.submit();
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const fromButton = event.submitter !== null;
    this.submit();
    // The Send button turns into Stop: keep focus in the text area rather than losing it.
    if (fromButton) this.textarea?.focus();
  }

  private submit(): void {
    const store = this.store;
    if (!store || store.busy) return;
    if (this.textarea) store.setDraft(this.textarea.value);
    void store.send();
  }

  private onStop(): void {
    this.store?.stop();
    this.textarea?.focus();
  }

  /** Grows the text area with its content up to its CSS max-height. */
  private autosize(): void {
    const textarea = this.textarea;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight + (textarea.offsetHeight - textarea.clientHeight)}px`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-composer': IcComposer;
  }
}
