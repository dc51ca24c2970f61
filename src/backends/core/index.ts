/**
 * `ic-support-chat/backends/core`: the protocol v1 endpoint on the Fetch API, and the contract a
 * backend implements. Runs anywhere `Request`/`Response` and WebCrypto exist (Node ≥ 20, Deno,
 * Bun, Cloudflare Workers, Next.js route handlers).
 */
export { createSupportHandler, type SupportHandler } from './create-support-handler.js';
export {
  DEFAULT_ADDRESS_RATE_LIMIT,
  DEFAULT_CONCURRENT_RUNS,
  DEFAULT_FILE_RATE_LIMIT,
  DEFAULT_LIMITS,
  DEFAULT_NEW_VISITOR_LIMIT,
  DEFAULT_RATE_LIMIT,
  type SupportHandlerOptions,
} from './handler-options.js';
export { InMemoryConcurrencyStore, InMemoryRateLimitStore, InMemoryRunBus, InMemoryRunLogStore } from './memory-stores.js';
export { InMemoryRunOwnerStore } from './run-owners.js';
export { InMemoryThreadIndex, type ThreadIndexStore } from './thread-index.js';
export { validateFeedbackBody, type FeedbackHook, type FeedbackInput, type FeedbackRecord } from './feedback.js';
export { isEmailAddress, validateHandoffBody, type HandoffHook, type HandoffInput, type HandoffRecord, type HandoffReply } from './handoff.js';
export { clientAddressOf, type ClientAddressOptions, type ConnectionInfo } from './client-address.js';
export type { RequestGuardOptions } from './request-guards.js';
export { DRAIN_RETRY_AFTER_SECONDS, DrainInterruption, type Drainable } from './drain.js';
export { SupportError, type SupportErrorOptions } from './support-error.js';
export { sniffMediaType, SNIFFABLE_MEDIA_TYPES, type SniffableMediaType } from './sniff-media-type.js';
export { collectRunResult } from './collect-run-result.js';
export { sanitizeFilename } from './filename.js';
export type { AllowedOrigins } from './origin-policy.js';
export type { RateLimitOptions } from './rate-limiter.js';
export { RetiredVisitorError } from './visitor-cookie.js';
export type { VisitorCookieOptions, CookieSecret } from './visitor-cookie.js';
export type { ApprovalInput, IdentifiedUser, RunInput, StoredFile, SupportBackend, TurnContext, ValidatedAttachment, Visitor } from './types.js';
export type {
  ConcurrencyLease,
  ConcurrencyStore,
  IdempotencyClaim,
  RateLimitDecision,
  RateLimitRule,
  RateLimitStore,
  RunBus,
  RunCommand,
  RunHold,
  RunLogEntry,
  RunLogLimits,
  RunLogLookup,
  RunLogOwner,
  RunLogStore,
  SupportStores,
} from './stores.js';
export { DEFAULT_RUN_LOG_EXPIRED_NOTICE_MS, DEFAULT_RUN_LOG_MAX_BYTES, DEFAULT_RUN_LOG_MAX_EVENTS, DEFAULT_RUN_LOG_TTL_MS } from './stores.js';
