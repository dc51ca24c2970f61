/**
 * Keeps the current thread's transcript in Web Storage so a reload shows the conversation again.
 * DOM-free. Written only when a run ends (never per delta); bounded to the last
 * `MAX_STORED_MESSAGES` messages and about `MAX_STORED_CHARS` characters of JSON; versioned
 * (`{v: 1, …}`), and anything unreadable, newer or malformed is cleared with one warning.
 */
import type { AttachmentMeta, ChatError, ChatMessage, KeyValueStorage, MessagePart } from '../types.js';
import { sourceInfo } from '../../protocol/event-decoder.js';
import { isRecord } from '../../protocol/errors.js';
import { readKey, writeKey } from './storage-access.js';

/** The stored format's version: a transcript stored in another version is cleared, not misread. */
export const TRANSCRIPT_VERSION = 1;
/** The newest messages kept; older ones are dropped when the transcript is saved. */
export const MAX_STORED_MESSAGES = 100;
/** ~200 KB of UTF-16 in localStorage (whose quota is typically 5 MB per origin). */
export const MAX_STORED_CHARS = 200_000;

/** What is stored under the transcript key. */
export interface StoredTranscript {
  v: typeof TRANSCRIPT_VERSION;
  thread_id: string;
  /** When it was last written (ms since the epoch). */
  saved_at: number;
  messages: ChatMessage[];
}

/** A restored transcript: its messages and when it was last active. */
export interface RestoredTranscript {
  messages: ChatMessage[];
  savedAt: number;
}

/** The transcript's key, next to the thread id's key (`…:thread:ENDPOINT` → `…:transcript:ENDPOINT`). */
export function transcriptStorageKey(threadKey: string): string {
  return threadKey.includes(':thread:') ? threadKey.replace(':thread:', ':transcript:') : `${threadKey}:transcript`;
}

/**
 * Keeps a thread's transcript in Web Storage (versioned, bounded by MAX_STORED_MESSAGES and
 * MAX_STORED_CHARS), so a reload shows the conversation again; corrupt data is cleared.
 */
export class TranscriptStorage {
  #storage: KeyValueStorage | null;
  #key: string;
  readonly #warn: (message: string) => void;

  constructor(storage: KeyValueStorage | null, key: string, warn: (message: string) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#warn = warn;
  }

  /** Where to store (a `null` storage stores nothing) and under which key. */
  configure(storage: KeyValueStorage | null, key: string): void {
    this.#storage = storage;
    this.#key = key;
  }

