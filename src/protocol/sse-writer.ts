import type { RunEvent } from './types.js';

/**
 * Encodes one v1 event as an SSE frame: `event: NAME\ndata: JSON\n\n`.
 * JSON.stringify never emits a raw newline, so one `data:` line always suffices.
 */
export function formatEvent(event: RunEvent): string {
  const { type, ...data } = event;
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An SSE comment (`: ping`) that keeps an idle stream alive without producing an event. */
export function formatComment(text = 'ping'): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
