import type { RunEvent } from './types.js';

/**
 * Encodes one v1 event as an SSE frame: `event: NAME\ndata: JSON\n\n`. JSON.stringify never emits a
 * raw newline, so one `data:` line always suffices.
 */
export function formatEvent(event: RunEvent): string {
  const { type, ...data } = event;
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `formatEvent` with an SSE `id:` line first: the event's sequence number in its run's log, which a
 * client sends back as `Last-Event-ID` to resume after it (a separate function, so
 * `events.map(formatEvent)` never takes an index for an id).
 */
export function formatEventWithId(event: RunEvent, id: number | string): string {
  return `id: ${String(id).replace(/[\r\n\0]+/g, '')}\n${formatEvent(event)}`;
}

/** An SSE comment (`: ping`) that keeps an idle stream alive without producing an event. */
export function formatComment(text = 'ping'): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
