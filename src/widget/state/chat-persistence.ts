/**
 * What the store keeps between page loads, in one place: the thread id, the thread's transcript and
 * its pending approval, all under the endpoint's storage key. Every storage failure (full, blocked,
 * private mode) is swallowed: the chat then lives for this page only.
 */
import type { ApprovalMessagePart, ChatMessage, KeyValueStorage } from '../types.js';
import { approvalStorageKey, clearPendingApproval, loadPendingApproval, savePendingApproval, type StoredApproval } from './approval-storage.js';
import { loadRun, writeRun, type StoredRun } from './run-storage.js';
import { readKey, writeKey } from './storage-access.js';
import { TranscriptStorage, transcriptStorageKey, type RestoredTranscript } from './transcript-storage.js';

/** A thread id we accept from storage or an attribute: opaque, URL-safe, bounded. */
export const SANE_THREAD_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

export class ChatPersistence {
  readonly #transcript: TranscriptStorage;

  #storage: KeyValueStorage | null;
  #storageKey: string;

  constructor(storage: KeyValueStorage | null, storageKey: string, warn: (message: string) => void) {
    this.#storage = storage;
    this.#storageKey = storageKey;
    this.#transcript = new TranscriptStorage(storage, transcriptStorageKey(storageKey), warn);
  }

  /** Where things are kept, and the thread id's key (the list of previous conversations derives its keys from it). */
  get storage(): KeyValueStorage | null {
    return this.#storage;
  }
  get storageKey(): string {
    return this.#storageKey;
  }

  /** Where to keep things (`null` keeps nothing) and under which thread-id key. */
  configure(storage: KeyValueStorage | null, storageKey: string): void {
    this.#storage = storage;
    this.#storageKey = storageKey;
    this.#transcript.configure(storage, transcriptStorageKey(storageKey));
  }

  /** The stored thread id, if there is a sane one. */
  readThreadId(): string | null {
    const value = readKey(this.#storage, this.#storageKey);
    return value !== null && SANE_THREAD_ID.test(value) ? value : null;
  }

  /** Full or blocked storage (private mode, sandboxed iframe): the thread lives for this page only. */
  writeThreadId(threadId: string): void {
    writeKey(this.#storage, this.#storageKey, threadId);
  }

  loadTranscript(threadId: string | null): RestoredTranscript | null {
    return this.#transcript.load(threadId);
  }

  saveTranscript(threadId: string | null, messages: readonly ChatMessage[], now: number): void {
    this.#transcript.save(threadId, messages, now);
  }

  clearTranscript(): void {
    this.#transcript.clear();
  }

  saveApproval(threadId: string, approval: ApprovalMessagePart, now: number): void {
    savePendingApproval(this.#storage, this.#approvalKey(threadId), threadId, approval, now);
  }

  loadApproval(threadId: string): StoredApproval | null {
    return loadPendingApproval(this.#storage, this.#approvalKey(threadId), threadId);
  }

  clearApproval(threadId: string | null): void {
    if (threadId !== null) clearPendingApproval(this.#storage, this.#approvalKey(threadId));
  }

  /** The turn in flight (see run-storage.ts), next to the thread id's key. */
  saveRun(run: StoredRun | null): void {
    writeRun(this.#storage, `${this.#storageKey}:run`, run);
  }

  loadRun(threadId: string | null): StoredRun | null {
    return threadId === null ? null : loadRun(this.#storage, `${this.#storageKey}:run`, threadId);
  }

  #approvalKey(threadId: string): string {
    return approvalStorageKey(this.#storageKey, threadId);
  }
}
