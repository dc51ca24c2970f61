/**
 * Past conversations on the server (`features.threads`, signed-in visitors): the wire shapes of
 * `GET /threads`, `GET /threads/{thread_id}` and `DELETE /threads/{thread_id}`, their limits, and
 * the client's decoders (a reply is as untrusted as any other: malformed entries are dropped).
 * Isomorphic, like the rest of src/protocol.
 */
import { isRecord } from './errors.js';
import type { PROTOCOL_VERSION } from './types.js';

/** One past conversation in a list. Dates are ISO 8601 strings. */
export interface ThreadSummary {
  thread_id: string;
  /** The first question, cut to `THREAD_LIMITS.max_title_chars`. */
  title: string;
  created_at: string;
  updated_at: string;
}

/**
 * One message of a past conversation, as text (Markdown for the assistant's); attachments, tool
 * calls and approvals are not part of it (a transcript to read back, not to replay).
 */
export interface ThreadMessage {
  role: 'user' | 'assistant';
  text: string;
  run_id?: string;
}

/** `GET {endpoint}/threads`: newest first, at most `THREAD_LIMITS.max_threads`. */
export interface ThreadListResponse {
  v: typeof PROTOCOL_VERSION;
  threads: ThreadSummary[];
}

/** `GET {endpoint}/threads/{thread_id}`: the conversation and its messages, oldest first. */
export interface ThreadResponse {
  v: typeof PROTOCOL_VERSION;
  thread: ThreadSummary;
  messages: ThreadMessage[];
}

/** What a backend keeps and sends: more threads are dropped oldest first, titles are cut. */
export const THREAD_LIMITS = Object.freeze({ max_threads: 50, max_title_chars: 80 });

/** The title of a conversation: its first question on one line, cut with an ellipsis. */
export function threadTitle(question: string, max: number = THREAD_LIMITS.max_title_chars): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

const str = (value: unknown): value is string => typeof value === 'string';

/** A well-formed summary, or `null`. */
export function threadSummary(value: unknown): ThreadSummary | null {
  if (!isRecord(value)) return null;
  const { thread_id: id, title, created_at: created, updated_at: updated } = value;
  return str(id) && id !== '' && str(title) && str(created) && str(updated) ? { thread_id: id, title, created_at: created, updated_at: updated } : null;
}

/** The well-formed entries of a `GET /threads` body (an unreadable body is an empty list). */
export function threadList(body: unknown): ThreadSummary[] {
  const threads = isRecord(body) && Array.isArray(body['threads']) ? body['threads'] : [];
  return threads.map(threadSummary).filter((t) => t !== null);
}

/** A `GET /threads/{thread_id}` body, its malformed messages dropped; `null` without a thread. */
export function threadBody(body: unknown): { thread: ThreadSummary; messages: ThreadMessage[] } | null {
  const thread = isRecord(body) ? threadSummary(body['thread']) : null;
  if (!thread || !isRecord(body) || !Array.isArray(body['messages'])) return null;
  const messages: ThreadMessage[] = [];
  for (const m of body['messages'] as unknown[]) {
    if (!isRecord(m) || (m['role'] !== 'user' && m['role'] !== 'assistant') || !str(m['text'])) continue;
    const message: ThreadMessage = { role: m['role'], text: m['text'] };
    if (str(m['run_id'])) message.run_id = m['run_id'];
    messages.push(message);
  }
  return { thread, messages };
}
