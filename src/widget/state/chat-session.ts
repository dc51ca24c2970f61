/**
 * `POST /session` on the store: the visitor announced, the limits and features learnt, and then
 * whatever a reload left (a pending approval, a run in flight) picked up again.
 */
import type { SessionResponse } from '../../protocol/types.js';
import { toChatError } from './chat-error.js';
import { restorePendingApproval } from './chat-approvals.js';
import { resumeAfterReload } from './chat-resume.js';
import type { StoreCore } from './store-core.js';

/** `ChatStore.connect`: never rejects. */
export async function connect(c: StoreCore): Promise<SessionResponse | null> {
  c.sessionController?.abort();
  restorePendingApproval(c);
  const transport = c.transport;
  if (!transport?.openSession) {
    void resumeAfterReload(c);
    return null;
  }
  const controller = new AbortController();
  c.sessionController = controller;
  const request = transport.openSession({ signal: controller.signal });
  const settled = request.then(
    () => undefined,
    () => undefined,
  );
  c.sessionInFlight = settled;
  try {
    const session = await request;
    if (controller.signal.aborted) return null;
    c.session = session;
    c.sessionError = null;
    c.changed('session');
    void resumeAfterReload(c);
    return session;
  } catch (error) {
    if (controller.signal.aborted) return null;
    c.sessionError = toChatError(error);
    c.changed('session');
    c.emit('error', { error: c.sessionError, phase: 'session' });
    void resumeAfterReload(c);
    return null;
  } finally {
    if (c.sessionController === controller) c.sessionController = null;
    if (c.sessionInFlight === settled) c.sessionInFlight = null;
  }
}
