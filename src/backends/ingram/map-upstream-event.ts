/**
 * The ONE place where the Ingram Cloud API's run envelope becomes protocol v1. If the vendor's
 * events or JSON run differ from what is assumed here, this file is the only one to change.
 *
 * Assumed upstream envelope (the guide's "Build a support agent" page shows run.started,
 * message.delta and run.completed; tool calls and approvals follow the same pattern):
 *   event: NAME   data: {"v":1,"run_id":"run_…", …fields}
 * with NAME one of run.started, message.delta, tool_call.started, tool_call.completed,
 * approval.requested, run.completed, run.failed. The guide shows no sources: a `source.added`
 * event (`{"source":{"title","url","snippet"?}}`) or a `sources` array on a JSON run is assumed and
 * passed on only with an absolute http(s) URL, bounded; an upstream without them sends none.
 */
import { errorInfo, sourceInfo, storedFiles } from '../../protocol/event-decoder.js';
import { boundedSource } from '../../protocol/source-link.js';
import { isRecord } from '../../protocol/errors.js';
import type { SseMessage } from '../../protocol/sse-parser.js';
import { PROTOCOL_VERSION, type ErrorInfo, type KnownErrorCode, type RunEvent, type SourceInfo } from '../../protocol/types.js';
import type { UpstreamRun } from './upstream-types.js';

const V = PROTOCOL_VERSION;

/**
 * The words a visitor sees for a failed run, per code: the API's own message may quote internals
 * (even the token), so it never reaches the browser. Other codes become upstream_error.
 */
const VISITOR_MESSAGES: Partial<Record<KnownErrorCode, string>> = {
  rate_limited: 'Too many messages right now. Please wait a moment and try again.',
  unavailable: 'The support service is unavailable right now. Please try again.',
  payload_too_large: 'That message is too large.',
  unsupported_media_type: 'That attachment type is not supported.',
  invalid_request: 'The support service could not handle that message.',
  upstream_error: 'The support service had a problem. Please try again.',
};

/**
 * The largest tool-call argument, tool output, approval argument or approval reason passed to the
 * browser, in characters of its JSON. Larger ones become a string: their JSON cut at this length
 * and `TRUNCATED_MARKER`. A tool that returns megabytes (a whole web page, a database dump) would
 * otherwise be held by the server, sent to every tab and kept in the widget's transcript.
 */
export const MAX_PASS_THROUGH_FIELD_CHARS = 16 * 1024;
/** Ends a field cut at `MAX_PASS_THROUGH_FIELD_CHARS`. */
export const TRUNCATED_MARKER = '… [truncated]';

/** What is done to tool and approval payloads before they reach the browser. */
export interface PassThroughOptions {
  /** Removes secrets (the client's `redact`: the API token) from any text. Default: nothing removed. */
  redact?: (text: string) => string;
  /** Default `MAX_PASS_THROUGH_FIELD_CHARS`. */
  maxFieldChars?: number;
}

/**
 * A tool or approval payload as the browser may see it: redacted through its JSON (so a secret in
 * a key or a nested string goes too) and cut to size. `undefined` stays `undefined`.
 */
export function boundPayload(value: unknown, options: PassThroughOptions | undefined): unknown {
  if (value === undefined) return undefined;
  const max = options?.maxFieldChars ?? MAX_PASS_THROUGH_FIELD_CHARS;
  const redact = options?.redact;
  if (typeof value === 'string') {
    const text = redact ? redact(value) : value;
    return text.length > max ? text.slice(0, max) + TRUNCATED_MARKER : text;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return null; // Not JSON (cannot come from a parsed event): nothing to show.
  }
  if (json === undefined) return undefined;
  const redacted = redact ? redact(json) : json;
  if (redacted !== json) {
    try {
      value = JSON.parse(redacted);
    } catch {
      // The secret's replacement broke the JSON (a secret with quotes in it): show it as text.
      value = redacted;
    }
  }
  if (redacted.length > max) return redacted.slice(0, max) + TRUNCATED_MARKER;
  return value;
}

/** Sees the API's own error of a failed run (code and message as sent: redact before logging). */
export type UpstreamFailureListener = (upstream: ErrorInfo, visitor: ErrorInfo, runId: string) => void;

/**
 * One upstream SSE event → one v1 event, or `null` to skip it (unknown name, broken data).
 * Only known fields are copied, so nothing else the API sends (such as the smith id or its
 * external_id) reaches the browser. `onFailure` sees a `run.failed`'s upstream error (for logs).
 */
