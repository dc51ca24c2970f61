/**
 * A `stream:false` JSON run result turned into the events its stream would have carried, so callers
 * handle one shape (run-client.ts uses it for JSON replies; the backends' tests use it directly).
 */
import { displayBlock, errorInfo, storedFiles } from './event-decoder.js';
import { ProtocolError, isRecord } from './errors.js';
import type { ApprovalRecord, RunEvent, StopReason, ToolCallRecord } from './types.js';
import { PROTOCOL_VERSION } from './types.js';

/** The events a stream would have carried for a `stream:false` JSON reply, so callers handle one shape. */
export function runResultEvents(result: unknown, source = 'The backend'): RunEvent[] {
  if (!isRecord(result) || typeof result['run_id'] !== 'string' || result['run_id'] === '') {
    throw new ProtocolError('invalid_response', `${source} replied with JSON that is not a v1 run result.`);
  }
  const v = typeof result['v'] === 'number' ? result['v'] : PROTOCOL_VERSION;
  const run_id = result['run_id'];
  const events: RunEvent[] = [];
  const started: RunEvent = { type: 'run.started', v, run_id, thread_id: stringOr(result['thread_id'], '') };
  if (Array.isArray(result['files'])) started.files = storedFiles(result['files']);
  events.push(started);

  const toolCalls = arrayOf<ToolCallRecord>(result['tool_calls'], (t) => isString(t['tool_call_id']) && isString(t['name']));
  const approvals = arrayOf<ApprovalRecord>(result['approvals'], (a) => isString(a['approval_id']) && isString(a['tool_call_id']) && isString(a['name']));
  const awaiting = new Set(approvals.map((a) => a.tool_call_id));
  for (const call of toolCalls) {
    const display = displayBlock(call.display);
    events.push({ type: 'tool_call.started', v, run_id, tool_call_id: call.tool_call_id, name: call.name, arguments: call.arguments ?? {}, ...(display ? { display } : {}) });
    // A call waiting for approval has not run yet: no completion unless the backend gave an output.
    if (awaiting.has(call.tool_call_id) && !('output' in call) && call.is_error === undefined) continue;
    const completed: RunEvent = { type: 'tool_call.completed', v, run_id, tool_call_id: call.tool_call_id, name: call.name };
    if ('output' in call) completed.output = call.output;
    if (typeof call.is_error === 'boolean') completed.is_error = call.is_error;
    if (display) completed.display = display;
    events.push(completed);
  }

  const output = Array.isArray(result['output']) ? result['output'] : [];
  const text = output
    .filter(isRecord)
    .map((message) => (typeof message['content'] === 'string' ? message['content'] : ''))
    .join('');
  if (text !== '') events.push({ type: 'message.delta', v, run_id, delta: text });

  for (const approval of approvals) {
    const event: RunEvent = {
      type: 'approval.requested',
      v,
      run_id,
      approval_id: approval.approval_id,
      tool_call_id: approval.tool_call_id,
      name: approval.name,
      arguments: approval.arguments ?? {},
    };
    if (typeof approval.reason === 'string') event.reason = approval.reason;
    const display = displayBlock(approval.display);
    if (display) event.display = display;
    events.push(event);
  }

  const status = result['status'];
  if (status === 'failed') {
    events.push({ type: 'run.failed', v, run_id, error: errorInfo(result['error']) });
  } else {
    events.push({ type: 'run.completed', v, run_id, stop_reason: stopReason(result['stop_reason'], status) });
  }
  return events;
}

function stopReason(value: unknown, status: unknown): StopReason {
  if (typeof value === 'string' && value !== '') return value;
  if (status === 'awaiting_approval' || status === 'cancelled') return status;
  return 'end_turn';
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function arrayOf<T>(value: unknown, check: (item: Record<string, unknown>) => boolean): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is Record<string, unknown> => isRecord(item) && check(item)) as T[];
}
