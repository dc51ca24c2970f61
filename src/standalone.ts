/**
 * The standalone file's entry (dist/ic-support-chat.min.js): what `ic-support-chat` exports, less
 * the classes of the parts only some conversations show. `<ic-tool-call>` and `<ic-approval>` are
 * registered from an on-demand chunk on first need (or when the browser is idle), and so is
 * `<ic-attachment-chip>`; their classes are not exported here: `await whenToolUiReady()` (or
 * `whenAttachmentUiReady()`), then `customElements.get('ic-approval')`.
 */
import './widget/define.js';

export { IcSupportChat } from './widget/support-chat/support-chat.js';
export { IcMessageList } from './widget/message-list/message-list.js';
export { IcMessage } from './widget/message/message.js';
export { IcComposer } from './widget/composer/composer.js';
export { AttachmentDraft, DEFAULT_ATTACHMENT_SETTINGS } from './widget/attachments/attachment-draft.js';
export type { AttachmentSettings, AttachmentRefusal, DraftAttachment, RefusalReason } from './widget/attachments/attachment-draft.js';
export { whenAttachmentUiReady, whenToolUiReady } from './widget/lazy-parts.js';

export * from './widget/events.js';
export * from './widget/types.js';
export { ChatStore } from './widget/state/chat-store.js';
export { toChatError } from './widget/state/chat-error.js';
export type { ChangeKey, ChatStoreEventMap, ChatStoreOptions, StoreChangeDetail, StoreDeltaDetail } from './widget/state/store-types.js';
export { StoreController, type StoreControllerOptions } from './widget/state/store-controller.js';
export { storeContext, stringsContext } from './widget/state/store-context.js';
export { ProtocolV1Transport } from './widget/state/transport.js';
export type { ChatTransport, ProtocolV1TransportOptions, TransportRunOptions } from './widget/state/transport.js';
export { createThreadId, threadStorageKey, THREAD_ID_PATTERN, type RandomSource } from './widget/state/thread-id.js';
export { en, formatString, loadLocale, stringsFor, translations, type ChatStrings } from './widget/i18n/strings.js';
export { languageOf, directionOf, isRtlLanguage } from './widget/i18n/locale.js';
export { formatDateTime, formatFileSize } from './widget/i18n/format.js';
export { IcLauncher } from './widget/launcher/launcher.js';
export type { LauncherPosition, SupportChatMode } from './widget/launcher/launcher-options.js';
export type { Theme } from './widget/styles/theme.js';
export { TranscriptStorage, transcriptStorageKey, TRANSCRIPT_VERSION, MAX_STORED_MESSAGES, MAX_STORED_CHARS, type StoredTranscript } from './widget/state/transcript-storage.js';

// The wire types, so `import type { RunEvent } from 'ic-support-chat'` works without a second entry.
export type * from './protocol/types.js';
export { ProtocolError } from './protocol/errors.js';
