import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import type { ChatMessage } from '../../../src/widget/types.js';
import { nextFrame } from '../support/dom.js';
import { delta, ScriptedTransport, started } from '../support/scripted-transport.js';

const message = (over: Partial<ChatMessage>): ChatMessage => ({
  id: 'm1',
  role: 'assistant',
  status: 'complete',
  parts: [{ kind: 'text', text: 'Hello' }],
  created_at: 0,
  ...over,
});

describe('<ic-message> on its own', () => {
  it('shows the visitor’s text as plain text, never as HTML or Markdown', async () => {
    const text = '<img src=x onerror="window.__pwned=1"> **not bold**';
    const el = await fixture<IcMessage>(html`<ic-message .message=${message({ role: 'user', parts: [{ kind: 'text', text }] })}></ic-message>`);
    const bubble = el.shadowRoot!.querySelector('[part="bubble"]')!;
    expect(bubble.querySelector('img')).to.equal(null);
    expect(bubble.querySelector('strong')).to.equal(null);
    expect(bubble.querySelector('.plain')!.textContent).to.equal(text);
    await expect(el).to.be.accessible();
  });

  it('renders the assistant’s Markdown', async () => {
    const el = await fixture<IcMessage>(
      html`<ic-message .message=${message({ parts: [{ kind: 'text', text: 'Open **Settings** and see [help](https://example.com).' }] })}></ic-message>`,
    );
    await nextFrame();
    const md = el.shadowRoot!.querySelector('.markdown')!;
    expect(md.querySelector('strong')!.textContent).to.equal('Settings');
    expect(md.querySelector('a')!.getAttribute('href')).to.equal('https://example.com/');
    await expect(el).to.be.accessible();
  });

  it('shows the Stopped and Interrupted badges', async () => {
    const el = await fixture<IcMessage>(html`<ic-message .message=${message({ status: 'stopped' })}></ic-message>`);
    expect(el.shadowRoot!.querySelector('[part="badge"]')!.textContent).to.equal('Stopped');
    el.message = message({ status: 'interrupted' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="badge"]')!.textContent).to.equal('Interrupted');
    await expect(el).to.be.accessible();
  });

  it('shows an error as an alert, with Retry only when retryable', async () => {
    const failed = message({ status: 'error', parts: [], error: { code: 'rate_limited', message: 'x', retryAfterMs: 4200 } });
    const el = await fixture<IcMessage>(html`<ic-message .message=${failed}></ic-message>`);
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('Try again in 5 seconds.');
    expect(el.shadowRoot!.querySelector('[part="retry-button"]')).to.equal(null);
    el.retryable = true;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="retry-button"]')!.textContent!.trim()).to.equal('Retry');
    await expect(el).to.be.accessible();
  });

  it('appends streamed deltas from the store without being handed new messages', async () => {
    const transport = new ScriptedTransport();
    const store = new ChatStore({ transport, warn: () => {} });
    void store.send('Hi');
    const reply = store.messages[1]!;
    const el = await fixture<IcMessage>(html`<ic-message .store=${store} .message=${reply}></ic-message>`);
    expect(el.shadowRoot!.textContent).to.contain('Thinking…');
    const seen = new Promise<void>((resolve) => {
      let n = 0;
      store.on('delta', () => ++n === 3 && resolve());
    });
    transport.runs[0]!.push(started('r'), delta('r', 'One '), delta('r', '*two* '), delta('r', 'three'));
    await seen;
    await el.updateComplete;
    await nextFrame();
    const md = el.shadowRoot!.querySelector('.markdown')!;
    expect(md.textContent!.trim()).to.equal('One two three');
    expect(md.querySelector('em')!.textContent).to.equal('two');
  });
});
