/**
 * The widget's view model: what the transcript holds. Kept separate from the wire types so a
 * message can gather several runs' events (text, tool calls, approvals) in the order they came.
 */
import type { ErrorCode, StoredFileInfo } from '../protocol/types.js';

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

/**
 * The ordered pieces of a message. Only text today; tool calls (`{kind:'tool_call'}`) and approvals
 * (`{kind:'approval'}`) join this union later, interleaved with text in the order they streamed.
 */
export type MessagePart = TextMessagePart;

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
}

/** `idle`: ready; `sending`: request posted, no event yet; `streaming`: events arriving. */
export type ChatStatus = 'idle' | 'sending' | 'streaming';

/** Where the thread id (and later the transcript) is kept between page loads. */
export type PersistMode = 'local' | 'session' | 'none';

/** The subset of the Web Storage API the store uses (injectable for tests and other runtimes). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type { StoredFileInfo };

/** The text of a message: its text parts joined in order. */
export function messageText(message: ChatMessage): string {
  let text = '';
  for (const part of message.parts) if (part.kind === 'text') text += part.text;
  return text;
}
