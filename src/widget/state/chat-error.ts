/** Turns whatever a transport or the runner threw into a `ChatError` the transcript can show. */
import type { ChatError } from '../types.js';

/** Any thrown value as a `ChatError` the transcript can show. */
export function toChatError(error: unknown): ChatError {
  if (typeof error === 'object' && error !== null) {
    const record = error as { code?: unknown; message?: unknown; retryAfterMs?: unknown; name?: unknown };
    if (typeof record.code === 'string') {
      const result: ChatError = { code: record.code, message: typeof record.message === 'string' ? record.message : '' };
      if (typeof record.retryAfterMs === 'number') result.retryAfterMs = record.retryAfterMs;
      return result;
    }
    if (record.name === 'TypeError') return { code: 'network_error', message: String(record.message ?? '') };
    if (typeof record.message === 'string') return { code: 'internal_error', message: record.message };
  }
  return { code: 'internal_error', message: String(error) };
}
