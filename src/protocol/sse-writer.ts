import type { RunEvent } from './types.js';

/**
 * Encodes one v1 event as an SSE frame: `id: N\nevent: NAME\ndata: JSON\n\n` (`id` only when given:
 * the event's sequence number in its run's log, for `Last-Event-ID`). JSON.stringify never emits a
 * raw newline, so one `data:` line always suffices.
 */
export function formatEvent(event: RunEvent, id?: number | string): string {
  const { type, ...data } = event;
  const idLine = id === undefined ? '' : `id: ${String(id).replace(/[\r\n\0]+/g, '')}\n`;
  return `${idLine}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An SSE comment (`: ping`) that keeps an idle stream alive without producing an event. */
export function formatComment(text = 'ping'): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
