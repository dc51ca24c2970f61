import type { FeedbackInput } from './feedback.js';
import type { ThreadMessage } from '../../protocol/threads.js';
import type { HandoffRecord, HandoffReply } from './handoff.js';
import type { ApprovalDecision, InputMessage, Limits, RunEvent, StoredFileInfo } from '../../protocol/types.js';

/** Who is on the other end of a request, as decided by the server, never by the browser. */
export type Visitor =
  | {
      kind: 'user';
      /** The host app's user id (from `identify`). */
      id: string;
      display_name?: string;
      customer_id?: string;
      /** The account's email address, where a person answers a hand-off (never sent to the browser). */
      email?: string;
    }
  | {
      kind: 'anonymous';
      /** The random token from the visitor's HttpOnly cookie (≥128 bits, base64url). */
      id: string;
    };

/** What `identify(request)` returns for a signed-in visitor; `null` means anonymous. */
export interface IdentifiedUser {
  user_id: string;
  display_name?: string;
  customer_id?: string;
  /** The account's email address: a hand-off then asks the visitor for none. */
  email?: string;
}

/** An attachment that the core handler has decoded and checked (data URL, base64, size, magic bytes). */
export interface ValidatedAttachment {
  /** `image` parts and `file` parts keep their wire kind. */
  kind: 'image' | 'file';
  /** The MIME type, declared and confirmed by the file's first bytes. */
  media_type: string;
  filename?: string;
  /** Decoded bytes. */
  bytes: Uint8Array;
  /** The data URL as sent (so a proxy can forward it without re-encoding). */
  data_url: string;
  /** Index of the part in the message's content array. */
  part_index: number;
}

/** Per-request context the core hands to a backend. */
export interface TurnContext {
  visitor: Visitor;
  /** The original request (headers, URL) for backends that need it. */
  request: Request;
  /**
   * Aborted when the run must stop: Stop (`POST /runs/{id}/cancel`), the maximum run time or a
   * drain; stop upstream work then. Not when the browser goes away: the run goes on, so the reply
   * can be resumed (for `session` and `getFile`, it is the request's own signal).
   */
  signal: AbortSignal;
  /**
   * Hands the visitor's thread to a person through the host's hand-off (the core's `onHandoff`, else
   * the backend's `handoff()`), for a backend whose assistant offered one and the visitor approved.
   * Absent when no hand-off is configured. Uses the account's address when the visitor has one.
   */
  handoff?(input: { thread_id: string; message?: string }): Promise<HandoffReply>;
}

/** A validated `POST /runs` body. */
export interface RunInput {
  thread_id: string;
  input: InputMessage[];
  /** The attachments of the last user message, decoded and checked, in order. */
  attachments: ValidatedAttachment[];
  stream: boolean;
}

export interface ApprovalInput {
  run_id: string;
  approval_id: string;
  decision: ApprovalDecision;
  stream: boolean;
}

/** A stored attachment's bytes, served by `GET /files/{file_id}` to its owner only. */
export interface StoredFile extends StoredFileInfo {
  body: Uint8Array | ReadableStream<Uint8Array>;
}

/**
 * The turn logic behind `createSupportHandler`. The core owns routing, identity, validation,
 * rate limits and error mapping; a backend only answers turns.
 *
 * Throw a `SupportError` (from `ic-support-chat/backends/core`) to answer with a protocol error.
 */
export interface SupportBackend {
  /** Ensure the visitor's server-side state (e.g. upsert the smith). Returns a display name if known. */
  session?(ctx: TurnContext): Promise<{ display_name?: string } | void>;
  /** Run one turn. Events are streamed as SSE, or gathered into one JSON reply for `stream:false`. */
  run(input: RunInput, ctx: TurnContext): AsyncIterable<RunEvent>;
  /** Continue a run after the visitor approved or denied a tool call. */
  approve?(input: ApprovalInput, ctx: TurnContext): AsyncIterable<RunEvent>;
  /** Best-effort cancel of a run the visitor stopped. */
  cancel?(runId: string, ctx: TurnContext): Promise<void>;
  /**
   * The visitor rated a reply of theirs (the core checked the body and that the run is theirs). A
   * later rating of the same run replaces the earlier one. With this or the core's `onFeedback`,
   * `POST /session` announces `features.feedback`.
   */
  feedback?(input: FeedbackInput, ctx: TurnContext): Promise<void>;
  /**
   * The messages of one of the signed-in visitor's past conversations (`GET /threads/{thread_id}`),
   * oldest first; `null` when the backend no longer has them. With it, `POST /session` announces
   * `features.threads` to signed-in visitors and the core lists their threads (`stores.threads`).
   */
  threadMessages?(threadId: string, ctx: TurnContext): Promise<ThreadMessage[] | null>;
  /** Forgets a past conversation (`DELETE /threads/{thread_id}`) once the core took it off the visitor's list. */
  deleteThread?(threadId: string, ctx: TurnContext): Promise<void>;
  /**
   * The visitor asked for a person (`POST /handoff`; the core checked the body, the address and that
   * the thread is theirs). Returns the reference shown to the visitor. With this or the core's
   * `onHandoff` (which wins when both are set), `POST /session` announces `features.handoff`.
   */
  handoff?(record: HandoffRecord, ctx: TurnContext): Promise<HandoffReply>;
  /** A stored attachment, or `null` when it does not exist or is not this visitor's. */
  getFile?(fileId: string, ctx: TurnContext): Promise<StoredFile | null>;
  /** Limits this backend accepts; the core's options cap them. */
  limits?: Partial<Limits>;
  /**
   * The backend's own options left at an in-memory default (e.g. `['directory']`): state that other
   * instances cannot see. Production mode refuses to start with any, unless `singleInstance`.
   */
  readonly inMemoryState?: readonly string[];
}
