/**
 * Ratings of replies (`POST /runs/{run_id}/feedback`, when the session announces `features.feedback`).
 * Loaded on demand: the rating buttons' chunk (reply-tools.ts) imports it, so it is there by the first click.
 */
import type { MessageFeedback } from '../types.js';
import type { StoreCore } from './store-core.js';

/** `ChatStore.rate`: shown at once, undone if the backend refuses. */
export async function rate(c: StoreCore, messageId: string, feedback: MessageFeedback): Promise<boolean> {
  const message = c.messages.find((m) => m.id === messageId);
  const runId = message?.run_id;
  const send = c.transport?.sendFeedback?.bind(c.transport);
  if (!message || message.role !== 'assistant' || runId === undefined || !send) return false;
  const previous = message.feedback;
  const setFeedback = (value: MessageFeedback | undefined) => {
    c.updateMessage(messageId, ({ feedback: _old, ...m }) => (value ? { ...m, feedback: value } : m));
    c.changed('messages');
  };
  setFeedback(feedback);
  try {
    await send(runId, feedback);
  } catch {
    if (c.messages.find((m) => m.id === messageId)?.feedback === feedback) setFeedback(previous);
    return false;
  }
  c.persistence.saveTranscript(c.threadId, c.messages, c.now());
  c.emit('feedback', { runId, messageId, ...feedback });
  return true;
}
