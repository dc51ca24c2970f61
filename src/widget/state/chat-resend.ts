/**
 * Sending a failed turn again: Retry (the failed turn exactly as it was, its files and key with it)
 * and the "Not delivered" mark on a question the backend never got, with `resend` to send it again
 * as the newest turn.
 */
import type { InputMessage } from '../../protocol/types.js';
import type { ChatMessage } from '../types.js';
import { messageText } from '../types.js';
import { hasContent } from './run-events.js';
import { continueRun, runTurn } from './chat-send.js';
import type { StoreCore } from './store-core.js';
import type { ChangeKey } from './store-types.js';

/** The question without its "Not delivered" mark (it is being sent again). */
function delivering(message: ChatMessage): ChatMessage {
  if (!message.undelivered) return message;
  const { undelivered: _dropped, ...rest } = message;
  return rest;
}

/** `ChatStore.retry`. */
export async function retry(c: StoreCore): Promise<boolean> {
  const failed = c.failed;
  if (!failed || c.active || c.awaiting) return false;
  c.failed = null;
  if (failed.continuation) {
    // The decision may not have reached the backend: send it again (a backend that did get it
    // refuses the repeat, which then shows as the error).
    c.clearError(failed.messageId);
    return continueRun(c, failed.messageId, failed.runId ?? '', failed.continuation, failed, failed.retryAt);
  }
  const changes: ChangeKey[] = ['messages'];
  const message = c.messages.find((m) => m.id === failed.messageId);
  if (message && messageText(message) === '') {
    c.messages = c.messages.filter((m) => m.id !== failed.messageId);
  } else {
    c.clearError(failed.messageId);
  }
  // The text was put back in the composer when the turn failed; it is being sent now.
  if (failed.draftRestored && c.draft.trim() === failed.text) {
    c.draft = '';
    changes.push('draft');
  }
  // Its files were put back too, and go again with it.
  const files = c.turnFiles.get(failed.userMessageId);
  if (files) c.attachments.discard(files);
  c.updateMessage(failed.userMessageId, delivering);
  c.changed(...changes);
  // A turn the backend never took goes with its key again (a backend that did get it answers with
  // that run, not a second one); one it took and failed is a new attempt, with a new key.
  return runTurn(c, failed.userMessageId, failed.input, failed.text, failed.retryAt, failed.accepted ? undefined : failed.idempotencyKey);
}

/** `ChatStore.canResend`. */
export function canResend(c: StoreCore, messageId: string): boolean {
  const question = c.messages.find((m) => m.id === messageId);
  if (!question?.undelivered || c.active || c.awaiting || c.preparingSend) return false;
  if (c.failed?.userMessageId === messageId) return false;
  return !question.attachments?.length || c.turnFiles.has(messageId);
}

/** `ChatStore.resend`. */
export async function resend(c: StoreCore, messageId: string): Promise<boolean> {
  if (!canResend(c, messageId)) return false;
  const index = c.messages.findIndex((m) => m.id === messageId);
  const question = c.messages[index]!;
  const reply = c.messages[index + 1];
  const failed = c.failed;
  if (failed) c.clearError(failed.messageId);
  c.failed = null;
  const text = messageText(question);
  const files = c.turnFiles.get(messageId);
  // Its empty failed reply goes with it: the question moves to the end, where its answer will be.
  const dropReply = reply?.role === 'assistant' && !hasContent(reply);
  c.messages = [...c.messages.filter((m) => m !== question && !(dropReply && m === reply)), { ...delivering(question), created_at: c.now() }];
  const changes: ChangeKey[] = ['messages'];
  if (c.draft.trim() === text && text !== '') {
    c.draft = '';
    changes.push('draft');
  }
  if (files) c.attachments.discard(files);
  c.changed(...changes);
  const input: InputMessage[] = [{ role: 'user', content: files ? [...(text ? [{ type: 'text' as const, text }] : []), ...files.parts] : text }];
  return runTurn(c, messageId, input, text);
}
