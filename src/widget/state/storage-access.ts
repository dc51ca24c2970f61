/**
 * Reads and writes of the page's storage that never throw: a storage may be full, blocked (private
 * mode, a sandboxed iframe) or absent, and then the conversation simply lives for this page only.
 */
import type { KeyValueStorage } from '../types.js';

/** The key's value; `null` when it is absent or the storage cannot be read. */
export function readKey(storage: KeyValueStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Stores `value` under the key, or removes the key for `null`; a failure is ignored. */
export function writeKey(storage: KeyValueStorage | null, key: string, value: string | null): void {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // Quota exceeded or storage blocked: nothing more to do.
  }
}
