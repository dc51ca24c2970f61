import type { RunEvent } from './types.js';

/** Options of `formatEvent`. */
export interface FormatEventOptions {
  /** The SSE `id:` (the event's sequence number in its run's log, for `Last-Event-ID`). */
  id?: number | string;
}

/**
 * Encodes one v1 event as an SSE frame: `id: N\nevent: NAME\ndata: JSON\n\n` (the `id:` line only
 * when `options.id` is given). JSON.stringify never emits a raw newline, so one `data:` line always
 * suffices. (An options object, not a bare id, so `events.map(formatEvent)` stays id-less.)
 */
export function formatEvent(event: RunEvent, options?: FormatEventOptions): string {
  const { type, ...data } = event;
  const id = typeof options === 'object' && options !== null ? options.id : undefined;
  const idLine = id === undefined ? '' : `id: ${String(id).replace(/[\r\n\0]+/g, '')}\n`;
  return `${idLine}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An SSE comment (`: ping`) that keeps an idle stream alive without producing an event. */
export function formatComment(text = 'ping'): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
