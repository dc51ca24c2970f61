/**
 * The visitor's or the host's decision on an approval, which continues the run into the same
 * message. On demand: the approval card's chunk (tool-ui.ts) imports it, so it is loaded before the
 * first decision can be made; a host deciding itself waits for one small fetch.
 */
import type { ApprovalDecision } from '../../protocol/types.js';
import { continueRun } from './chat-send.js';
import { decidedStatus, findPendingApproval, updateApproval } from './run-events.js';
import type { StoreCore } from './store-core.js';

/** `ChatStore.decideApproval`: sends the decision and streams the continuation into the same message. */
export async function decideApproval(c: StoreCore, approvalId: string, decision: ApprovalDecision): Promise<boolean> {
  if (decision !== 'approve' && decision !== 'deny') return false;
  const found = findPendingApproval(c.messages, approvalId);
  if (!found) return false;
  const run = c.active;
  if (run) {
    // The run that asked has not paused yet: decide as soon as it does.
    if (run.messageId !== found.message.id || run.queuedDecision) return false;
    run.queuedDecision = { approvalId, decision };
    return true;
  }
  const awaiting = c.awaiting;
  c.awaiting = null;
  c.persistence.clearApproval(c.threadId);
  c.updateMessage(found.message.id, (m) => ({
    ...m,
    parts: updateApproval(m.parts, approvalId, (a) => ({ ...a, status: decidedStatus(decision) })),
  }));
  const turn = awaiting ?? { userMessageId: '', input: [], text: '' };
  return continueRun(c, found.message.id, found.approval.run_id, { approvalId, decision }, turn, undefined, awaiting?.cursor);
}
