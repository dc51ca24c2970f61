/**
 * The reducer over protocol events: how one `RunEvent` changes the transcript and the status. Pure:
 * no store, no storage, no clock. It also returns what it worked out that the store needs to
 * announce the event (the part a delta went to, the tool call or approval it made). One handler per
 * event type, in a table typed by the `RunEvent` union, so a new event type in src/protocol is a
 * compile error here until it is handled (test/api/run-reducer-exhaustive.test.ts proves it).
 */
import type { RunEvent } from '../../protocol/types.js';
import { withFileIds } from '../attachments/attachment-draft.js';
import type { ApprovalMessagePart, ChatMessage, ChatStatus, ToolCallMessagePart } from '../types.js';
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

export interface RunStep {
  messages: readonly ChatMessage[];
  status: ChatStatus;
  /** The keys to announce with `change` (none for a plain delta: the message appends it itself). */
  changes: ChangeKey[];
  /** `message.delta`: the text part it was appended to (absent for an empty delta). */
  partIndex?: number;
  /** `tool_call.*`: the call as it now stands. */
  toolCall?: ToolCallMessagePart;
  /** `approval.requested`: the new pending approval (absent when it was already there). */
  approval?: ApprovalMessagePart;
}

/** One handler per event type of the union `E`: a type missing from the table does not compile. */
export type RunEventHandlers<E extends { type: string } = RunEvent> = {
  readonly [K in E['type']]: (state: RunState, event: Extract<E, { type: K }>) => RunStep;
};

/** `messages` with the message `id` replaced by `update(message)`, and the updated message. */
export function updateMessage(
  messages: readonly ChatMessage[],
  id: string,
  update: (message: ChatMessage) => ChatMessage,
): [messages: readonly ChatMessage[], updated: ChatMessage | undefined] {
  let updated: ChatMessage | undefined;
  return [messages.map((m) => (m.id === id ? (updated = update(m)) : m)), updated];
}

/** The first sign of a reply (or of a reconnected one) ends the wait: `streaming` (and is announced). */
/** A step that changes nothing. */
const unchanged = (state: RunState): RunStep => ({ messages: state.messages, status: state.status, changes: [] });

function streaming(state: RunState, step: RunStep): RunStep {
  if (state.status === 'sending' || state.status === 'reconnecting') {
    step.status = 'streaming';
    step.changes.push('status');
  }
  return step;
}

/** The run's message, changed by `update` (which may report what it made through its closure). */
function inMessage(state: RunState, update: (message: ChatMessage) => ChatMessage, changes: ChangeKey[]): RunStep {
  return { messages: updateMessage(state.messages, state.messageId, update)[0], status: state.status, changes };
}

function toolCall(state: RunState, apply: (message: ChatMessage) => { parts: ChatMessage['parts']; call: ToolCallMessagePart }): RunStep {
  let call: ToolCallMessagePart | undefined;
  const step = inMessage(
    state,
    (m) => {
      const result = apply(m);
      call = result.call;
      return { ...m, parts: result.parts };
    },
    ['messages'],
  );
  step.toolCall = call;
  return streaming(state, step);
}

export const runEventHandlers: RunEventHandlers = {
  'run.started'(state, event) {
    const step = inMessage(state, (m) => ({ ...m, run_id: event.run_id }), ['messages', 'status']);
    // The backend lists the stored files in the order sent: the transcript links them by id.
    [step.messages] = updateMessage(step.messages, state.userMessageId, (m) => ({
      ...m,
      run_id: event.run_id,
      ...(m.attachments && event.files ? { attachments: withFileIds(m.attachments, event.files) } : {}),
    }));
    step.status = 'streaming';
    return step;
  },

  'message.delta'(state, event) {
    if (event.delta === '') return unchanged(state);
    let partIndex = 0;
    let newPart = false;
    const step = inMessage(
      state,
      (m) => {
        const result = appendText(m.parts, event.delta);
        partIndex = result.partIndex;
        newPart = result.parts.length !== m.parts.length;
        return { ...m, parts: result.parts };
      },
      [],
    );
    // Text after a tool call or an approval is a new part: the message must render its target.
    if (newPart && partIndex > 0) step.changes.push('messages');
    step.partIndex = partIndex;
    return streaming(state, step);
  },

  'source.added'(state, event) {
    const { url } = event.source;
    // A source cited twice (two sections of one article) is listed once.
    const step = inMessage(state, (m) => (m.sources?.some((s) => s.url === url) ? m : { ...m, sources: [...(m.sources ?? []), event.source] }), ['messages']);
    return streaming(state, step);
  },

  'run.completed'(state, event) {
    const status = event.stop_reason === 'cancelled' ? 'stopped' : 'complete';
    return inMessage(state, (m) => ({ ...m, status }), ['messages']);
  },

  'run.failed'(state) {
    // The failure itself (status, error, Retry) is the store's: it depends on the turn, not the event.
    return unchanged(state);
  },

  'tool_call.started'(state, event) {
    return toolCall(state, (m) => startToolCall(m.parts, event));
  },

  'tool_call.completed'(state, event) {
    return toolCall(state, (m) => completeToolCall(m.parts, event));
  },

  'approval.requested'(state, event) {
    let approval: ApprovalMessagePart | undefined;
    const step = inMessage(
      state,
      (m) => {
        const result = requestApproval(m.parts, event);
        if (result.isNew) approval = result.approval;
        return result.isNew ? { ...m, parts: result.parts } : m;
      },
      ['messages'],
    );
    // A repeated request for the same approval changes nothing.
    if (!approval) return unchanged(state);
    step.approval = approval;
    return step;
  },
};

/** Applies one event to the run's state. */
export function reduceRunEvent(state: RunState, event: RunEvent): RunStep {
  const handler = runEventHandlers[event.type] as ((state: RunState, event: RunEvent) => RunStep) | undefined;
  // The decoder drops unknown event types; a transport that passes one through changes nothing.
  return handler ? handler(state, event) : unchanged(state);
}
