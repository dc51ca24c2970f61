/**
 * The fields of each v1 event, checked and copied: shared by the stream decoder (event-decoder.ts)
 * and the JSON run result (run-result.ts), so both build the same events from the same data.
 */
import { isRecord } from './errors.js';
import type { DisplayBlock, ErrorInfo, RunEvent, RunEventType, SourceInfo, StoredFileInfo } from './types.js';

type Data = Record<string, unknown>;

/**
 * The typed event of `type` from its data `d` (a decoded frame, or a record of a JSON run result),
 * with only the known fields copied; or why it is broken, for the caller to report.
 */
export function buildEvent(type: RunEventType, v: number, run_id: string, d: Data): RunEvent | string {
  switch (type) {
    case 'run.started': {
      const thread_id = d['thread_id'];
      if (typeof thread_id !== 'string') return 'it has no "thread_id"';
      const event: RunEvent = { type, v, run_id, thread_id };
      if (typeof d['smith_id'] === 'string') event.smith_id = d['smith_id'];
      if (Array.isArray(d['files'])) event.files = storedFiles(d['files']);
      return event;
    }
    case 'message.delta': {
      const delta = d['delta'];
      if (typeof delta !== 'string') return 'its "delta" is not a string';
      return { type, v, run_id, delta };
    }
    case 'tool_call.started':
    case 'tool_call.completed': {
      const { tool_call_id, name } = d;
      if (typeof tool_call_id !== 'string' || typeof name !== 'string') return 'it needs string "tool_call_id" and "name"';
      if (type === 'tool_call.started') {
        const event: RunEvent = { type, v, run_id, tool_call_id, name, arguments: d['arguments'] ?? {} };
        return withDisplay(event, d);
      }
      const event: RunEvent = { type, v, run_id, tool_call_id, name };
      if ('output' in d) event.output = d['output'];
      if (typeof d['is_error'] === 'boolean') event.is_error = d['is_error'];
      return withDisplay(event, d);
    }
    case 'approval.requested': {
      const { approval_id, tool_call_id, name } = d;
      if (typeof approval_id !== 'string' || typeof tool_call_id !== 'string' || typeof name !== 'string') {
        return 'it needs string "approval_id", "tool_call_id" and "name"';
      }
      const event: RunEvent = { type, v, run_id, approval_id, tool_call_id, name, arguments: d['arguments'] ?? {} };
      if (typeof d['reason'] === 'string') event.reason = d['reason'];
      return withDisplay(event, d);
    }
    case 'source.added': {
      const source = sourceInfo(d['source']);
      return source ? { type, v, run_id, source } : 'it needs a "source" with string "title" and "url"';
    }
    case 'run.completed': {
      const stop_reason = d['stop_reason'];
      // A completion is never dropped for a missing reason: the run is over either way.
      return { type, v, run_id, stop_reason: typeof stop_reason === 'string' ? stop_reason : 'end_turn' };
    }
    case 'run.failed':
      // Likewise a failure is kept even when its error object is garbled.
      return { type, v, run_id, error: errorInfo(d['error']) };
  }
}

/** Caps on a display block: it is a few lines for a person, never a data dump. */
const MAX_DISPLAY_FIELDS = 12;
const MAX_DISPLAY_CHARS = 500;

function displayText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text.length > MAX_DISPLAY_CHARS ? `${text.slice(0, MAX_DISPLAY_CHARS)}…` : text;
}

/**
 * The well-formed part of a display block, or `undefined` when nothing of it is usable: strings
 * only, trimmed and capped, fields without a label or value dropped. Also used on blocks restored
 * from storage, which a page may have tampered with.
 */
export function displayBlock(value: unknown): DisplayBlock | undefined {
  if (!isRecord(value)) return undefined;
  const block: DisplayBlock = {};
  const title = displayText(value['title']);
  const titleDone = displayText(value['title_done']);
  if (title) block.title = title;
  if (titleDone) block.title_done = titleDone;
  if (Array.isArray(value['fields'])) {
    const fields = [];
    for (const field of value['fields'].slice(0, MAX_DISPLAY_FIELDS)) {
      if (!isRecord(field)) continue;
      const label = displayText(field['label']);
      const text = displayText(field['value']);
      if (label && text) fields.push({ label, value: text });
    }
    if (fields.length) block.fields = fields;
  }
  return Object.keys(block).length ? block : undefined;
}

function withDisplay<E extends { display?: DisplayBlock }>(event: E, d: Data): E {
  const display = displayBlock(d['display']);
  if (display) event.display = display;
  return event;
}

/** The well-formed entries of a `files` array, with only their known fields. */
export function storedFiles(value: unknown[]): StoredFileInfo[] {
  return value.filter(isStoredFile).map(copyFile);
}

function isStoredFile(value: unknown): value is StoredFileInfo {
  return isRecord(value) && typeof value['file_id'] === 'string' && typeof value['media_type'] === 'string' && typeof value['size'] === 'number';
}

function copyFile(file: StoredFileInfo): StoredFileInfo {
  const copy: StoredFileInfo = { file_id: file.file_id, media_type: file.media_type, size: file.size };
  if (typeof file.filename === 'string') copy.filename = file.filename;
  return copy;
}

/**
 * A source's known fields, or `null` without a title and URL. The URL is kept as sent: whether it
 * is safe to link is the renderer's decision (it links `http:`/`https:` only).
 */
export function sourceInfo(value: unknown): SourceInfo | null {
  if (!isRecord(value)) return null;
  const { title, url, snippet } = value;
  if (typeof title !== 'string' || typeof url !== 'string' || title.trim() === '' || url === '') return null;
  const source: SourceInfo = { title, url };
  if (typeof snippet === 'string' && snippet !== '') source.snippet = snippet;
  return source;
}

/** A well-formed `{code, message}` from whatever a backend sent. */
export function errorInfo(value: unknown): ErrorInfo {
  const record = isRecord(value) ? value : {};
  const code = typeof record['code'] === 'string' && record['code'] !== '' ? record['code'] : 'upstream_error';
  const message = typeof record['message'] === 'string' && record['message'] !== '' ? record['message'] : 'The run failed.';
  return { code, message };
}
