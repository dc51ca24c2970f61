/**
 * The reducer over protocol events: how one `RunEvent` changes the transcript and the status, and
 * what the store must do about it (an `effect`: an event to fire, a run to finish). Pure: no store,
 * no storage, no clock. One handler per event type, in a table typed by the `RunEvent` union, so a
 * new event type in src/protocol is a compile error here until it is handled
 * (test/api/run-reducer-exhaustive.test.ts proves it).
 */
import type { RunEvent, StopReason } from '../../protocol/types.js';
import { withFileIds } from '../attachments/attachment-draft.js';
import type { ApprovalMessagePart, ChatError, ChatMessage, ChatStatus, ToolCallMessagePart } from '../types.js';
import { appendText, completeToolCall, requestApproval, startToolCall } from './run-events.js';
import type { ChangeKey } from './store-types.js';

/** What the reducer reads: the transcript, the status and which messages the run writes to. */
export interface RunState {
  readonly messages: readonly ChatMessage[];
  readonly status: ChatStatus;
  /** The assistant message the run streams into, and the visitor's message it answers. */
  readonly messageId: string;
  readonly userMessageId: string;
}

/** What the store does after an event, besides taking the new messages and status. */
export type RunEffect =
  | { kind: 'started'; runId: string; threadId: string }
  | { kind: 'delta'; partIndex: number; delta: string }
  | { kind: 'completed'; stopReason: StopReason }
  | { kind: 'failed'; error: ChatError }
  | { kind: 'tool-call'; phase: 'started' | 'completed'; toolCall: ToolCallMessagePart; runId: string }
  | { kind: 'approval-requested'; approval: ApprovalMessagePart }
  | { kind: 'none' };

export interface RunStep {
  messages: readonly ChatMessage[];
  status: ChatStatus;
  /** The keys to announce with `change` (none for a plain delta: the message appends it itself). */
  changes: ChangeKey[];
  effect: RunEffect;
}

/** One handler per event type of the union `E`: a type missing from the table does not compile. */
export type RunEventHandlers<E extends { type: string } = RunEvent> = {
  readonly [K in E['type']]: (state: RunState, event: Extract<E, { type: K }>) => RunStep;
};

/** `messages` with the message `id` replaced by `update(message)`, and the updated message. */
function updateMessage(
  messages: readonly ChatMessage[],
  id: string,
  update: (message: ChatMessage) => ChatMessage,
): { messages: readonly ChatMessage[]; updated: ChatMessage | undefined } {
  let updated: ChatMessage | undefined;
  const next = messages.map((m) => (m.id === id ? (updated = update(m)) : m));
  return { messages: next, updated };
}

/** The first sign of a reply ends the wait: `sending` becomes `streaming`. */
function streamingFrom(status: ChatStatus): ChatStatus {
  return status === 'sending' ? 'streaming' : status;
}

export const runEventHandlers: RunEventHandlers = {
  'run.started'(state, event) {
    let { messages } = updateMessage(state.messages, state.messageId, (m) => ({ ...m, run_id: event.run_id }));
    // The backend lists the stored files in the order sent: the transcript links them by id.
    ({ messages } = updateMessage(messages, state.userMessageId, (m) => ({
      ...m,
      run_id: event.run_id,
      ...(m.attachments && event.files ? { attachments: withFileIds(m.attachments, event.files) } : {}),
    })));
    return { messages, status: 'streaming', changes: ['messages', 'status'], effect: { kind: 'started', runId: event.run_id, threadId: event.thread_id } };
  },

  'message.delta'(state, event) {
    if (event.delta === '') return { messages: state.messages, status: state.status, changes: [], effect: { kind: 'none' } };
    let partIndex = 0;
    let newPart = false;
    const { messages } = updateMessage(state.messages, state.messageId, (m) => {
      const result = appendText(m.parts, event.delta);
      partIndex = result.partIndex;
      newPart = result.parts.length !== m.parts.length;
      return { ...m, parts: result.parts };
    });
    const status = streamingFrom(state.status);
    const changes: ChangeKey[] = [];
    // Text after a tool call or an approval is a new part: the message must render its target.
    if (newPart && partIndex > 0) changes.push('messages');
    if (status !== state.status) changes.push('status');
    return { messages, status, changes, effect: { kind: 'delta', partIndex, delta: event.delta } };
  },

  'run.completed'(state, event) {
    const status = event.stop_reason === 'cancelled' ? 'stopped' : 'complete';
    const { messages } = updateMessage(state.messages, state.messageId, (m) => ({ ...m, status }));
    return { messages, status: state.status, changes: ['messages'], effect: { kind: 'completed', stopReason: event.stop_reason } };
  },

  'run.failed'(state, event) {
    return { messages: state.messages, status: state.status, changes: [], effect: { kind: 'failed', error: { code: event.error.code, message: event.error.message } } };
  },

  'tool_call.started'(state, event) {
    return toolCallStep(state, event.run_id, 'started', (m) => startToolCall(m.parts, event));
  },

  'tool_call.completed'(state, event) {
    return toolCallStep(state, event.run_id, 'completed', (m) => completeToolCall(m.parts, event));
  },

  'approval.requested'(state, event) {
    let approval: ApprovalMessagePart | undefined;
    const { messages } = updateMessage(state.messages, state.messageId, (m) => {
      const result = requestApproval(m.parts, event);
      if (result.isNew) approval = result.approval;
      return result.isNew ? { ...m, parts: result.parts } : m;
    });
    // A repeated request for the same approval changes nothing.
    if (!approval) return { messages: state.messages, status: state.status, changes: [], effect: { kind: 'none' } };
    return { messages, status: state.status, changes: ['messages'], effect: { kind: 'approval-requested', approval } };
  },
};

function toolCallStep(
  state: RunState,
  runId: string,
  phase: 'started' | 'completed',
  apply: (message: ChatMessage) => { parts: ChatMessage['parts']; call: ToolCallMessagePart },
): RunStep {
  let call: ToolCallMessagePart | undefined;
  const { messages } = updateMessage(state.messages, state.messageId, (m) => {
    const result = apply(m);
    call = result.call;
    return { ...m, parts: result.parts };
  });
  const status = streamingFrom(state.status);
  const changes: ChangeKey[] = status !== state.status ? ['messages', 'status'] : ['messages'];
  return { messages, status, changes, effect: call ? { kind: 'tool-call', phase, toolCall: call, runId } : { kind: 'none' } };
}

/** Applies one event to the run's state. */
export function reduceRunEvent(state: RunState, event: RunEvent): RunStep {
  const handler = runEventHandlers[event.type] as ((state: RunState, event: RunEvent) => RunStep) | undefined;
  // The decoder drops unknown event types; a transport that passes one through changes nothing.
  return handler ? handler(state, event) : { messages: state.messages, status: state.status, changes: [], effect: { kind: 'none' } };
}
