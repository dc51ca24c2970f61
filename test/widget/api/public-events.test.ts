// The store's events reach the page as the classes in src/widget/events.ts, one per entry of
// `storeEventClasses`, and a cancelled DOM event cancels the store's.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import { storeEventClasses } from '../../../src/widget/events.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';

/** A detail each hook of the element can read (run-complete announces the message, error reads the phase). */
const detail = {
  text: 'hi',
  attachments: [],
  runId: 'run_1',
  threadId: 'chat_1',
  previous: null,
  reason: 'created',
  messageId: 'msg_1',
  stopReason: 'cancelled',
  message: { id: 'msg_1', role: 'assistant', status: 'stopped', parts: [], created_at: 0 },
  error: { code: 'internal_error', message: 'x' },
  phase: 'session',
  toolCall: { kind: 'tool_call', tool_call_id: 't', name: 'x', arguments: {}, status: 'done' },
  approval: { kind: 'approval', run_id: 'run_1', approval_id: 'a', tool_call_id: 't', name: 'x', arguments: {}, status: 'pending' },
  restored: false,
};

describe('public events, from their one declaration', () => {
  it('each store event is re-fired by the element as its class, with the same detail', async () => {
    const el = await fixture<IcSupportChat>(html`<ic-support-chat persist="none"></ic-support-chat>`);
    for (const EventClass of storeEventClasses) {
      const seen: Event[] = [];
      const listener = (event: Event) => seen.push(event);
      el.addEventListener(EventClass.eventName, listener);
      el.store.dispatchEvent(new CustomEvent(EventClass.eventName.slice('ic-'.length), { detail }));
      el.removeEventListener(EventClass.eventName, listener);
      expect(seen.length, EventClass.eventName).to.equal(1);
      expect(seen[0], EventClass.eventName).to.be.instanceOf(EventClass);
      expect((seen[0] as CustomEvent).detail, EventClass.eventName).to.equal(detail);
    }
  });

  it('cancelling the DOM event cancels the store event', async () => {
    const el = await fixture<IcSupportChat>(html`<ic-support-chat persist="none"></ic-support-chat>`);
    el.addEventListener('ic-send', (event) => event.preventDefault());
    const storeEvent = new CustomEvent('send', { detail, cancelable: true });
    el.store.dispatchEvent(storeEvent);
    expect(storeEvent.defaultPrevented).to.equal(true);
  });
});
