/**
 * "Previous conversations" on the store, loaded with the list view: listing, reopening and
 * deleting them, in this browser (thread-archive.ts) or, when the backend announces
 * `features.threads` (signed-in visitors), on the server, which then replaces the browser's list
 * so it follows the visitor across devices.
 */
import type { ThreadMessage, ThreadSummary } from '../../protocol/threads.js';
import type { ChatMessage } from '../types.js';
import { clearConversation } from './chat-stop.js';
import { previousTranscript, readPreviousThreads, writePreviousThreads } from './thread-archive.js';
import type { StoreCore } from './store-core.js';

/** The backend's list, when it keeps one for this visitor and the transport can reach it. */
function serverList(c: StoreCore) {
  return c.session?.features?.threads === true ? c.transport?.threadsApi?.() : undefined;
}

/** `ChatStore.previousThreads`: newest first, the conversation on screen left out. Rejects when the backend's list cannot be read. */
export async function listThreads(c: StoreCore): Promise<ThreadSummary[]> {
  const server = serverList(c);
  const threads = server ? await (await server).list() : readPreviousThreads(c.persistence.storage, c.persistence.storageKey);
  return threads.filter((t) => t.thread_id !== c.threadId);
}

/**
 * `ChatStore.reopenThread`: the conversation on screen moves to the list, the chosen one comes back
 * with its transcript and its thread id, so the next question continues it. Rejects when the
 * backend cannot give it (then nothing changed).
 */
export async function reopenThread(c: StoreCore, threadId: string): Promise<boolean> {
  if (threadId === c.threadId) return false;
  const { storage, storageKey } = c.persistence;
  const server = serverList(c);
  let messages: ChatMessage[];
  let updatedAt: number;
  if (server) {
    const found = await (await server).get(threadId);
    messages = found.messages.map((m) => fromThreadMessage(c, m));
    updatedAt = Date.parse(found.thread.updated_at);
  } else {
    const entry = readPreviousThreads(storage, storageKey).find((t) => t.thread_id === threadId);
    if (!entry) return false;
    const stored = previousTranscript(storage, storageKey, threadId);
    messages = stored.load(threadId)?.messages ?? [];
    updatedAt = Date.parse(entry.updated_at);
    // It is the current conversation now: it leaves the list (and its copy there).
    stored.clear();
    writePreviousThreads(
      storage,
      storageKey,
      readPreviousThreads(storage, storageKey).filter((t) => t.thread_id !== threadId),
    );
  }
  clearConversation(c);
  c.messages = messages;
  c.restoredAt = Number.isFinite(updatedAt) ? updatedAt : null;
  c.persistence.saveTranscript(threadId, messages, c.now());
  c.changed('messages');
  c.setThreadId(threadId, 'reopened', true);
  return true;
}

/** `ChatStore.deleteThread`: from the list and its transcript (on the backend too, when it keeps it). */
export async function deleteThread(c: StoreCore, threadId: string): Promise<void> {
  const server = serverList(c);
  if (server) return (await server).remove(threadId);
  const { storage, storageKey } = c.persistence;
  previousTranscript(storage, storageKey, threadId).clear();
  writePreviousThreads(
    storage,
    storageKey,
    readPreviousThreads(storage, storageKey).filter((t) => t.thread_id !== threadId),
  );
}

/** A message of the backend's transcript, as the transcript shows it (text; files by name). */
function fromThreadMessage(c: StoreCore, m: ThreadMessage): ChatMessage {
  const message = c.newMessage(m.role, 'complete', [{ kind: 'text', text: m.text }]);
  if (m.run_id !== undefined) message.run_id = m.run_id;
  return message;
}
