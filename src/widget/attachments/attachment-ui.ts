/**
 * The composer's attachment pieces, kept out of the composer itself: the draft's chips, the refusal
 * messages (named file + reason), the polite notices, and reading files out of a paste.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { formatString, type ChatStrings } from '../i18n/strings.js';
import { describeAccept, formatList } from './accept.js';
import type { ChatStore } from '../state/chat-store.js';
import type { ChatMessage } from '../types.js';
import type { AttachmentDraft, AttachmentRefusal, DraftNotice } from './attachment-draft.js';
import { formatFileSize } from '../i18n/format.js';
import { chipParts, draftChipParts } from '../parts.js';
import { whenAttachmentUiReady } from '../lazy-parts.js';

/** The strings key of each refusal reason. */
const REFUSAL_KEYS = {
  type: 'attachmentRefusedType',
  size: 'attachmentRefusedSize',
  count: 'attachmentRefusedCount',
  unreadable: 'attachmentRefusedUnreadable',
} as const;

/** What the visitor reads about a refused file: its name and why (each text uses the values it names). */
export function refusalText(refusal: AttachmentRefusal, s: ChatStrings, locale?: string | null): string {
  return formatString(s[REFUSAL_KEYS[refusal.reason]], {
    name: refusal.name,
    types: describeAccept(refusal.accept ?? [], locale ?? undefined),
    size: formatFileSize(refusal.size ?? 0, locale),
    limit: formatFileSize(refusal.limit ?? 0, locale),
    max: refusal.limit ?? 0,
  });
}

/** The polite announcement for the draft's last change ("Attached: a.png", "Removed a.png"). */
export function noticeText(notice: DraftNotice | null, s: ChatStrings, locale?: string | null): string {
  if (!notice) return '';
  if (notice.kind === 'removed') return formatString(s.attachmentRemoved, { name: notice.name });
  return formatString(s.attachmentsAdded, { names: formatList(notice.names, locale ?? undefined, 'conjunction') });
}

/** The draft's chips, each with "Remove FILENAME". */
export function renderDraftChips(draft: AttachmentDraft, s: ChatStrings): TemplateResult | typeof nothing {
  const items = draft.items;
  if (items.length === 0) return nothing;
  loadChip();
  return html`<ul part="attachments" class="attachment-list" aria-label=${s.attachmentsLabel}>
    ${repeat(
      items,
      (item) => item.id,
      (item) =>
        html`<li>
          <ic-attachment-chip
            exportparts=${draftChipParts}
            .strings=${s}
            attachment-id=${item.id}
            name=${item.name}
            media-type=${item.mediaType}
            .size=${item.size}
            preview-url=${item.previewUrl ?? ''}
            removable
            ?pending=${item.status === 'preparing'}
          ></ic-attachment-chip>
        </li>`,
    )}
  </ul>`;
}

/** The refusals, in an alert region that is always in the DOM so each new message is announced. */
export function renderRefusals(draft: AttachmentDraft, s: ChatStrings, locale: string | null, onDismiss: () => void): TemplateResult {
  const refusals = draft.refusals;
  return html`<div part="attachment-error" class="attachment-refusals" ?hidden=${refusals.length === 0}>
    <div role="alert">${refusals.map((r) => html`<p>${refusalText(r, s, locale)}</p>`)}</div>
    ${refusals.length ? html`<button class="button secondary dismiss" type="button" @click=${onDismiss}>${s.dismiss}</button>` : nothing}
  </div>`;
}

/**
 * A sent message's files: metadata only. Once the backend stored one (`file_id`), its chip links
 * to `{endpoint}/files/{file_id}`; the thumbnail is the page's own preview while it lives, else the
 * stored image.
 */
export function renderSentAttachments(message: ChatMessage, store: ChatStore | undefined, s: ChatStrings): TemplateResult | typeof nothing {
  const list = message.attachments;
  if (!list?.length) return nothing;
  loadChip();
  return html`<ul part="attachments" class="attachment-list" aria-label=${s.attachmentsLabel}>
    ${list.map((file, index) => {
      const url = file.file_id ? (store?.fileUrl(file.file_id) ?? '') : '';
      const preview = store?.attachments.previewFor(message.id, index) ?? (file.media_type.startsWith('image/') ? url : '');
      return html`<li>
        <ic-attachment-chip
          exportparts=${chipParts}
          .strings=${s}
          name=${file.name}
          media-type=${file.media_type}
          .size=${file.size}
          preview-url=${preview}
          href=${url}
          ?viewable=${file.media_type.startsWith('image/')}
        ></ic-attachment-chip>
      </li>`;
    })}
  </ul>`;
}

/** The chip is an on-demand chunk: its tags upgrade in place once it arrives (a failed load retries on the next render). */
function loadChip(): void {
  whenAttachmentUiReady().catch(() => undefined);
}

/** The files in a paste (a screenshot, or files copied in a file manager). */
export function filesFromClipboard(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files = Array.from(data.files);
  if (files.length) return files;
  return Array.from(data.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
}

export const paperclipIcon = html`<svg
  viewBox="0 0 24 24"
  width="20"
  height="20"
  aria-hidden="true"
  focusable="false"
  fill="none"
  stroke="currentColor"
  stroke-width="1.8"
  stroke-linecap="round"
  stroke-linejoin="round"
>
  <path d="M20.5 11.5l-8.1 8.1a5 5 0 01-7.1-7.1l8.5-8.5a3.4 3.4 0 014.8 4.8l-8.5 8.5a1.7 1.7 0 01-2.4-2.4l7.8-7.8" />
</svg>`;
