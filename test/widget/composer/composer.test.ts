import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcComposer } from '../../../src/widget/composer/composer.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';
import { pressWithShift } from '../support/keys.js';

async function composer() {
  const transport = new ScriptedTransport();
  const store = new ChatStore({ transport, warn: () => {} });
  const el = await fixture<IcComposer>(html`<ic-composer .store=${store} placeholder="Type here"></ic-composer>`);
  const textarea = el.shadowRoot!.querySelector('textarea')!;
  const button = (part: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${part}"]`);
  return { el, store, transport, textarea, button };
}

describe('<ic-composer> on its own', () => {
  it('has a labelled text area and a named Send button, disabled until there is text', async () => {
    const { el, textarea, button } = await composer();
    const label = el.shadowRoot!.querySelector(`label[for="${textarea.id}"]`)!;
    expect(label.textContent).to.equal('Message');
    expect(textarea.placeholder).to.equal('Type here');
    expect(button('send-button')!.textContent!.trim()).to.equal('Send');
    expect(button('send-button')!.disabled).to.equal(true);
    textarea.focus();
    await sendKeys({ type: 'Hi' });
    await el.updateComplete;
    expect(button('send-button')!.disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('swaps Send for Stop while a reply streams; Enter then keeps the text and sends nothing', async () => {
    const { el, store, transport, textarea, button } = await composer();
    textarea.focus();
    await sendKeys({ type: 'First' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(button('send-button')).to.equal(null);
    expect(button('stop-button')!.getAttribute('aria-label')).to.equal('Stop');
    await expect(el).to.be.accessible();

    await sendKeys({ type: 'Second' });
    await sendKeys({ press: 'Enter' });
    expect(textarea.value).to.equal('Second');
    expect(transport.runs).to.have.length(1);

    transport.runs[0]!.push(started('r'), delta('r', 'ok'), completed('r'));
    await new Promise<void>((resolve) => store.on('run-complete', () => resolve()));
    await el.updateComplete;
    expect(button('send-button')).to.exist;
  });

  it('Stop stops the store and keeps focus in the text area', async () => {
    const { el, store, textarea, button } = await composer();
    textarea.focus();
    await sendKeys({ type: 'Go' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    button('stop-button')!.click();
    expect(store.busy).to.equal(false);
    expect(store.messages[1]!.status).to.equal('stopped');
    expect(el.shadowRoot!.activeElement).to.equal(textarea);
  });

  it('grows with its content', async () => {
    const { el, textarea } = await composer();
    const before = textarea.getBoundingClientRect().height;
    textarea.focus();
    await sendKeys({ type: 'one' });
    for (let i = 0; i < 3; i++) {
      await pressWithShift('Enter');
      await sendKeys({ type: 'more' });
    }
    await el.updateComplete;
    expect(textarea.getBoundingClientRect().height).to.be.greaterThan(before);
  });

  it('is disabled without a store', async () => {
    const el = await fixture<IcComposer>(html`<ic-composer></ic-composer>`);
    expect(el.shadowRoot!.querySelector('textarea')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
