/**
 * Wire protocol v1 between the widget and a backend (see docs/protocol.md).
 * Isomorphic: no DOM and no Node APIs in this folder.
 */

/** The protocol version this build speaks. Events with a newer `v` are skipped. */
export const PROTOCOL_VERSION = 1 as const;

// ---------------------------------------------------------------------------
// Content parts and requests
// ---------------------------------------------------------------------------

export interface TextPart {
  type: 'text';
  text: string;
}

/** A screenshot or photo, inline as a data URL: `data:image/png;base64,…`. */
export interface ImagePart {
  type: 'image';
  image: string;
  /** The file's name on the visitor's device, so a reply can name it. Optional: added to v1 later. */
  filename?: string;
}

/** A document, inline as a data URL: `data:application/pdf;base64,…`. */
export interface FilePart {
  type: 'file';
  filename: string;
  data: string;
}

export type ContentPart = TextPart | ImagePart | FilePart;

/** A user turn's content: plain text, or text and attachments as parts. */
export type UserContent = string | ContentPart[];

export interface InputMessage {
  role: 'user';
  content: UserContent;
}

/** `POST {endpoint}/runs` */
export interface RunRequest {
  thread_id: string;
  input: InputMessage[];
  stream?: boolean;
}

export type ApprovalDecision = 'approve' | 'deny';

/** `POST {endpoint}/runs/{run_id}/approvals/{approval_id}` */
export interface ApprovalRequestBody {
  decision: ApprovalDecision;
  stream?: boolean;
}

/** Attachment limits a backend announces in `POST /session`. */
export interface Limits {
  /** Largest decoded size of one attachment, in bytes. */
  max_file_bytes: number;
  /** Most attachments in one turn. */
  max_files: number;
  /** Accepted MIME types. */
  accept: string[];
  /**
   * Most characters (UTF-16 code units) of text in one message, its text parts together. Optional:
   * added to protocol v1 later, so a client must not require it.
   */
  max_text_chars?: number;
}

export type VisitorKind = 'user' | 'anonymous';

/**
 * Optional capabilities a backend announces in `POST /session` (added to v1 later: a missing key,
 * or a missing `features`, means "not supported").
 */
export interface SessionFeatures {
  /**
   * Runs can be resumed: every event frame carries an SSE `id`, `GET /runs/{run_id}/events` replays
   * and follows a run, and `POST /runs` honours `Idempotency-Key`.
   */
  resume?: boolean;
  /** `POST /runs/{run_id}/feedback` is taken. */
  feedback?: boolean;
  /**
   * The backend keeps this (signed-in) visitor's past conversations: `GET /threads`,
   * `GET /threads/{thread_id}` and `DELETE /threads/{thread_id}` (see threads.ts).
   */
  threads?: boolean;
  /** `POST /handoff` is taken: the visitor can ask for a person ("Talk to a person"). */
  handoff?: boolean;
}

/** The visitor's run still in progress when the session was opened (a reload mid-reply). */
export interface ActiveRun {
  run_id: string;
  thread_id: string;
}

/** Who the visitor is, as far as the page needs to know. */
export interface SessionVisitor {
  kind: VisitorKind;
  display_name?: string;
  /**
   * The backend knows an address to answer this visitor by email (a signed-in visitor whose
   * account has one), so a hand-off asks for none. Added to v1 later: missing means "ask".
   */
  has_email?: boolean;
}

/** `POST {endpoint}/session` reply. */
export interface SessionResponse {
  v: typeof PROTOCOL_VERSION;
  visitor: SessionVisitor;
  limits: Limits;
  /** Optional: added to protocol v1 later; a client treats a missing key as `false`. */
  features?: SessionFeatures;
  /** Present when the visitor has a run in progress (only from a backend with `features.resume`). */
  active_run?: ActiveRun;
}

export type FeedbackRating = 'up' | 'down';

/** `POST {endpoint}/runs/{run_id}/feedback`: the visitor's rating of a finished reply; a later one replaces it. */
export interface FeedbackRequestBody {
  rating: FeedbackRating;
  /** Short machine codes (e.g. `incorrect`), at most `FEEDBACK_LIMITS.max_reasons`. */
  reasons?: string[];
  /** At most `FEEDBACK_LIMITS.max_comment_chars` characters. */
  comment?: string;
}

