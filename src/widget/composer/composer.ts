import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { en, type ChatStrings } from '../i18n/strings.js';
import type { ChatStore } from '../state/chat-store.js';
import { storeContext, stringsContext } from '../state/store-context.js';
import { StoreController } from '../state/store-controller.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { composerStyles } from './composer.styles.js';
import { COMPOSER_NOTICE_ID, composerLocked, composerNotice, composerNoticeStyles } from './composer-notice.js';
import { filesFromClipboard, noticeText, paperclipIcon, renderDraftChips, renderRefusals } from '../attachments/attachment-ui.js';
import { composerAttachmentStyles } from '../attachments/attachment-ui.styles.js';
import { languageOf } from '../i18n/locale.js';
import type { IcAttachmentRemoveEvent } from '../events.js';

/** Whether CSS sizes the box to its content (Chromium); Safari and WebKit need the fallback below. */
const fieldSizing = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

/** A rounded square, the media player's "stop", drawn inline. */
const stopIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><rect x="7" y="7" width="10" height="10" rx="2" /></svg>`;

/**
 * Typed text takes its direction from its first letter (`dir="auto"`); until there is one the box
 * follows the interface, as `auto` would turn an empty Arabic box (and its placeholder) left to right.
 */
const LETTER = /\p{L}/u;

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
 * @csspart stop-button - The "Stop" icon button, in Send's place while a reply streams (named "Stop").
 * @csspart attach-button - The "Attach files" button (opens the file picker).
 * @csspart attachments - The list of files waiting to be sent.
 * @csspart attachment - Each file's chip (thumbnail or icon, name, size, Remove).
 * @csspart attachment-thumbnail - A chip's image thumbnail.
 * @csspart attachment-icon - A chip's file-type icon (no thumbnail).
 * @csspart attachment-name - A chip's file name.
 * @csspart attachment-size - A chip's file size.
 * @csspart remove-button - A chip's "Remove FILENAME" button.
 * @csspart attachment-error - Why a file was not attached (type, size or count, naming the file).
 * @csspart notice - Why nothing can be sent right now ("Waiting for connection…", an approval waits).
 *
 * @cssprop --ic-accent - Send button and focus colour.
 * @cssprop --ic-accent-contrast - Text colour on the Send button (`--ic-on-accent` also works).
 * @cssprop --ic-control-border - Border of the text area.
 * @cssprop --ic-radius-small - Corner radius of the text area and buttons.
 */
export class IcComposer extends LitElement {
  static override styles = [baseStyles, composerStyles, composerNoticeStyles, composerAttachmentStyles];

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

  // Getters rather than @query: the same lookup, without a decorator call each in the bundle.
  get #textarea(): HTMLTextAreaElement | null {
    return this.renderRoot?.querySelector('textarea') ?? null;
  }
  get #fileInput(): HTMLInputElement | null {
    return this.renderRoot?.querySelector('input[type="file"]') ?? null;
  }

  /** Set between compositionstart and compositionend (some browsers report `isComposing` late). */
  #composing = false;

  constructor() {
    super();
    new StoreController(this, () => this.store, { keys: ['draft', 'status', 'attachments', 'session'] });
  }

  /** Moves focus to the text area. */
  override focus(options?: FocusOptions): void {
    this.#textarea?.focus(options);
  }

  protected override render() {
    const s = this.strings ?? en;
    const store = this.store;
    const draft = store?.draft ?? '';
    const busy = store?.busy ?? false;
    const files = store?.attachments;
    const locale = languageOf(this);
    return html`${files ? renderRefusals(files, s, locale, () => files.dismissRefusals()) : nothing}
      <div @ic-attachment-remove=${this.#onRemoveAttachment}>${files ? renderDraftChips(files, s) : nothing}</div>
      <form part="form" @submit=${this.#onSubmit}>
        <button
          part="attach-button"
          class="button attach"
          type="button"
          aria-label=${s.attachFiles}
          title=${s.attachFiles}
          ?disabled=${!store}
          @click=${() => this.#fileInput?.click()}
        >
          ${paperclipIcon}
        </button>
        <input type="file" multiple hidden tabindex="-1" aria-hidden="true" accept=${files?.settings.accept.join(',') ?? ''} @change=${this.#onFilesChosen} />
        <label class="visually-hidden" for="input">${s.inputLabel}</label>
        <div class="field" data-replica=${draft || this.placeholder || s.placeholder}>
          <textarea
            id="input"
            part="input"
            rows="1"
            dir=${LETTER.test(draft) ? 'auto' : nothing}
            enterkeyhint="send"
            placeholder=${this.placeholder || s.placeholder}
            .value=${live(draft)}
            ?disabled=${!store || composerLocked(store)}
            aria-describedby=${composerLocked(store) ? COMPOSER_NOTICE_ID : nothing}
            @input=${this.#onInput}
            @paste=${this.#onPaste}
            @keydown=${this.#onKeyDown}
            @compositionstart=${() => (this.#composing = true)}
            @compositionend=${() => (this.#composing = false)}
          ></textarea>
        </div>
        ${
          // Not while an approval waits: only Approve and Deny stand beside the request (Deny ends it).
          busy && !composerLocked(store)
            ? html`<button part="stop-button" class="button primary stop" type="button" aria-label=${s.stop} title=${s.stop} @click=${this.#onStop}>${stopIcon}</button>`
            : html`<button part="send-button" class="button primary" type="submit" ?disabled=${!store || busy || (draft.trim() === '' && !files?.items.length)}>${s.send}</button>`
        }
      </form>
      ${composerNotice(store, s)}
      <div class="visually-hidden" role="status" aria-live="polite">${noticeText(files?.notice ?? null, s, locale)}</div>`;
  }

  /** Follows width and text-metric changes in the fallback; see {@link #fitToContent}. */
  #resizeObserver?: ResizeObserver;

  protected override firstUpdated(): void {
    if (fieldSizing || !this.#textarea || typeof ResizeObserver === 'undefined') return;
    this.#resizeObserver = new ResizeObserver(() => this.#fitToContent());
    this.#resizeObserver.observe(this.#textarea);
  }

  protected override updated(): void {
    this.#fitToContent();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.firstUpdated();
  }

  /**
   * Without field-sizing, a hidden copy of the text sizes the box (see the styles); WebKit wraps its
   * placeholder a little differently from that copy, so the box also grows to what its own content
   * measures, up to its max-height, whenever its size or its text changes.
   */
  #fitToContent(): void {
    const textarea = this.#textarea;
    if (fieldSizing || !textarea) return;
    textarea.style.minHeight = '';
    const needed = textarea.scrollHeight + (textarea.offsetHeight - textarea.clientHeight);
    const max = parseFloat(getComputedStyle(textarea).maxHeight) || Infinity;
    if (needed > textarea.offsetHeight + 1) textarea.style.minHeight = `${Math.min(needed, max)}px`;
  }

  #onInput(event: Event): void {
    this.store?.setDraft((event.target as HTMLTextAreaElement).value);
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey) return;
    // Enter that confirms an IME candidate must not send the message.
    if (event.isComposing || event.keyCode === IME_KEY_CODE || this.#composing) return;
    event.preventDefault();
    this.#submit();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const fromButton = event.submitter !== null;
    this.#submit();
    // The Send button turns into Stop: keep focus in the text area rather than losing it.
    if (fromButton) this.#textarea?.focus();
  }

  #submit(): void {
    const store = this.store;
    if (!store || store.busy) return;
    if (this.#textarea) store.setDraft(this.#textarea.value);
    void store.send();
  }

  /** Files from the picker; the input is emptied so picking the same file again works. */
  #onFilesChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    const chosen = Array.from(input.files ?? []);
    input.value = '';
    if (chosen.length) void this.store?.attachments.add(chosen);
  }

  /** A pasted screenshot or copied files become attachments; pasted text stays text. */
  #onPaste(event: ClipboardEvent): void {
    const files = filesFromClipboard(event.clipboardData);
    if (files.length === 0 || !this.store) return;
    event.preventDefault();
    void this.store.attachments.add(files);
  }

  /** Removes the chip's file and keeps focus nearby: the next chip, the previous one, or the text area. */
  async #onRemoveAttachment(event: IcAttachmentRemoveEvent): Promise<void> {
    const files = this.store?.attachments;
    if (!files) return;
    const index = files.items.findIndex((item) => item.id === event.detail.id);
    files.remove(event.detail.id);
    await this.updateComplete;
    const chips = this.renderRoot.querySelectorAll('ic-attachment-chip');
    const next = chips[Math.min(index, chips.length - 1)];
    if (next) {
      await next.updateComplete;
      next.focus();
    } else {
      this.#textarea?.focus();
    }
  }

  #onStop(): void {
    this.store?.stop();
    this.#textarea?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-composer': IcComposer;
  }
}
