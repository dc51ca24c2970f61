/**
 * Approvals on the store: a run that pauses for one, the cancelable `approval-request`, the visitor's
 * or the host's decision (chat-decide.ts, loaded with the approval card), Stop while one waits, and
 * the pending approval shown again after a reload.
 */
import type { ApprovalMessagePart, ChatMessage } from '../types.js';
import { cancelPendingApprovals, findPendingApproval, updateApproval } from './run-events.js';
import { approvalPartFrom } from './approval-storage.js';
import type { StoreCore } from './store-core.js';
import type { ActiveRun } from './store-types.js';
import { lazyState } from './run-runner.js';

/**
 * `run.completed` with `awaiting_approval`: the run pauses. The message is complete for now, the
 * composer locks until a decision (or Stop), and the continuation later streams into the same message.
 */
export function pauseForApproval(c: StoreCore, run: ActiveRun): boolean {
  const message = c.messages.find((m) => m.id === run.messageId);
  const pending = message ? findPendingApproval([message]) : null;
  if (!message || !pending || run.runId === undefined) return false;
  run.finished = true;
  c.active = null;
  c.awaiting = { runId: run.runId, messageId: run.messageId, userMessageId: run.userMessageId, input: run.input, text: run.text, cursor: run.cursor };
  c.persistence.saveRun(null);
  const updated = c.updateMessage(run.messageId, (m) => ({ ...m, status: 'complete' }));
  c.status = 'awaiting_approval';
  c.changed('messages', 'status');
  if (updated) c.emit('run-complete', { runId: run.runId, stopReason: 'awaiting_approval', message: updated });
  const queued = run.queuedDecision;
  if (queued) void lazyState().then((m) => m.decideApproval(c, queued.approvalId, queued.decision));
  return true;
}

/** Fires the cancelable `approval-request`; a host that cancels it decides itself (no buttons). */
export function announceApproval(c: StoreCore, messageId: string, approval: ApprovalMessagePart, restored: boolean): void {
  const hostDecides = !c.emit('approval-request', { approval, messageId, restored }, true);
  if (hostDecides === (approval.host_decides === true)) return;
  c.updateMessage(messageId, (m) => ({
    ...m,
    parts: updateApproval(m.parts, approval.approval_id, ({ host_decides: _previous, ...a }) => (hostDecides ? { ...a, host_decides: true } : a)),
  }));
  c.changed('messages');
}

/** Stop while an approval waits: the run is cancelled and the approval can no longer be decided. */
export function cancelAwaitingApproval(c: StoreCore): void {
  const awaiting = c.awaiting;
  if (!awaiting) return;
  c.awaiting = null;
  c.persistence.clearApproval(c.threadId);
  const message = c.updateMessage(awaiting.messageId, (m) => ({ ...m, status: 'stopped', parts: cancelPendingApprovals(m.parts) }));
  c.status = 'idle';
  c.changed('messages', 'status');
  c.cancelRemote(awaiting.runId);
  if (message) c.emit('run-complete', { runId: awaiting.runId, stopReason: 'cancelled', message });
}

/** After a reload: shows the thread's stored pending approval again, ready to be decided. */
export function restorePendingApproval(c: StoreCore): void {
  if (c.active || c.awaiting || c.threadId === null) return;
  const record = c.persistence.loadApproval(c.threadId);
  if (!record) return;
  const known = c.messages.flatMap((m) => m.parts).find((p) => p.kind === 'approval' && p.approval_id === record.approval_id);
  if (known && known.kind === 'approval' && known.status !== 'pending') {
    c.persistence.clearApproval(c.threadId); // a restored transcript already shows it decided
    return;
  }
  let found = findPendingApproval(c.messages, record.approval_id);
  if (!found) {
    const approval = approvalPartFrom(record);
    const message: ChatMessage = { ...c.newMessage('assistant', 'complete', [approval]), run_id: record.run_id };
    c.messages = [...c.messages, message];
    found = { message, approval };
  }
  c.awaiting = { runId: record.run_id, messageId: found.message.id, userMessageId: '', input: [], text: '' };
  c.status = 'awaiting_approval';
  c.changed('messages', 'status');
  announceApproval(c, found.message.id, found.approval, true);
}