/** The `POST /runs/{run_id}/feedback` reply. */
export interface FeedbackResponse {
  v: typeof PROTOCOL_VERSION;
  run_id: string;
  saved: true;
}

/** What a feedback body may hold; a backend refuses more with `invalid_request`. */
export const FEEDBACK_LIMITS = Object.freeze({ max_reasons: 8, max_reason_chars: 40, max_comment_chars: 2000 });

export type { HandoffRequestBody, HandoffResponse, HandoffResult } from './handoff.js';

/** What a hand-off body may hold; a backend refuses more with `invalid_request` or `payload_too_large`. */
export const HANDOFF_LIMITS = Object.freeze({ max_email_chars: 254, max_message_chars: 2000, max_reference_chars: 64 });

/** A page the reply was drawn from (`source.added`). */
export interface SourceInfo {
  title: string;
  /** An absolute `http:`/`https:` URL; a client shows anything else as plain text or not at all. */
  url: string;
  snippet?: string;
}

// ---------------------------------------------------------------------------
// Resumable runs (`features.resume`)
// ---------------------------------------------------------------------------

/**
 * `GET {endpoint}/runs/{run_id}/events`: the run's events after a sequence number, then the live run
 * until its terminal event (`run.completed` / `run.failed`) of the current segment. The position is
 * the `Last-Event-ID` header or the `after` query parameter (the header wins when both are sent);
 * neither means "from the start". A value that is not a decimal integer ≥ 0 answers 400.
 */
