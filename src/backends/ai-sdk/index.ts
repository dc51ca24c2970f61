/**
 * `ic-support-chat/backends/ai-sdk`: the Vercel AI SDK path.
 * - `createIngram({token})`: an AI SDK provider whose `.smith(id)` runs turns on the Ingram Cloud API.
 * - `createAiSdkBackend({model})`: a protocol v1 backend over any AI SDK language model.
 * Needs the optional peer dependencies `ai` (6.x) and `@ai-sdk/provider` (3.x).
 */
export {
  createIngram,
  IngramSmithModel,
  IngramRunError,
  INGRAM_API_VERSION,
  INGRAM_DEFAULT_BASE_URL,
  type IngramCallOptions,
  type IngramProvider,
  type IngramProviderSettings,
} from './ingram-provider.js';
export {
  createAiSdkBackend,
  closeOpenToolCalls,
  mergeTurn,
  toUserMessage,
  type AiSdkBackend,
  type AiSdkBackendOptions,
  type AiSdkHandoffHook,
  type AiSdkHandoffRecord,
  type AiSdkTurn,
} from './ai-sdk-backend.js';
export {
  InMemoryConversationStore,
  trimMessages,
  type ConversationKey,
  type ConversationStore,
  type InMemoryConversationStoreOptions,
  type PendingApproval,
  type StoredConversation,
} from './conversation-store.js';
export { RunEventMapper, stopReasonOf } from './run-event-mapper.js';
export { createResumableUIStreams, type ResumableUIStreams, type ResumableUIStreamsOptions } from './resumable-ui-streams.js';
