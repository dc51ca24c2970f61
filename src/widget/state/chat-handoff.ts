/**
 * "Talk to a person" (`POST /handoff`, when the session announces `features.handoff`). Loaded on
 * demand with the hand-off form, which imports it.
 */
import type { HandoffResult } from '../../protocol/types.js';
import type { StoreCore } from './store-core.js';

export interface HandoffRequest {
  /** Where the person answers: required unless the session said `visitor.has_email`. */
  email?: string;
  message?: string;
}

/**
 * `ChatStore.handoff`: sends the request for the current thread; once the backend took it, adds
 * `describe(result)` to the transcript as a reply (kept with the transcript) and fires `handoff`.
 * Rejects (a `ProtocolError`) when it was refused or could not be sent; nothing is added then.
 */
export async function handoff(c: StoreCore, request: HandoffRequest, describe: (result: HandoffResult) => string): Promise<HandoffResult> {
  const send = c.transport?.requestHandoff?.bind(c.transport);
  const threadId = c.threadId;
  if (!send || threadId === null) throw new Error('No conversation to hand to a person.');
  const result = await send({ thread_id: threadId, ...(request.email ? { email: request.email } : {}), ...(request.message ? { message: request.message } : {}) });
  // The visitor may have started another conversation meanwhile: the line belongs to the one handed off.
  if (c.threadId === threadId) {
    const line = c.newMessage('assistant', 'complete', [{ kind: 'text', text: describe(result) }]);
    c.messages = [...c.messages, line];
    c.changed('messages');
    c.persistence.saveTranscript(threadId, c.messages, c.now());
  }
  c.emit('handoff', { threadId, reference: result.reference, ...(result.email ? { email: result.email } : {}) });
  return result;
}
