/**
 * The widget's view model: what the transcript holds. Kept separate from the wire types so a
 * message can gather several runs' events (text, tool calls, approvals) in the order they came.
 */
import type { DisplayBlock, ErrorCode, FeedbackRating, SourceInfo, StoredFileInfo } from '../protocol/types.js';

export type MessageRole = 'user' | 'assistant';

/**
 * - `streaming`: the reply is arriving.
 * - `complete`: the run finished normally.
 * - `stopped`: the visitor pressed Stop; the partial reply is kept.
 * - `interrupted`: the stream ended early (connection dropped); the partial reply is kept.
 * - `error`: the run failed before or while replying; see `error`.
 */
export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'interrupted' | 'error';

/** A run of Markdown (assistant) or plain text (user). */
export interface TextMessagePart {
  kind: 'text';
  text: string;
}

/** `running` until `tool_call.completed`; `error` when it completed with `is_error`. */
export type ToolCallStatus = 'running' | 'done' | 'error';

/** A tool the assistant used (`tool_call.started` / `tool_call.completed`), inline with the text. */
export interface ToolCallMessagePart {
  kind: 'tool_call';
  tool_call_id: string;
  name: string;
  /** The call's arguments as the backend sent them (shown as text, never as HTML). */
  arguments: unknown;
  status: ToolCallStatus;
  output?: unknown;
  /** The backend's wording for the visitor (title, past-tense title, labelled fields), when it sent one. */
  display?: DisplayBlock;
}

/**
 * - `pending`: waiting for the visitor (or the host page) to decide.
 * - `approved` / `denied`: decided; the decision was sent (it is never sent twice).
 * - `cancelled`: the visitor pressed Stop or started a new conversation before deciding.
 */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'cancelled';

/** An action the assistant wants to take on the visitor's behalf (`approval.requested`). */
export interface ApprovalMessagePart {
  kind: 'approval';
  run_id: string;
  approval_id: string;
  tool_call_id: string;
  name: string;
  arguments: unknown;
  reason?: string;
  status: ApprovalStatus;
  /** The host page took the decision over (`ic-approval-request` was cancelled): no buttons shown. */
  host_decides?: boolean;
  /** The backend's wording for the visitor (title, past-tense title, labelled fields), when it sent one. */
  display?: DisplayBlock;
}

/** The ordered pieces of a message: text, tool calls and approvals, in the order they streamed. */
export type MessagePart = TextMessagePart | ToolCallMessagePart | ApprovalMessagePart;

/** What the transcript keeps about a sent attachment: metadata, never the bytes. */
export interface AttachmentMeta {
  name: string;
  media_type: string;
  size: number;
  /** Set once the backend stored it (`run.started.files`). */
  file_id?: string;
}

/** Why a turn failed, as shown to the visitor. */
export interface ChatError {
  /** A protocol error code (`rate_limited`, …) or a client one (`network_error`, `interrupted`). */
  code: ErrorCode;
  message: string;
  /** How long the server asked us to wait before retrying. */
  retryAfterMs?: number;
  /** When Retry is allowed again (ms since the epoch), from `retryAfterMs` and the time it failed. */
  retryAt?: number;
}

export interface ChatMessage {
  id: string;
  role: MessageRole;
  status: MessageStatus;
  parts: MessagePart[];
  attachments?: AttachmentMeta[];
  error?: ChatError;
  /** The run that produced (assistant) or received (user) this message, once known. */
  run_id?: string;
  /** Milliseconds since the epoch. */
  created_at: number;
  /** The visitor's message whose turn failed before any reply came: shown "Not delivered" until resent. */
  undelivered?: boolean;
  /** Pages the reply was drawn from (`source.added`), in the order they came, without repeats. */
  sources?: SourceInfo[];
  /** The visitor's rating of this reply, once given (it can be changed). */
  feedback?: MessageFeedback;
}

/** The visitor's rating of a reply, as sent with `POST /runs/{run_id}/feedback`. */
export interface MessageFeedback {
  rating: FeedbackRating;
  reasons?: string[];
  comment?: string;
}

/**
 * `idle`: ready; `sending`: request posted, no event yet; `streaming`: events arriving;
 * `offline`: the browser is offline, the turn waits for the connection before it is sent;
 * `reconnecting`: the reply's connection broke, the run is being picked up where it was;
 * `awaiting_approval`: the run paused for an approval, the composer is locked until a decision.
 */
export type ChatStatus = 'idle' | 'sending' | 'streaming' | 'offline' | 'reconnecting' | 'awaiting_approval';

/** Where the thread id (and later the transcript) is kept between page loads. */
export type PersistMode = 'local' | 'session' | 'none';

/** The subset of the Web Storage API the store uses (injectable for tests and other runtimes). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type { SourceInfo, StoredFileInfo };

/** The text of a message: its text parts joined in order. */
export function messageText(message: ChatMessage): string {
  let text = '';
  for (const part of message.parts) if (part.kind === 'text') text += part.text;
  return text;
}
