/**
 * `ic-support-chat/backends/ingram`: the Ingram Cloud proxy backend, its API client, the smith
 * directory and the operate helpers. The emulator is `ic-support-chat/backends/ingram/emulator`.
 */
export { createIngramBackend, ANONYMOUS_PREFIX, type IngramBackend, type IngramBackendOptions, type IngramHandoffHook, type IngramHandoffRecord } from './ingram-backend.js';
export {
  IngramClient,
  IngramApiError,
  DEFAULT_BASE_URL,
  DEFAULT_API_VERSION,
  DEFAULT_RETRY_AFTER_SECONDS,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  DEFAULT_RETRY,
  type RetryOptions,
  type IngramClientOptions,
  type CallOptions,
  type ListParams,
  type FileContent,
} from './client.js';
export { mapUpstreamEvent, eventsFromUpstreamRun, MAX_PASS_THROUGH_FIELD_CHARS, TRUNCATED_MARKER, type PassThroughOptions } from './map-upstream-event.js';
export { UPSTREAM_TIMEOUT } from './upstream-run-events.js';
export { InMemorySmithDirectory, decideClaim, type ClaimOutcome, type SmithDirectory } from './smith-directory.js';
export { SqliteSmithDirectory } from './sqlite-smith-directory.js';
export { LruCache } from './lru-cache.js';
export { listAllSmiths, listAllRuns, listAnonymousSmiths, listAnonymousRuns, archiveByExternalId, type ListAllOptions } from './operate.js';
export type * from './upstream-types.js';
export type { ClaimResult } from './ingram-backend.js';
export { directoryKeys } from './smith-directory.js';
export {
  listAnonymousActivity,
  archiveIdleAnonymousSmiths,
  isClaimedSmith,
  type AnonymousOptions,
  type AnonymousActivityOptions,
  type AnonymousActivityReport,
  type AnonymousSmithActivity,
  type ArchiveAnonymousOptions,
  type ArchiveAnonymousReport,
} from './operate.js';
