/**
 * Sending on the store: a new turn from the composer or the host page (its files waited for and
 * taken, a failed turn with the same text replaced), the run it starts, and the continuation of a
 * paused run after an approval decision.
 */
import type { InputMessage } from '../../protocol/types.js';
import type { RunCursor } from '../../protocol/run-client.js';
import type { ChatError } from '../types.js';
import { sameAttachments } from '../attachments/attachment-draft.js';
import { base64url, createThreadId } from './thread-id.js';
import { saveRun } from './chat-resume.js';
import type { StoreCore } from './store-core.js';
import type { ActiveRun, ChangeKey, Continuation } from './store-types.js';

/** `ChatStore.send`: sends `text` (the draft's files with it when it is the draft). */
export async function sendTurn(c: StoreCore, text: string): Promise<boolean> {
  const content = text.trim();
  // The composer's files go with a turn sent from the composer (not with the host page's `send(text)`).
  const withFiles = text === c.draft && (c.attachments.items.length > 0 || c.attachments.preparing);
  if ((content === '' && !withFiles) || c.active || c.awaiting || c.preparingSend) return false;
  if (withFiles) {
    // Files still shrinking or encoding are waited for; one refused meanwhile stops the send
    // (its message shows, the rest of the draft stays).
    c.preparingSend = true;
    try {
      if (!(await c.attachments.settle())) return false;
    } finally {
      c.preparingSend = false;
    }
    if (c.active || c.awaiting) return false;
  }
  const files = withFiles ? c.attachments.collect() : null;
  if (content === '' && !files) return false;
  if (!c.emit('send', { text: content, attachments: files?.metas ?? [] }, true)) return false;

  const fromDraft = text === c.draft;
  const changes: ChangeKey[] = ['messages'];
  // The visitor is re-sending the text of a turn the backend never received: replace that turn.
  const failed = c.failed;
  if (failed && !failed.accepted && failed.text === content && sameAttachments(c.turnFiles.get(failed.userMessageId), files)) {
    c.messages = c.messages.filter((m) => m.id !== failed.userMessageId && m.id !== failed.messageId);
  } else if (failed) {
    c.clearError(failed.messageId);
  }
  c.failed = null;

  if (c.threadId === null) c.setThreadId(createThreadId(c.random), 'created', true);

  const user = c.newMessage('user', 'complete', content ? [{ kind: 'text', text: content }] : []);
  if (files) {
    user.attachments = files.metas;
    c.turnFiles.set(user.id, files);
    c.attachments.remember(user.id, files);
    c.attachments.take(files);
  }
  c.messages = [...c.messages, user];
  if (fromDraft) {
    c.draft = '';
    changes.push('draft');
  }
  c.changed(...changes);
  // Text first (when there is any), then the files in the order they were added.
  const input: InputMessage[] = [{ role: 'user', content: files ? [...(content ? [{ type: 'text' as const, text: content }] : []), ...files.parts] : content }];
  return runTurn(c, user.id, input, content);
}

export async function runTurn(
  c: StoreCore,
  userMessageId: string,
  input: InputMessage[],
  text: string,
  notBefore?: number,
  idempotencyKey = `turn_${base64url(c.random(new Uint8Array(18)))}`,
): Promise<boolean> {
  const assistant = c.newMessage('assistant', 'streaming', []);
  const run: ActiveRun = {
    controller: new AbortController(),
    messageId: assistant.id,
    userMessageId,
    input,
    text,
    finished: false,
    accepted: false,
    threadId: '',
    cursor: {},
    idempotencyKey,
  };
  c.active = run;
  c.messages = [...c.messages, assistant];
  c.status = 'sending';
  c.changed('messages', 'status');

  if (c.threadId === null) c.setThreadId(createThreadId(c.random), 'created', true);
  const threadId = c.threadId ?? '';
  run.threadId = threadId;
  saveRun(c, run);
  const max = c.session?.limits?.max_text_chars;
  await c.stream(run, notBefore, (transport, options) => {
    // Refused before a round trip (the backend would answer 413 all the same): the text goes back to the composer.
    if (max !== undefined && text.length > max) throw { code: 'payload_too_large', message: `${text.length} characters; the limit is ${max}.` } satisfies ChatError;
    return transport.startRun({ thread_id: threadId, input, stream: true }, options);
  });
  return true;
}

/** Streams the continuation of a paused run (after an approval decision) into its message. */
export async function continueRun(
  c: StoreCore,
  messageId: string,
  runId: string,
  continuation: Continuation,
  turn: { userMessageId: string; input: InputMessage[]; text: string },
  notBefore?: number,
  cursor: RunCursor = {},
): Promise<boolean> {
  const run: ActiveRun = {
    controller: new AbortController(),
    messageId,
    userMessageId: turn.userMessageId,
    input: turn.input,
    text: turn.text,
    runId,
    finished: false,
    accepted: true,
    continuation,
    threadId: c.threadId ?? '',
    cursor,
  };
  c.active = run;
  c.updateMessage(messageId, (m) => ({ ...m, status: 'streaming' }));
  c.status = 'sending';
  c.changed('messages', 'status');
  await c.stream(run, notBefore, (transport, options) => {
    if (!transport.continueRun) throw { code: 'invalid_request', message: 'This transport cannot continue a run.' } satisfies ChatError;
    return transport.continueRun(runId, continuation.approvalId, continuation.decision, options);
  });
  return true;
}
