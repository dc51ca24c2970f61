/**
 * What the store does with each event of a run (the reducer computes the new transcript; this
 * announces it, pauses for approvals, keeps the run's id) and with a run that failed.
 */
import type { RunEvent } from '../../protocol/types.js';
import type { ChatError } from '../types.js';
import { hasContent } from './run-events.js';
import { reduceRunEvent } from './run-reducer.js';
import { announceApproval, pauseForApproval } from './chat-approvals.js';
import { saveRun } from './chat-resume.js';
import type { StoreCore } from './store-core.js';
import type { ActiveRun, ChangeKey } from './store-types.js';

const CUT_OFF_CODES: ReadonlySet<string> = new Set(['interrupted', 'network_error', 'timeout', 'upstream_timeout', 'run_timeout']);

/** One event of the run: the reducer computes the new state, the store announces it. */
export function applyRunEvent(c: StoreCore, run: ActiveRun, event: RunEvent): void {
  const step = reduceRunEvent({ messages: c.messages, status: c.status, messageId: run.messageId, userMessageId: run.userMessageId }, event);
  c.messages = step.messages;
  c.status = step.status;
  const { changes, toolCall, approval } = step;
  // Deltas and repeated approvals change nothing that is not drawn already: no `change` then.
  if (changes.length && event.type !== 'run.completed') c.changed(...changes);
  switch (event.type) {
    case 'run.started':
      // A run replayed from its start (a resume) has started already.
      if (run.runId === event.run_id) break;
      run.runId = event.run_id;
      saveRun(c, run);
      c.emit('run-start', { runId: event.run_id, threadId: c.threadId ?? event.thread_id, messageId: run.messageId });
      break;
    case 'message.delta':
      // Deltas do not emit `change`: the message appends them itself, the rest does not re-render.
      if (step.partIndex !== undefined) c.emit('delta', { messageId: run.messageId, partIndex: step.partIndex, delta: event.delta });
      break;
    case 'run.completed': {
      if (event.stop_reason === 'awaiting_approval' && pauseForApproval(c, run)) break;
      run.finished = true;
      const message = c.messages.find((m) => m.id === run.messageId);
      c.finish(run, ...changes);
      if (message) c.emit('run-complete', { runId: run.runId, stopReason: event.stop_reason, message });
      break;
    }
    case 'run.failed':
      run.finished = true;
      failRun(c, run, { code: event.error.code, message: event.error.message });
      break;
    case 'tool_call.started':
    case 'tool_call.completed':
      if (toolCall) c.emit('tool-call', { phase: event.type === 'tool_call.started' ? 'started' : 'completed', toolCall, runId: event.run_id, messageId: run.messageId });
      break;
    case 'approval.requested':
      if (!approval) break;
      if (c.threadId !== null) c.persistence.saveApproval(c.threadId, approval, c.now());
      announceApproval(c, run.messageId, approval, false);
      break;
  }
}

/**
 * Marks the run's message failed and keeps what arrived. A turn the backend never took goes back
 * into the composer (text and files); one it took stays in the transcript, with Retry, and the
 * composer is left alone (refilling it would send the question again with whatever is typed next).
 */
export function failRun(c: StoreCore, run: ActiveRun, error: ChatError): void {
  run.finished = true;
  if (error.retryAfterMs !== undefined && error.retryAt === undefined) error = { ...error, retryAt: c.now() + error.retryAfterMs };
  // Cut off, not refused: what arrived is kept and marked interrupted (the server ran out of time
  // on its side too for upstream_timeout and run_timeout).
  const cutOff = CUT_OFF_CODES.has(error.code);
  const message = c.updateMessage(run.messageId, (m) => ({
    ...m,
    status: hasContent(m) && cutOff ? 'interrupted' : 'error',
    error,
  }));
  // No reply at all: the question says so on its own bubble for as long as it is shown.
  if (message && !hasContent(message) && run.userMessageId) c.updateMessage(run.userMessageId, (m) => ({ ...m, undelivered: true }));
  // Nothing the visitor typed is lost: an empty composer gets the text of a turn the backend never took…
  const restoreDraft = !run.accepted && run.text !== '' && c.draft.trim() === '';
  c.failed = {
    userMessageId: run.userMessageId,
    messageId: run.messageId,
    input: run.input,
    text: run.text,
    accepted: run.accepted,
    draftRestored: restoreDraft,
    // Internal state, never shown: a key that is undefined reads as one that is absent.
    runId: run.runId,
    continuation: run.continuation,
    idempotencyKey: run.idempotencyKey,
    retryAt: error.retryAt,
  };
  // A silent stream may still be generating server-side: ask the backend to stop it.
  if (error.code === 'timeout') c.cancelRemote(run.runId);
  const changes: ChangeKey[] = ['messages'];
  if (restoreDraft) {
    c.draft = run.text;
    changes.push('draft');
  }
  // …and its files, when the composer holds none.
  const files = run.accepted ? undefined : c.turnFiles.get(run.userMessageId);
  if (files) c.attachments.restore(files);
  c.finish(run, ...changes);
  c.emit('error', { error, phase: 'run', ...(message ? { messageId: message.id } : {}) });
}
