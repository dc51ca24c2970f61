/**
 * Picking a run up again, loaded on demand (most visitors never need it): after a broken
 * connection, which request resumes the run and how long to wait first; after a reload, what the
 * stored turn in flight becomes (a resumed run, or a reply interrupted with Retry).
 */
import type { ActiveRun as ActiveRunInfo, InputMessage, SessionResponse } from '../../protocol/types.js';
import type { ChatError, ChatMessage } from '../types.js';
import { messageText } from '../types.js';
import { abortableDelay, type Connectivity } from './connectivity.js';
import { hasContent } from './run-events.js';
import type { OpenStream, RunHost } from './run-runner.js';
import type { StoredRun } from './run-storage.js';
import type { ActiveRun, FailedTurn } from './store-types.js';
import type { ChatTransport } from './transport.js';

/** Attempts to pick a broken run up again in a row (without an event between) before giving up. */
export const RESUME_ATTEMPTS = 8;

/**
 * The wait before resume attempt `attempt` (0-based): 0.5 s, 1 s, 2 s … capped at 10 s, each
 * between half and all of that, so that many widgets cut off by one outage do not come back in step.
 */
export function resumeDelay(attempt: number, random: () => number = Math.random): number {
  const full = Math.min(10_000, 500 * 2 ** attempt);
  return full / 2 + (random() * full) / 2;
}

/** Waits `ms`, or less when the browser comes back online meanwhile; offline, waits for the connection. */
export async function backOff(ms: number, connectivity: Connectivity, signal: AbortSignal): Promise<void> {
  const done = new AbortController();
  const follow = () => done.abort(signal.reason);
  signal.addEventListener('abort', follow, { once: true });
  try {
    const online = connectivity.waitForOnline(done.signal);
    online.catch(() => undefined); // rejects when the wait ends the other way
    await (connectivity.isOnline() ? Promise.race([abortableDelay(ms, done.signal), online]) : online);
  } finally {
    signal.removeEventListener('abort', follow);
    done.abort();
  }
  if (signal.aborted) throw signal.reason;
}

/**
 * How to pick up a run whose connection broke, or `undefined` when it cannot be. A run whose id is
 * known is followed from its last event (or replayed from its start when its stream has no ids);
 * a first turn cut before its run began is sent again with the same key, which gives back the run
 * the backend may have started rather than a second one.
 */
export function resumption(host: RunHost, transport: ChatTransport, run: ActiveRun, open: OpenStream): OpenStream | undefined {
  const runId = run.runId;
  // A continuation replayed from the run's start would redraw what came before the approval: it
  // resumes only past an event it saw.
  if (run.continuation && run.cursor.lastEventId === undefined) return undefined;
  if (runId !== undefined && transport.resumeRun) {
    const resume = transport.resumeRun.bind(transport);
    return (_transport, options) => {
      run.resuming = true;
      if (run.cursor.lastEventId === undefined) host.restart(run);
      return resume({ runId, threadId: run.threadId }, options);
    };
  }
  if (runId === undefined && !run.continuation && run.idempotencyKey !== undefined) return open;
  return undefined;
}

/** What a reload makes of the turn that was in flight. */
export type ReloadPlan = { messages: ChatMessage[]; failed: FailedTurn } | { messages: ChatMessage[]; run: ActiveRun; open: OpenStream };

/**
 * After a reload: the stored turn in flight (or the backend's `active_run` for this thread) is
 * resumed and its reply replayed from the start when the transport can; otherwise its reply shows
 * as interrupted, with Retry and the question kept. `null`: the transcript does not hold the turn.
 */
export function planReload(
  messages: readonly ChatMessage[],
  threadId: string,
  record: StoredRun | null,
  live: ActiveRunInfo | undefined,
  transport: ChatTransport | null,
  session: SessionResponse | null,
  newReply: () => ChatMessage,
): ReloadPlan | null {
  const runId = record?.run_id ?? live?.run_id;
  let reply = messages.find((m) => (record ? m.id === record.message_id : m.role === 'assistant' && m.run_id === runId));
  const userId = record?.user_message_id ?? messages[messages.indexOf(reply!) - 1]?.id;
  const user = messages.find((m) => m.id === userId && m.role === 'user');
  // Only the backend knows of this run (no stored turn): a run past an approval is not replayed,
  // since its start would ask for the decision again.
  if (!user || (!record && reply?.parts.some((p) => p.kind === 'approval'))) return null;
  let next = [...messages];
  if (!reply) {
    reply = newReply();
    const at = next.indexOf(user) + 1;
    next = [...next.slice(0, at), reply, ...next.slice(at)];
  }
  const text = record?.text ?? messageText(user);
  const input: InputMessage[] = [{ role: 'user', content: text }];
  const resume = transport?.resumeRun?.bind(transport);
  // A v1 backend resumes a run it says it can (by id); an AI SDK route by the chat's id.
  if (!resume || (transport?.resumesRuns && !(transport.resumesRuns(session) && runId !== undefined))) {
    const error: ChatError = { code: 'interrupted', message: 'The page was reloaded before the reply finished.' };
    const id = reply.id;
    next = next.map((m) => (m.id === id ? { ...m, status: hasContent(m) ? 'interrupted' : 'error', error } : m));
    // A turn whose run never began may not have reached the backend: Retry sends it with its key.
    const failed: FailedTurn = { userMessageId: user.id, messageId: id, input, text, accepted: runId !== undefined, draftRestored: false, idempotencyKey: record?.key };
    return { messages: next, failed };
  }
  const run: ActiveRun = {
    controller: new AbortController(),
    messageId: reply.id,
    userMessageId: user.id,
    input,
    text,
    finished: false,
    accepted: true,
    threadId,
    cursor: {},
    resuming: true,
    runId,
    idempotencyKey: record?.key,
  };
  const target = runId !== undefined ? { runId, threadId } : { threadId };
  return { messages: next, run, open: (_transport, options) => resume(target, options) };
}