export function mapUpstreamEvent(message: SseMessage, onFailure?: UpstreamFailureListener, passThrough?: PassThroughOptions): RunEvent | null {
  let d: unknown;
  try {
    d = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (!isRecord(d)) return null;
  const run_id = d['run_id'];
  if (typeof run_id !== 'string' || run_id === '') return null;
  switch (message.event) {
    case 'run.started': {
      const thread_id = d['thread_id'];
      if (typeof thread_id !== 'string') return null;
      const event: RunEvent = { type: 'run.started', v: V, run_id, thread_id };
      if (Array.isArray(d['files'])) event.files = storedFiles(d['files']);
      return event;
    }
    case 'message.delta': {
      const delta = d['delta'];
      return typeof delta === 'string' ? { type: 'message.delta', v: V, run_id, delta } : null;
    }
    case 'tool_call.started': {
      const { tool_call_id, name } = d;
      if (typeof tool_call_id !== 'string' || typeof name !== 'string') return null;
      return { type: 'tool_call.started', v: V, run_id, tool_call_id, name, arguments: boundPayload(d['arguments'] ?? {}, passThrough) };
    }
    case 'tool_call.completed': {
      const { tool_call_id, name } = d;
      if (typeof tool_call_id !== 'string' || typeof name !== 'string') return null;
      const event: RunEvent = { type: 'tool_call.completed', v: V, run_id, tool_call_id, name };
      if ('output' in d) event.output = boundPayload(d['output'], passThrough);
      if (typeof d['is_error'] === 'boolean') event.is_error = d['is_error'];
      return event;
    }
    case 'approval.requested': {
      const { approval_id, tool_call_id, name } = d;
      if (typeof approval_id !== 'string' || typeof tool_call_id !== 'string' || typeof name !== 'string') return null;
      const event: RunEvent = { type: 'approval.requested', v: V, run_id, approval_id, tool_call_id, name, arguments: boundPayload(d['arguments'] ?? {}, passThrough) };
      if (typeof d['reason'] === 'string') event.reason = boundPayload(d['reason'], passThrough) as string;
      return event;
    }
    case 'source.added': {
      const source = upstreamSource(d['source'], passThrough);
      return source ? { type: 'source.added', v: V, run_id, source } : null;
    }
    case 'run.completed': {
      const stop_reason = d['stop_reason'];
      return { type: 'run.completed', v: V, run_id, stop_reason: typeof stop_reason === 'string' ? stop_reason : 'end_turn' };
    }
    case 'run.failed':
      return { type: 'run.failed', v: V, run_id, error: visitorError(d['error'], run_id, onFailure) };
    default:
      return null;
  }
}

/**
 * A `stream:false` run → the v1 events it stands for, so the core can gather them into its one
 * JSON reply exactly as for a stream.
 */
export function eventsFromUpstreamRun(run: UpstreamRun, onFailure?: UpstreamFailureListener, passThrough?: PassThroughOptions): RunEvent[] {
  const run_id = run.id;
  const events: RunEvent[] = [];
  const started: RunEvent = { type: 'run.started', v: V, run_id, thread_id: run.thread_id };
  if (Array.isArray(run.files) && run.files.length > 0) started.files = storedFiles(run.files);
  events.push(started);
  for (const call of run.tool_calls ?? []) {
    events.push({ type: 'tool_call.started', v: V, run_id, tool_call_id: call.tool_call_id, name: call.name, arguments: boundPayload(call.arguments ?? {}, passThrough) });
    if ('output' in call || call.is_error !== undefined) {
      const done: RunEvent = { type: 'tool_call.completed', v: V, run_id, tool_call_id: call.tool_call_id, name: call.name };
      if ('output' in call) done.output = boundPayload(call.output, passThrough);
      if (typeof call.is_error === 'boolean') done.is_error = call.is_error;
      events.push(done);
    }
  }
  for (const raw of Array.isArray(run.sources) ? run.sources : []) {
    const source = upstreamSource(raw, passThrough);
    if (source) events.push({ type: 'source.added', v: V, run_id, source });
  }
  const text = (run.output ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join('');
  if (text !== '') events.push({ type: 'message.delta', v: V, run_id, delta: text });
  for (const a of run.approvals ?? []) {
    if (a.decision) continue;
    const event: RunEvent = {
      type: 'approval.requested',
      v: V,
      run_id,
      approval_id: a.approval_id,
      tool_call_id: a.tool_call_id,
      name: a.name,
      arguments: boundPayload(a.arguments ?? {}, passThrough),
    };
    if (typeof a.reason === 'string') event.reason = boundPayload(a.reason, passThrough) as string;
    events.push(event);
  }
  if (run.status === 'failed') {
    events.push({ type: 'run.failed', v: V, run_id, error: visitorError(run.error, run_id, onFailure) });
  } else {
    const stop = run.stop_reason ?? (run.status === 'cancelled' ? 'cancelled' : run.status === 'awaiting_approval' ? 'awaiting_approval' : 'end_turn');
    events.push({ type: 'run.completed', v: V, run_id, stop_reason: stop });
  }
  return events;
}

/** An upstream source as the browser may see it: well-formed, http(s), bounded, redacted. */
function upstreamSource(value: unknown, passThrough: PassThroughOptions | undefined): SourceInfo | null {
  const source = sourceInfo(value);
  if (!source) return null;
  const redact = passThrough?.redact ?? ((text: string) => text);
  return boundedSource({ title: redact(source.title), url: source.url, ...(source.snippet ? { snippet: redact(source.snippet) } : {}) });
}

function visitorError(value: unknown, runId: string, onFailure: UpstreamFailureListener | undefined): ErrorInfo {
  const upstream = errorInfo(value);
  const message = VISITOR_MESSAGES[upstream.code as KnownErrorCode];
  const visitor: ErrorInfo = message ? { code: upstream.code, message } : { code: 'upstream_error', message: VISITOR_MESSAGES.upstream_error! };
  onFailure?.(upstream, visitor, runId);
  return visitor;
}
