import { consume } from '@lit/context';
import { LitElement, html, nothing, svg } from 'lit';
import { property, query } from 'lit/decorators.js';
import { formatFileSize } from '../i18n/format.js';
import { languageOf } from '../i18n/locale.js';
import { IcAttachmentRemoveEvent } from '../events.js';
import { en, formatString, type ChatStrings } from '../i18n/strings.js';
import { stringsContext } from '../state/store-context.js';
import { baseStyles } from '../styles/tokens.styles.js';
import { attachmentChipStyles } from './attachment-chip.styles.js';

const documentIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"><path d="M6 2.75h8.5L19.25 7.5v13.75H6z"/><path d="M14.25 2.75V7.75h5"/><text x="12.6" y="17.6" font-size="5.6" font-family="system-ui, sans-serif" font-weight="700" text-anchor="middle" fill="currentColor" stroke="none">PDF</text></svg>`;
const imageIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"><rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="1.8"/><path d="M4 18l5-5 4 4 3-3 4 4"/></svg>`;
const closeIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M4 4l8 8M12 4l-8 8"/></svg>`;

/**
 * @tag ic-attachment-chip
 * @summary One attached file: a thumbnail (images) or an icon (PDFs), its name and size. In the
 * composer it has a "Remove FILENAME" button; in the transcript a sent image is a larger thumbnail
 * that opens full size in a dialog (Escape closes it, focus comes back), and other files link to
 * the stored file.
 *
 * @csspart attachment - The chip.
 * @csspart attachment-thumbnail - The image thumbnail.
 * @csspart attachment-icon - The file-type icon (no thumbnail).
 * @csspart attachment-name - The file name.
 * @csspart attachment-size - The file size (or "Preparing…").
 * @csspart remove-button - The "Remove FILENAME" button.
 *
 * @cssprop --ic-border - Border of the chip.
 * @cssprop --ic-surface - Background of the chip.
 * @cssprop --ic-surface-muted - Background of the icon and of a hovered Remove button.
 * @cssprop --ic-text-muted - Colour of the size and the icon.
 * @cssprop --ic-radius-small - Corner radius of the chip.
 *
 * @fires {IcAttachmentRemoveEvent} ic-attachment-remove - The Remove button was pressed (the chip does not remove itself).
 */
export class IcAttachmentChip extends LitElement {
  static override styles = [baseStyles, attachmentChipStyles];

  /** The file name shown (and used in the Remove button's name). */
  @property() name = '';

  /** The file's media type (sniffed from its bytes), e.g. `image/png` or `application/pdf`. */
  @property({ attribute: 'media-type' }) mediaType = '';

  /** The size in bytes, shown formatted for the visitor's language. */
  @property({ type: Number }) size = 0;

  /** The thumbnail's URL (an object URL or the stored file's URL); images only. */
  @property({ attribute: 'preview-url' }) previewUrl = '';

  /** When set, the chip links to the file (opens in a new tab). */
  @property() href = '';

  /** Shows the Remove button. */
  @property({ type: Boolean, reflect: true }) removable = false;

  /** The file is still being prepared (checked, shrunk, encoded). */
  @property({ type: Boolean, reflect: true }) pending = false;

  /** A sent image: shown as a larger thumbnail that opens full size (`href`, else `preview-url`). */
  @property({ type: Boolean, reflect: true }) viewable = false;

  /** The draft attachment's id, passed back in `ic-attachment-remove`. */
  @property({ attribute: 'attachment-id' }) attachmentId = '';

  /** The strings table; provided by `<ic-support-chat>` or set directly. */
  @consume({ context: stringsContext, subscribe: true })
  @property({ attribute: false })
  strings?: ChatStrings;

  @query('.remove') private removeButton?: HTMLButtonElement;

  /** Focuses the Remove button (or the link, or the thumbnail that opens the image). */
  override focus(options?: FocusOptions): void {
    (this.removeButton ?? this.renderRoot.querySelector<HTMLElement>('a, .open'))?.focus(options);
  }

  protected override render() {
    const s = this.strings ?? en;
    const isImage = this.mediaType.startsWith('image/');
    if (isImage && this.viewable && this.previewUrl) {
      // The image names the button ("Open NAME full size"); name and size follow as its caption.
      return html`<div part="attachment" class="chip image">
        <button class="open" type="button" aria-haspopup="dialog" @click=${this.#open}>
          <img part="attachment-thumbnail" class="thumb" src=${this.previewUrl} alt=${formatString(s.imageOpen, { name: this.name })} decoding="async" />
        </button>
        <span class="text"
          ><span part="attachment-name" class="name" title=${this.name}>${this.name}</span
          ><span part="attachment-size" class="meta">${formatFileSize(this.size, languageOf(this))}</span></span
        >
      </div>`;
    }
    const visual =
      isImage && this.previewUrl
        ? html`<img part="attachment-thumbnail" class="thumb" src=${this.previewUrl} alt="" decoding="async" />`
        : html`<span part="attachment-icon" class="icon">${isImage ? imageIcon : documentIcon}</span>`;
    const meta = this.pending ? s.attachmentPreparing : formatFileSize(this.size, languageOf(this));
    const body = html`${visual}<span class="text"
        ><span part="attachment-name" class="name" title=${this.name}>${this.name}</span><span class="visually-hidden">, </span
        ><span part="attachment-size" class="meta">${meta}</span></span
      >`;
    const removeLabel = formatString(s.removeAttachment, { name: this.name });
    return html`<div part="attachment" class="chip">
      ${this.href ? html`<a class="body" href=${this.href} target="_blank" rel="noopener">${body}</a>` : html`<span class="body">${body}</span>`}
      ${
        this.removable
          ? html`<button part="remove-button" class="remove" type="button" aria-label=${removeLabel} title=${removeLabel} @click=${this.#onRemove}>${closeIcon}</button>`
          : nothing
      }
    </div>`;
  }

  /** The viewer is a dialog only some visitors open: loaded on demand. */
  async #open(event: Event): Promise<void> {
    const opener = event.currentTarget as HTMLElement;
    const { openImageViewer } = await import('./image-viewer.js');
    openImageViewer(this.renderRoot as ShadowRoot, { src: this.href || this.previewUrl, name: this.name, closeLabel: (this.strings ?? en).imageViewerClose, opener });
  }

  #onRemove(): void {
    this.dispatchEvent(new IcAttachmentRemoveEvent({ id: this.attachmentId, name: this.name }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-attachment-chip': IcAttachmentChip;
  }
}
