/**
 * `ic-support-chat`: registers `<ic-support-chat>` and its parts, and exports the element classes,
 * their events, the store and the types (protocol v1 types included).
 */
import './widget/define.js';

export { IcSupportChat } from './widget/support-chat/support-chat.js';
export { IcMessageList } from './widget/message-list/message-list.js';
export { IcMessage } from './widget/message/message.js';
export { IcComposer } from './widget/composer/composer.js';

export * from './widget/events.js';
export * from './widget/types.js';
export { ChatStore, toChatError } from './widget/state/chat-store.js';
export type {
  ChangeKey,
  ChatStoreEventMap,
  ChatStoreOptions,
  StoreChangeDetail,
  StoreDeltaDetail,
} from './widget/state/chat-store.js';
export { StoreController, type StoreControllerOptions } from './widget/state/store-controller.js';
export { storeContext, stringsContext } from './widget/state/store-context.js';
export { ProtocolV1Transport } from './widget/state/transport.js';
export type { ChatTransport, ProtocolV1TransportOptions, TransportRunOptions } from './widget/state/transport.js';
export { createThreadId, threadStorageKey, THREAD_ID_PATTERN, type RandomSource } from './widget/state/thread-id.js';
export { en, formatString, stringsFor, translations, type ChatStrings } from './widget/i18n/strings.js';

// The wire types, so `import type { RunEvent } from 'ic-support-chat'` works without a second entry.
export type * from './protocol/types.js';
export { ProtocolError } from './protocol/errors.js';
