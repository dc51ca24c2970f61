import { PROTOCOL_VERSION, type ApprovalRecord, type RunEvent, type RunResult, type ToolCallRecord } from '../../protocol/types.js';
import { toErrorInfo } from './support-error.js';

/**
 * Gathers a run's events into the one JSON reply of `stream:false`. A backend error part-way is
 * kept as `status: "failed"` with the text produced so far, as a `run.failed` event would be.
 */
export async function collectRunResult(events: AsyncIterable<RunEvent>, defaults: { thread_id: string; run_id?: string }, onError?: (err: unknown) => void): Promise<RunResult> {
  const result: RunResult = {
    v: PROTOCOL_VERSION,
    run_id: defaults.run_id ?? '',
    thread_id: defaults.thread_id,
    status: 'failed',
    stop_reason: null,
    output: [],
    tool_calls: [],
    approvals: [],
  };
  let text = '';
  let finished = false;
  const toolCalls = new Map<string, ToolCallRecord>();
  const approvals: ApprovalRecord[] = [];

  try {
    for await (const event of events) {
      if (!result.run_id && event.run_id) result.run_id = event.run_id;
      switch (event.type) {
        case 'run.started':
          result.run_id = event.run_id;
          result.thread_id = event.thread_id || result.thread_id;
          if (event.files) result.files = event.files;
          break;
        case 'message.delta':
          text += event.delta;
          break;
        case 'tool_call.started':
          toolCalls.set(event.tool_call_id, {
            tool_call_id: event.tool_call_id,
            name: event.name,
            arguments: event.arguments,
            ...(event.display ? { display: event.display } : {}),
          });
          break;
        case 'tool_call.completed': {
          const call = toolCalls.get(event.tool_call_id) ?? {
            tool_call_id: event.tool_call_id,
            name: event.name,
            arguments: null,
          };
          if (event.output !== undefined) call.output = event.output;
          if (event.is_error !== undefined) call.is_error = event.is_error;
          // The completion's block has the past-tense title too: it supersedes the start's.
          if (event.display) call.display = event.display;
          toolCalls.set(event.tool_call_id, call);
          break;
        }
        case 'approval.requested': {
          const record: ApprovalRecord = {
            approval_id: event.approval_id,
            tool_call_id: event.tool_call_id,
            name: event.name,
            arguments: event.arguments,
          };
          if (event.reason !== undefined) record.reason = event.reason;
          if (event.display) record.display = event.display;
          approvals.push(record);
          break;
        }
        case 'run.completed':
          finished = true;
          result.stop_reason = event.stop_reason;
          result.status = event.stop_reason === 'awaiting_approval' || event.stop_reason === 'cancelled' ? event.stop_reason : 'completed';
          break;
        case 'run.failed':
          finished = true;
          result.status = 'failed';
          result.error = event.error;
          break;
      }
    }
    if (!finished) {
      result.error = { code: 'upstream_error', message: 'The run ended without completing.' };
    }
  } catch (err) {
    onError?.(err);
    result.status = 'failed';
    result.error = toErrorInfo(err);
  }
  result.output = [{ role: 'assistant', content: text }];
  result.tool_calls = [...toolCalls.values()];
  result.approvals = approvals;
  return result;
}
