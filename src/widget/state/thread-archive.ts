/**
 * "Previous conversations" kept in the browser (the default; a backend with `features.threads`
 * keeps a signed-in visitor's instead). DOM-free. The list is a JSON array of `ThreadSummary`
 * beside the thread id's key (`…:thread:ENDPOINT` → `…:threads:ENDPOINT`), each transcript under
 * the transcript's key plus `:THREAD_ID`. Bounded: past `MAX_PREVIOUS_THREADS` the oldest entry
 * goes, its transcript with it. A chunk of its own, loaded by New conversation (chat-stop.ts) and
 * by the list view (chat-threads.ts).
 */
import { threadList, threadTitle, type ThreadSummary } from '../../protocol/threads.js';
import { messageText, type ChatMessage, type KeyValueStorage } from '../types.js';
import { TranscriptStorage, transcriptStorageKey } from './transcript-storage.js';
import { readKey, writeKey } from './storage-access.js';

/** Conversations kept in the list per endpoint; older ones are dropped with their transcripts. */
export const MAX_PREVIOUS_THREADS = 20;

/** The list's key, from the thread id's key. */
export const previousThreadsKey = (threadKey: string): string => (threadKey.includes(':thread:') ? threadKey.replace(':thread:', ':threads:') : `${threadKey}:threads`);

/** The key of a listed conversation's transcript. */
export const previousTranscriptKey = (threadKey: string, threadId: string): string => `${transcriptStorageKey(threadKey)}:${threadId}`;

/** A listed conversation's transcript storage (load, save, clear). */
export const previousTranscript = (storage: KeyValueStorage | null, threadKey: string, threadId: string): TranscriptStorage =>
  new TranscriptStorage(storage, previousTranscriptKey(threadKey, threadId), () => undefined);

/** The list, newest first; anything unreadable reads as empty. */
export function readPreviousThreads(storage: KeyValueStorage | null, threadKey: string): ThreadSummary[] {
  try {
    return threadList({ threads: JSON.parse(readKey(storage, previousThreadsKey(threadKey)) ?? '[]') as unknown });
  } catch {
    return [];
  }
}

/** Stores the list (bounded), dropping the transcripts of the entries that fall off its end. */
export function writePreviousThreads(storage: KeyValueStorage | null, threadKey: string, threads: ThreadSummary[]): void {
  for (const dropped of threads.splice(MAX_PREVIOUS_THREADS)) previousTranscript(storage, threadKey, dropped.thread_id).clear();
  writeKey(storage, previousThreadsKey(threadKey), JSON.stringify(threads));
}

/**
 * Moves a conversation into the list (first in it): its transcript under its own key, its title
 * the first question. A conversation without a question is not worth listing.
 */
export function archiveThread(storage: KeyValueStorage | null, threadKey: string, threadId: string | null, messages: readonly ChatMessage[], now: number): void {
  const first = messages.find((m) => m.role === 'user');
  if (!storage || threadId === null || !first) return;
  previousTranscript(storage, threadKey, threadId).save(threadId, messages, now);
  const title = threadTitle(messageText(first) || (first.attachments ?? []).map((a) => a.name).join(', '));
  const entry = { thread_id: threadId, title, created_at: new Date(messages[0]!.created_at).toISOString(), updated_at: new Date(now).toISOString() };
  writePreviousThreads(storage, threadKey, [entry, ...readPreviousThreads(storage, threadKey).filter((t) => t.thread_id !== threadId)]);
}