  /** The stored transcript of `threadId`; `null` when there is none, it is another thread's, or unreadable. */
  load(threadId: string | null): RestoredTranscript | null {
    if (!this.#storage || threadId === null) return null;
    const raw = readKey(this.#storage, this.#key);
    if (raw === null) return null;
    const parsed = parseTranscript(raw);
    if (!parsed) {
      this.#warn('The saved conversation could not be read (corrupt or from another version) and was cleared.');
      this.clear();
      return null;
    }
    if (parsed.thread_id !== threadId) return null;
    return { messages: parsed.messages, savedAt: parsed.saved_at };
  }

  /** Stores the transcript of `threadId` (bounded). Storage full or blocked: silently kept in memory only. */
  save(threadId: string | null, messages: readonly ChatMessage[], now: number): void {
    if (!this.#storage || threadId === null) return;
    if (messages.length === 0) {
      this.clear();
      return;
    }
    const json = serializeTranscript(threadId, messages, now);
    // Quota exceeded or storage blocked: the conversation still lives for this page.
    writeKey(this.#storage, this.#key, json);
  }

  /** Forgets the stored transcript. */
  clear(): void {
    writeKey(this.#storage, this.#key, null);
  }
}

/** The JSON to store: the newest messages that fit the bounds (`null` if not even one fits). */
export function serializeTranscript(threadId: string, messages: readonly ChatMessage[], now: number): string | null {
  const kept = messages.slice(-MAX_STORED_MESSAGES).map(storedMessage);
  // Drop the oldest until it fits; a reply without its question reads oddly, so drop in pairs of
  // (user, assistant) where possible by starting the window at a user message.
  let start = 0;
  for (;;) {
    const window = kept.slice(start);
    if (window.length === 0) return null;
    const json = JSON.stringify({ v: TRANSCRIPT_VERSION, thread_id: threadId, saved_at: now, messages: window } satisfies StoredTranscript);
    if (json.length <= MAX_STORED_CHARS) return json;
    start++;
    while (start < kept.length - 1 && kept[start]?.role !== 'user') start++;
  }
}

/** What of a message is worth keeping: no bytes, previews or object URLs, and no half state. */
function storedMessage(message: ChatMessage): ChatMessage {
  const stored: ChatMessage = {
    id: message.id,
    role: message.role,
    // A message still streaming when the page went away was cut off.
    status: message.status === 'streaming' ? 'interrupted' : message.status,
    parts: message.parts.map((part) => JSON.parse(JSON.stringify(part)) as MessagePart),
    created_at: message.created_at,
  };
  if (message.run_id !== undefined) stored.run_id = message.run_id;
  if (message.error) stored.error = { ...message.error };
  if (message.undelivered) stored.undelivered = true;
  if (message.attachments?.length) stored.attachments = message.attachments.map(attachmentMeta);
  if (message.sources?.length) stored.sources = message.sources.map((s) => ({ ...s }));
  if (message.feedback) stored.feedback = { ...message.feedback };
  return stored;
}

function attachmentMeta(meta: AttachmentMeta): AttachmentMeta {
  const kept: AttachmentMeta = { name: meta.name, media_type: meta.media_type, size: meta.size };
  if (meta.file_id !== undefined) kept.file_id = meta.file_id;
  return kept;
}

/** Parses and validates stored JSON; `null` for anything that is not a well-formed v1 transcript. */
export function parseTranscript(raw: string): StoredTranscript | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.v !== TRANSCRIPT_VERSION) return null;
  if (typeof value.thread_id !== 'string' || typeof value.saved_at !== 'number' || !Array.isArray(value.messages)) return null;
  const messages: ChatMessage[] = [];
  for (const item of value.messages) {
    const message = parseMessage(item);
    if (!message) return null;
    messages.push(message);
  }
  return { v: TRANSCRIPT_VERSION, thread_id: value.thread_id, saved_at: value.saved_at, messages };
}

const STATUSES = new Set(['complete', 'stopped', 'interrupted', 'error', 'streaming']);

function parseMessage(item: unknown): ChatMessage | null {
  if (!isRecord(item)) return null;
  const { id, role, status, parts, created_at: createdAt } = item;
  if (typeof id !== 'string' || (role !== 'user' && role !== 'assistant')) return null;
  if (typeof status !== 'string' || !STATUSES.has(status) || typeof createdAt !== 'number') return null;
  if (!Array.isArray(parts) || !parts.every(isPart)) return null;
  const message: ChatMessage = {
    id,
    role,
    status: status === 'streaming' ? 'interrupted' : (status as ChatMessage['status']),
    parts: parts as MessagePart[],
    created_at: createdAt,
  };
  if (typeof item.run_id === 'string') message.run_id = item.run_id;
  if (item.undelivered === true && role === 'user') message.undelivered = true;
  if (isRecord(item.error) && typeof item.error.code === 'string' && typeof item.error.message === 'string') {
    message.error = item.error as unknown as ChatError;
  }
  if (Array.isArray(item.attachments)) {
    const attachments = item.attachments.filter(isAttachmentMeta).map(attachmentMeta);
    if (attachments.length) message.attachments = attachments;
  }
  // Sources go through the decoder's check again: stored data is as untrusted as the wire.
  const sources = Array.isArray(item.sources) ? item.sources.map(sourceInfo).filter((s) => s !== null) : [];
  if (sources.length) message.sources = sources;
  const feedback = item.feedback;
  if (isRecord(feedback) && (feedback.rating === 'up' || feedback.rating === 'down')) message.feedback = { rating: feedback.rating };
  return message;
}

/** Parts are validated by their shared shape: a known `kind` and the fields renderers rely on. */
function isPart(part: unknown): boolean {
  if (!isRecord(part) || typeof part.kind !== 'string') return false;
  switch (part.kind) {
    case 'text':
      return typeof part.text === 'string';
    case 'tool_call':
      return typeof part.tool_call_id === 'string' && typeof part.name === 'string' && typeof part.status === 'string';
    case 'approval':
      return typeof part.approval_id === 'string' && typeof part.name === 'string' && typeof part.status === 'string';
    default:
      // A part kind from a newer version: the transcript is not ours to interpret.
      return false;
  }
}

function isAttachmentMeta(value: unknown): value is AttachmentMeta {
  return isRecord(value) && typeof value.name === 'string' && typeof value.media_type === 'string' && typeof value.size === 'number';
}
