/**
 * `POST /session` on the store: the visitor announced, the limits and features learnt, and then
 * whatever a reload left (a pending approval, a run in flight) picked up again.
 */
import type { SessionResponse } from '../../protocol/types.js';
import { toChatError } from './chat-error.js';
import { restorePendingApproval } from './chat-approvals.js';
import { resumeAfterReload } from './chat-resume.js';
import type { StoreCore } from './store-core.js';

/**
 * `ChatStore.connect`: never rejects. `afterLoad` false: the session only, nothing picked up again
 * (a session that failed, sent again before a turn).
 */
export async function connect(c: StoreCore, afterLoad = true): Promise<SessionResponse | null> {
  c.sessionController?.abort();
  if (afterLoad) restorePendingApproval(c);
  const pickUp = () => void (afterLoad && resumeAfterReload(c));
  const transport = c.transport;
  if (!transport?.openSession) {
    pickUp();
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
    pickUp();
    return session;
  } catch (error) {
    if (controller.signal.aborted) return null;
    c.sessionError = toChatError(error);
    c.changed('session');
    c.emit('error', { error: c.sessionError, phase: 'session' });
    pickUp();
    return null;
  } finally {
    if (c.sessionController === controller) c.sessionController = null;
    if (c.sessionInFlight === settled) c.sessionInFlight = null;
  }
}
