/**
 * Resumable runs on the store (issue 15): the turn in flight kept in storage for a reload to pick up,
 * a run replayed from its start into a fresh message, and the pick-up after a reload (the plan itself
 * is in run-resume.ts, loaded only when there is something to resume).
 */
import type { StoreCore } from './store-core.js';
import type { ActiveRun } from './store-types.js';
import { lazyState } from './run-runner.js';

/** Keeps the turn in flight (and the transcript with its question) for a reload to pick up. */
export function saveRun(c: StoreCore, run: ActiveRun): void {
  if (c.active !== run || run.continuation || run.threadId === '') return;
  c.persistence.saveRun({
    v: 1,
    thread_id: run.threadId,
    message_id: run.messageId,
    user_message_id: run.userMessageId,
    text: run.text,
    ...(run.runId !== undefined ? { run_id: run.runId } : {}),
    ...(run.idempotencyKey !== undefined ? { key: run.idempotencyKey } : {}),
  });
  c.persistence.saveTranscript(run.threadId, c.messages, c.now());
}

/**
 * The run is replayed from its start: its reply is drawn again in a fresh message (same place,
 * new id, so what the old one rendered is dropped with it).
 */
export function restartRun(c: StoreCore, run: ActiveRun): void {
  const fresh = c.newMessage('assistant', 'streaming', []);
  if (run.runId !== undefined) fresh.run_id = run.runId;
  c.messages = c.messages.map((m) => (m.id === run.messageId ? fresh : m));
  run.messageId = fresh.id;
  saveRun(c, run);
  c.changed('messages');
}

/**
 * After a reload: a turn that was in flight (stored, or the backend's `active_run` for this
 * thread) is picked up again and its reply replayed from the start; when the backend cannot,
 * the reply shows as interrupted with Retry, the question kept (see run-resume.ts).
 */
export async function resumeAfterReload(c: StoreCore): Promise<void> {
  const threadId = c.threadId;
  const idle = () => !c.active && !c.awaiting && c.threadId === threadId;
  if (!idle() || threadId === null) return;
  const record = c.persistence.loadRun(threadId);
  const live = c.session?.active_run?.thread_id === threadId ? c.session.active_run : undefined;
  if (!record && !live) return;
  const { planReload } = await lazyState();
  if (!idle()) return;
  const plan = planReload(c.messages, threadId, record, live, c.transport, c.session, () => c.newMessage('assistant', 'streaming', []));
  if (!plan || 'failed' in plan) c.persistence.saveRun(null);
  if (!plan) return;
  c.messages = plan.messages;
  if ('failed' in plan) {
    c.failed = plan.failed;
    c.persistence.saveTranscript(threadId, c.messages, c.now());
    c.changed('messages');
    return;
  }
  c.active = plan.run;
  c.failed = null;
  restartRun(c, plan.run);
  c.status = 'reconnecting';
  c.changed('status');
  await c.stream(plan.run, undefined, plan.open);
}
