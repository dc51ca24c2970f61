/**
 * The turn in flight, kept next to the transcript so a reload mid-reply can pick its run up again
 * (or, when the backend cannot, offer Retry with the question kept). Written when a turn is sent and
 * when its run id is known, removed when the run ends; anything unreadable is ignored and removed.
 */
import type { KeyValueStorage } from '../types.js';

export interface StoredRun {
  v: 1;
  thread_id: string;
  /** Absent until `run.started` arrived. */
  run_id?: string;
  /** The reply's message and the question's, in the stored transcript. */
  message_id: string;
  user_message_id: string;
  /** The question's text, sent again by Retry when the run cannot be resumed. */
  text: string;
  /** The turn's `Idempotency-Key`. */
  key?: string;
}

/** The key of the run in flight, next to the endpoint's thread-id key. */
export function runStorageKey(threadStorageKey: string): string {
  return `${threadStorageKey}:run`;
}

export function saveRun(storage: KeyValueStorage | null, key: string, run: StoredRun): void {
  try {
    storage?.setItem(key, JSON.stringify(run));
  } catch {
    // Storage full or blocked: a reload then shows the reply interrupted, as before.
  }
}

export function clearRun(storage: KeyValueStorage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Blocked storage: nothing was stored either.
  }
}

/** The stored run of `threadId`, if there is a well-formed one. */
export function loadRun(storage: KeyValueStorage | null, key: string, threadId: string): StoredRun | null {
  let value: Partial<StoredRun> | null = null;
  try {
    const raw = storage?.getItem(key) ?? null;
    value = raw === null ? null : (JSON.parse(raw) as Partial<StoredRun> | null);
  } catch {
    value = null;
  }
  if (value === null) return null;
  const ok =
    typeof value === 'object' &&
    value.v === 1 &&
    typeof value.thread_id === 'string' &&
    typeof value.message_id === 'string' &&
    typeof value.user_message_id === 'string' &&
    typeof value.text === 'string' &&
    (value.run_id === undefined || typeof value.run_id === 'string') &&
    (value.key === undefined || typeof value.key === 'string');
  if (!ok) {
    clearRun(storage, key);
    return null;
  }
  return value.thread_id === threadId ? (value as StoredRun) : null;
}
