// The React wrapper (`ic-support-chat/react`) rendered by React 19 in Chromium, against the real
// local backend at /api/support: a question is sent, the reply streams in, and the `onIc…` props fire.
import { expect } from '@open-wc/testing';
import { waitUntil } from '../support/dom.js';
import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { IcSupportChat } from '../../../src/react/index.js';
import type { IcRunCompleteEvent, IcRunStartEvent, IcSendEvent } from '../../../src/widget/events.js';
import type { IcSupportChat as IcSupportChatElement } from '../../../src/widget/support-chat/support-chat.js';

describe('ic-support-chat/react', () => {
  let host: HTMLDivElement;
  let root: Root;

  beforeEach(() => {
    host = document.createElement('div');
    host.style.height = '600px';
    document.body.append(host);
    root = createRoot(host);
  });

  afterEach(() => {
    root.unmount();
    host.remove();
  });

  it('renders <ic-support-chat>, streams a reply from the backend and calls onIcRunComplete', async function () {
    this.timeout(30_000);
    const sent: IcSendEvent[] = [];
    const started: IcRunStartEvent[] = [];
    const completed: IcRunCompleteEvent[] = [];
    const ref = React.createRef<IcSupportChatElement>();
    root.render(
      React.createElement(IcSupportChat, {
        ref,
        endpoint: '/api/support',
        persist: 'none',
        heading: 'Notably help',
        onIcSend: (e: IcSendEvent) => sent.push(e),
        onIcRunStart: (e: IcRunStartEvent) => started.push(e),
        onIcRunComplete: (e: IcRunCompleteEvent) => completed.push(e),
      }),
    );
    await waitUntil(() => ref.current, 'React did not attach the element');
    const chat = ref.current!;
    expect(chat.tagName).to.equal('IC-SUPPORT-CHAT');
    // Props became attributes/properties of the element.
    expect(chat.endpoint).to.equal('/api/support');
    await chat.updateComplete;
    expect(chat.shadowRoot!.querySelector('[part="heading"]')?.textContent).to.equal('Notably help');

    // Sent through the composer, as a visitor would.
    const composer = chat.shadowRoot!.querySelector('ic-composer')!;
    await composer.updateComplete;
    const input = composer.shadowRoot!.querySelector('textarea')!;
    input.value = 'How do I reset my password?';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await composer.updateComplete;
    composer.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send-button"]')!.click();

    // The reply streams: the store is seen mid-stream with part of the text before the run ends.
    await waitUntil(() => chat.store.status === 'streaming' || completed.length > 0, 'the run did not start', { timeout: 10_000 });
    await waitUntil(() => completed.length === 1, 'onIcRunComplete was not called', { timeout: 15_000 });

    expect(sent.map((e) => e.detail.text)).to.deep.equal(['How do I reset my password?']);
    expect(started).to.have.length(1);
    const done = completed[0]!;
    expect(done.detail.stopReason).to.equal('end_turn');
    expect(done.detail.runId).to.equal(started[0]!.detail.runId);
    const reply = done.detail.message.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    expect(reply.toLowerCase()).to.contain('password');
    // The reply is on screen.
    const messages = chat.shadowRoot!.querySelector('ic-message-list')!.shadowRoot!.querySelectorAll('ic-message');
    expect(messages.length).to.equal(2);
    await expect(chat).to.be.accessible();
  });
});
