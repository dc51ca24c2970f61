/**
 * How tool-call and approval events become parts of the assistant's message. Pure functions on the
 * parts array (never mutated: a new array comes back), so the store stays about sequencing and these
 * rules are testable on their own.
 */
import type { ApprovalDecision, ApprovalRequestedData, ToolCallCompletedData, ToolCallStartedData } from '../../protocol/types.js';
import type { ApprovalMessagePart, ChatMessage, MessagePart, ToolCallMessagePart } from '../types.js';

/**
 * Appends a text delta: to the last part when it is text, otherwise as a new text part (text after a
 * tool call or an approval starts its own part, so it renders after them, in order).
 */
export function appendText(parts: readonly MessagePart[], delta: string): { parts: MessagePart[]; partIndex: number } {
  const next = [...parts];
  const last = next[next.length - 1];
  if (last?.kind === 'text') next[next.length - 1] = { kind: 'text', text: last.text + delta };
  else next.push({ kind: 'text', text: delta });
  return { parts: next, partIndex: next.length - 1 };
}

/**
 * `tool_call.started`: a running call at the end of the message. A repeated start of the same call
 * (a continuation that runs an approved tool) updates it in place rather than showing it twice.
 */
export function startToolCall(
  parts: readonly MessagePart[],
  event: ToolCallStartedData,
): {
  parts: MessagePart[];
  call: ToolCallMessagePart;
} {
  const call: ToolCallMessagePart = {
    kind: 'tool_call',
    tool_call_id: event.tool_call_id,
    name: event.name,
    arguments: event.arguments,
    status: 'running',
  };
  if (event.display) call.display = event.display;
  const index = parts.findIndex((p) => p.kind === 'tool_call' && p.tool_call_id === event.tool_call_id);
  const next = [...parts];
  if (index >= 0) next[index] = call;
  else next.push(call);
  return { parts: next, call };
}

/**
 * `tool_call.completed`: the matching call gets its output and is done (or failed). A completion
 * without a start (a backend that only reports results) still shows, as a finished call.
 */
export function completeToolCall(
  parts: readonly MessagePart[],
  event: ToolCallCompletedData,
): {
  parts: MessagePart[];
  call: ToolCallMessagePart;
} {
  const index = parts.findIndex((p) => p.kind === 'tool_call' && p.tool_call_id === event.tool_call_id);
  const previous = index >= 0 ? (parts[index] as ToolCallMessagePart) : undefined;
  const call: ToolCallMessagePart = {
    kind: 'tool_call',
    tool_call_id: event.tool_call_id,
    name: event.name || previous?.name || '',
    arguments: previous?.arguments ?? {},
    status: event.is_error === true ? 'error' : 'done',
  };
  if ('output' in event) call.output = event.output;
  // The completion's block (with its past-tense title) wins; a completion without one keeps the start's.
  const display = event.display ?? previous?.display;
  if (display) call.display = display;
  const next = [...parts];
  if (index >= 0) next[index] = call;
  else next.push(call);
  return { parts: next, call };
}

/** `approval.requested`: a pending approval at the end of the message (once per approval id). */
export function requestApproval(
  parts: readonly MessagePart[],
  event: ApprovalRequestedData,
): {
  parts: MessagePart[];
  approval: ApprovalMessagePart;
  isNew: boolean;
} {
  const existing = parts.find((p): p is ApprovalMessagePart => p.kind === 'approval' && p.approval_id === event.approval_id);
  if (existing) return { parts: [...parts], approval: existing, isNew: false };
  const approval: ApprovalMessagePart = {
    kind: 'approval',
    run_id: event.run_id,
    approval_id: event.approval_id,
    tool_call_id: event.tool_call_id,
    name: event.name,
    arguments: event.arguments,
    status: 'pending',
  };
  if (event.reason !== undefined) approval.reason = event.reason;
  if (event.display) approval.display = event.display;
  return { parts: [...parts, approval], approval, isNew: true };
}

/** Sets an approval's status (decided, cancelled, handed to the host). */
export function updateApproval(parts: readonly MessagePart[], approvalId: string, update: (approval: ApprovalMessagePart) => ApprovalMessagePart): MessagePart[] {
  return parts.map((p) => (p.kind === 'approval' && p.approval_id === approvalId ? update(p) : p));
}

/** The status an approval takes once `decision` is sent. */
export function decidedStatus(decision: ApprovalDecision): 'approved' | 'denied' {
  return decision === 'approve' ? 'approved' : 'denied';
}

/** Every still-pending approval becomes `cancelled` (Stop, New conversation). */
export function cancelPendingApprovals(parts: readonly MessagePart[]): MessagePart[] {
  return parts.map((p) => (p.kind === 'approval' && p.status === 'pending' ? { ...p, status: 'cancelled' } : p));
}

/** The transcript's pending approval, with the message that holds it (at most one is pending). */
export function findPendingApproval(messages: readonly ChatMessage[], approvalId?: string): { message: ChatMessage; approval: ApprovalMessagePart } | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    for (const part of message.parts) {
      if (part.kind !== 'approval' || part.status !== 'pending') continue;
      if (approvalId === undefined || part.approval_id === approvalId) return { message, approval: part };
    }
  }
  return null;
}

/** True once anything of the reply arrived (text, a tool call, an approval): worth keeping. */
export function hasContent(message: ChatMessage): boolean {
  return message.parts.some((p) => p.kind !== 'text' || p.text !== '');
}