export function runEventsPath(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}/events`;
}

/** The query parameter of `GET /runs/{run_id}/events` that stands for `Last-Event-ID`. */
export const RESUME_AFTER_PARAM = 'after';

/** The request header a client sends to resume after the event with that SSE `id`. */
export const LAST_EVENT_ID_HEADER = 'Last-Event-ID';

/**
 * The `POST /runs` request header naming one turn: the same visitor and key within the run log's
 * lifetime get the same run back (replayed from its start) instead of a second run upstream.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Longest `Idempotency-Key` a backend must accept (visible ASCII, 1 to this many characters). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** True for a key a backend accepts: 1–200 visible ASCII characters (`!` to `~`). */
export function isValidIdempotencyKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_IDEMPOTENCY_KEY_LENGTH && /^[\x21-\x7e]+$/.test(key);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

export type KnownErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'upstream_error'
  /** The vendor stopped sending mid-reply (no bytes for the backend's idle timeout); 504 before any event. */
  | 'upstream_timeout'
  | 'unavailable'
  /** The run passed the backend's maximum run time and was stopped. */
  | 'run_timeout'
  /** `GET /runs/{run_id}/events`: the run's event log has expired; it cannot be resumed (410). */
  | 'run_expired'
  /** `POST /runs`: this `Idempotency-Key` was already used with a different body (422). */
  | 'idempotency_conflict'
  | 'internal_error';

/** A protocol error code; unknown codes from newer backends are kept as strings. */
export type ErrorCode = KnownErrorCode | (string & {});

/**
 * Codes the client itself reports (never sent by a backend): the server could not be reached, the
 * stream ended before `run.completed`/`run.failed`, or the reply was not what the protocol allows.
 */
export type ClientErrorCode = 'network_error' | 'interrupted' | 'invalid_response';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** Every non-2xx reply's body. */
export interface ErrorBody {
  error: ErrorInfo;
}

/** The HTTP status that goes with each known error code. */
export const ERROR_STATUS: Readonly<Record<KnownErrorCode, number>> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream_error: 502,
  upstream_timeout: 504,
  unavailable: 503,
  run_timeout: 504,
  run_expired: 410,
  idempotency_conflict: 422,
  internal_error: 500,
};

// ---------------------------------------------------------------------------
// Run events (SSE `event:` name + JSON `data:`)
// ---------------------------------------------------------------------------

/** Stored input attachment, listed in `run.started.files` in the order sent. */
export interface StoredFileInfo {
  file_id: string;
  filename?: string;
  media_type: string;
  size: number;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'awaiting_approval' | 'cancelled' | (string & {});

interface EnvelopeBase {
  v: number;
  run_id: string;
}

export interface RunStartedData extends EnvelopeBase {
  smith_id?: string;
  thread_id: string;
  files?: StoredFileInfo[];
}
export interface MessageDeltaData extends EnvelopeBase {
  delta: string;
}
/** One labelled value of a display block: `{label: "Subject", value: "Refund for A-1001"}`. */
export interface DisplayField {
  label: string;
  value: string;
}

/**
 * How a tool call or an approval reads to the visitor, written by the backend in the visitor's
 * language (the widget sends its language as `Accept-Language`). Optional (added to v1 later): a
 * widget without it shows the tool's own name and arguments, humanised.
 */
export interface DisplayBlock {
  /** What the action is, in the present: "Open a support ticket", "Looking up order A-1001". */
  title?: string;
  /** The same once done, in the past: "Opened a support ticket", "Looked up order A-1001". */
  title_done?: string;
  /** The details worth reading, in order, instead of the raw arguments. */
  fields?: DisplayField[];
}

export interface ToolCallStartedData extends EnvelopeBase {
  tool_call_id: string;
  name: string;
  arguments: unknown;
  display?: DisplayBlock;
}
export interface ToolCallCompletedData extends EnvelopeBase {
  tool_call_id: string;
  name: string;
  output?: unknown;
  is_error?: boolean;
  display?: DisplayBlock;
}
export interface ApprovalRequestedData extends EnvelopeBase {
  approval_id: string;
  tool_call_id: string;
  name: string;
  arguments: unknown;
  reason?: string;
  display?: DisplayBlock;
}
export interface SourceAddedData extends EnvelopeBase {
  source: SourceInfo;
}
export interface RunCompletedData extends EnvelopeBase {
  stop_reason: StopReason;
}
export interface RunFailedData extends EnvelopeBase {
  error: ErrorInfo;
}

/** Event name → data shape. */
export interface RunEventDataMap {
  'run.started': RunStartedData;
  'message.delta': MessageDeltaData;
  'tool_call.started': ToolCallStartedData;
  'tool_call.completed': ToolCallCompletedData;
  'approval.requested': ApprovalRequestedData;
  /** Added to protocol v1 later: a client that does not know it skips it. */
  'source.added': SourceAddedData;
  'run.completed': RunCompletedData;
  'run.failed': RunFailedData;
}

export type RunEventType = keyof RunEventDataMap;

/** A decoded v1 event: its SSE name as `type`, beside the data's fields. */
export type RunEvent = {
  [K in RunEventType]: { type: K } & RunEventDataMap[K];
}[RunEventType];

/** Narrow a `RunEvent` to one type. */
export type RunEventOf<K extends RunEventType> = Extract<RunEvent, { type: K }>;

export const RUN_EVENT_TYPES: readonly RunEventType[] = [
  'run.started',
  'message.delta',
  'tool_call.started',
  'tool_call.completed',
  'approval.requested',
  'source.added',
  'run.completed',
  'run.failed',
];

// ---------------------------------------------------------------------------
// Non-streaming run reply (`stream:false`)
// ---------------------------------------------------------------------------

export interface ToolCallRecord {
  tool_call_id: string;
  name: string;
  arguments: unknown;
  output?: unknown;
  is_error?: boolean;
  display?: DisplayBlock;
}

export interface ApprovalRecord {
  approval_id: string;
  tool_call_id: string;
  name: string;
  arguments: unknown;
  reason?: string;
  display?: DisplayBlock;
}

export type RunStatus = 'completed' | 'failed' | 'awaiting_approval' | 'cancelled' | (string & {});

export interface RunResult {
  v: typeof PROTOCOL_VERSION;
  run_id: string;
  thread_id: string;
  status: RunStatus;
  stop_reason: StopReason | null;
  output: { role: 'assistant'; content: string }[];
  tool_calls: ToolCallRecord[];
  approvals: ApprovalRecord[];
  files?: StoredFileInfo[];
  error?: ErrorInfo;
}
