/**
 * A `stream:false` JSON run result turned into the events its stream would have carried, so callers
 * handle one shape (run-client.ts uses it for JSON replies; the backends' tests use it directly).
 */
import { buildEvent, errorInfo } from './event-build.js';
import { ProtocolError, isRecord } from './errors.js';
import type { ApprovalRequestedData, RunEvent, RunEventType, StopReason } from './types.js';
import { PROTOCOL_VERSION } from './types.js';

/** The events a stream would have carried for a `stream:false` JSON reply, so callers handle one shape. */
export function runResultEvents(result: unknown, source = 'The backend'): RunEvent[] {
  if (!isRecord(result) || typeof result['run_id'] !== 'string' || result['run_id'] === '') {
    throw new ProtocolError('invalid_response', `${source} replied with JSON that is not a v1 run result.`);
  }
  const v = typeof result['v'] === 'number' ? result['v'] : PROTOCOL_VERSION;
  const run_id = result['run_id'];
  // Each record goes through the stream decoder's checks; a broken one is left out.
  const build = (type: RunEventType, data: Record<string, unknown>): RunEvent | undefined => {
    const event = buildEvent(type, v, run_id, data);
    return typeof event === 'string' ? undefined : event;
  };
  const records = (key: string): Record<string, unknown>[] => (Array.isArray(result[key]) ? result[key].filter(isRecord) : []);
  const events = [build('run.started', { thread_id: stringOr(result['thread_id'], ''), files: result['files'] })!];
  const approvals = records('approvals').flatMap((a) => build('approval.requested', a) ?? []);
  const awaiting = new Set(approvals.map((a) => (a as ApprovalRequestedData).tool_call_id));
  for (const call of records('tool_calls')) {
    const started = build('tool_call.started', call);
    if (!started) continue;
    events.push(started);
    // A call waiting for approval has not run yet: no completion unless the backend gave an output.
    if (awaiting.has(call['tool_call_id'] as string) && !('output' in call) && call['is_error'] === undefined) continue;
    events.push(build('tool_call.completed', call)!);
  }

  const output = Array.isArray(result['output']) ? result['output'] : [];
  const text = output
    .filter(isRecord)
    .map((message) => (typeof message['content'] === 'string' ? message['content'] : ''))
    .join('');
  if (text !== '') events.push({ type: 'message.delta', v, run_id, delta: text });

  events.push(...approvals);

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
