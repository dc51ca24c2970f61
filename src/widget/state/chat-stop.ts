/** Ending things: Stop (the reply streaming, or the approval waiting) and a new conversation. */
import { cancelAwaitingApproval } from './chat-approvals.js';
import { failRun } from './run-apply.js';
import { createThreadId } from './thread-id.js';
import type { StoreCore } from './store-core.js';
import { lazyState } from './run-runner.js';

/** `ChatStore.stop`. */
export function stop(c: StoreCore): void {
  const run = c.active;
  if (!run) {
    cancelAwaitingApproval(c);
    return;
  }
  if (c.status === 'offline') {
    // Nothing was sent yet: fail the turn so its text goes back into the composer, with Retry.
    failRun(c, run, { code: 'offline', message: 'The turn was stopped while waiting for the connection.' });
    run.controller.abort();
    return;
  }
  c.active = null;
  c.persistence.saveRun(null);
  run.controller.abort();
  const message = c.updateMessage(run.messageId, (m) => ({ ...m, status: 'stopped' }));
  c.status = 'idle';
  c.changed('messages', 'status');
  c.cancelRemote(run.runId);
  if (message) c.emit('run-complete', { runId: run.runId, stopReason: 'cancelled', message });
}

/** `ChatStore.newConversation`. */
export function newConversation(c: StoreCore): void {
  clearConversation(c);
  c.setThreadId(createThreadId(c.random), 'new-conversation', true);
}

/**
 * Ends whatever runs and empties the transcript, the conversation moving to "Previous
 * conversations" first (in this browser, unless the backend keeps the signed-in visitor's list).
 */
export function clearConversation(c: StoreCore): void {
  // Its own chunk (shared with the list view): the main file only captures what to keep.
  const [storage, key, threadId, messages, now] = [c.persistence.storage, c.persistence.storageKey, c.threadId, c.messages, c.now()];
  if (!c.session?.features?.threads && messages.length) void lazyState().then((m) => m.archiveThread(storage, key, threadId, messages, now));
  if (c.awaiting) {
    const runId = c.awaiting.runId;
    c.awaiting = null;
    c.cancelRemote(runId);
  }
  c.persistence.clearApproval(c.threadId);
  c.restoredAt = null;
  c.persistence.clearTranscript();
  c.persistence.saveRun(null);
  const run = c.active;
  if (run) {
    c.active = null;
    run.controller.abort();
    c.cancelRemote(run.runId);
  }
  c.failed = null;
  c.messages = [];
  c.turnFiles.clear();
  c.attachments.releaseSent();
  c.status = 'idle';
  c.changed('messages', 'status');
}
