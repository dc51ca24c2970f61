/**
 * The turn in flight, kept next to the transcript so a reload mid-reply can pick its run up again
 * (or, when the backend cannot, offer Retry with the question kept). Written when a turn is sent and
 * when its run id is known, removed when the run ends; anything unreadable reads as none.
 */
import type { KeyValueStorage } from '../types.js';
import { readKey, writeKey } from './storage-access.js';

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

/** Stores `run`, or with `null` forgets it. Storage full or blocked: a reload then shows the reply interrupted, as before. */
export function writeRun(storage: KeyValueStorage | null, key: string, run: StoredRun | null): void {
  writeKey(storage, key, run && JSON.stringify(run));
}

/** The stored run of `threadId`, if there is a well-formed one. */
export function loadRun(storage: KeyValueStorage | null, key: string, threadId: string): StoredRun | null {
  try {
    const run = JSON.parse(readKey(storage, key) ?? 'null') as StoredRun | null;
    const strings = [run?.message_id, run?.user_message_id, run?.text, run?.run_id ?? '', run?.key ?? ''];
    if (run?.v === 1 && run.thread_id === threadId && strings.every((s) => typeof s === 'string')) return run;
  } catch {
    // Unreadable: none.
  }
  return null;
}
