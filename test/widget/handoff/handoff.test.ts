// "Talk to a person" against the real local backend over real HTTP (mounted at /api/handoff, with
// hand-off on: tickets go to a file that /api/handoff-tickets reads back).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcHandoffEvent } from '../../../src/widget/events.js';
import type { IcHandoffForm } from '../../../src/widget/handoff/handoff-form.js';
import { ProtocolV1Transport } from '../../../src/widget/state/transport.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { messageText } from '../../../src/widget/types.js';
import { untilIdle, waitUntil } from '../support/dom.js';

async function chat(transport?: ProtocolV1Transport): Promise<IcSupportChat> {
  const wrapper = await fixture(
    transport
      ? html`<div style="height: 640px"><ic-support-chat persist="none" .transport=${transport}></ic-support-chat></div>`
      : html`<div style="height: 640px"><ic-support-chat endpoint="/api/handoff" persist="none"></ic-support-chat></div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  await waitUntil(() => el.store.session !== null, 'the session');
  return el;
}

const menuItem = (el: IcSupportChat) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="handoff-button"]');
const formOf = (el: IcSupportChat) => el.shadowRoot!.querySelector<IcHandoffForm>('ic-handoff-form');
const field = (form: IcHandoffForm, selector: string) => form.shadowRoot!.querySelector<HTMLInputElement>(selector);

async function openForm(el: IcSupportChat): Promise<IcHandoffForm> {
  await el.send('My notes do not sync');
  await untilIdle(el.store);
  await el.updateComplete;
  menuItem(el)!.click();
  await waitUntil(() => formOf(el), 'the hand-off form');
  const form = formOf(el)!;
  await form.updateComplete;
  return form;
}

async function tickets(): Promise<{ reference: string; email?: string; message?: string; transcript: { text: string }[] }[]> {
  const text = await (await fetch('/api/handoff-tickets')).text();
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { reference: string; email?: string; message?: string; transcript: { text: string }[] });
}

describe('Talk to a person', () => {
  it('is offered once the conversation has a turn, and not by a backend without hand-off', async () => {
    const el = await chat();
    expect(menuItem(el)).to.equal(null);
    await el.send('hello');
    await untilIdle(el.store);
    await el.updateComplete;
    expect(menuItem(el)!.textContent).to.equal('Talk to a person');
    expect(menuItem(el)!.getAttribute('role')).to.equal('menuitem');
    const plain = await chat(new ProtocolV1Transport('/api/support'));
    await plain.send('hello');
    await untilIdle(plain.store);
    await plain.updateComplete;
    expect(menuItem(plain)).to.equal(null);
  });

  it('asks an anonymous visitor for an email, then shows the reference in the transcript and fires ic-handoff', async () => {
    const el = await chat();
    const form = await openForm(el);
    const email = field(form, 'input[type="email"]')!;
    expect(form.shadowRoot!.activeElement).to.equal(email);
    await expect(form).to.be.accessible();

    // Nothing typed: the field says what is wrong, and keeps focus.
    field(form, 'button[type="submit"]')!.click();
    await form.updateComplete;
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    const error = form.shadowRoot!.getElementById(email.getAttribute('aria-describedby')!)!;
    expect(error.textContent).to.contain('email address');
    expect(form.shadowRoot!.activeElement).to.equal(email);
    await expect(form).to.be.accessible();

    email.value = 'ada@example.com';
    form.shadowRoot!.querySelector('textarea')!.value = 'Still broken after a reinstall';
    const fired = oneEvent(el, 'ic-handoff') as Promise<IcHandoffEvent>;
    field(form, 'button[type="submit"]')!.click();
    const { detail } = await fired;
    expect(detail.reference).to.match(/^T-\d{6}$/);
    expect(detail.email).to.equal('ada@example.com');
    await waitUntil(() => !formOf(el), 'the form closes');
    expect(messageText(el.store.messages.at(-1)!)).to.equal(`We have your request ${detail.reference}; we will email ada@example.com.`);
    // Focus went back to the message box.
    expect(el.shadowRoot!.activeElement?.tagName).to.equal('IC-COMPOSER');
    const ticket = (await tickets()).find((t) => t.reference === detail.reference)!;
    expect([ticket.email, ticket.message, ticket.transcript[0]!.text]).to.deep.equal(['ada@example.com', 'Still broken after a reinstall', 'My notes do not sync']);
    await expect(el).to.be.accessible();
  });

  it('shows an address the backend refuses as the field’s error', async () => {
    const el = await chat();
    const form = await openForm(el);
    const email = field(form, 'input[type="email"]')!;
    // The browser's own check takes "ada@example"; the backend wants a dotted domain.
    email.value = 'ada@example';
    field(form, 'button[type="submit"]')!.click();
    await waitUntil(() => email.getAttribute('aria-invalid') === 'true', 'the refused address');
    expect(form.shadowRoot!.activeElement).to.equal(email);
    expect(el.store.messages.length).to.equal(2);
  });

  it('asks a signed-in visitor with an address on file for none', async () => {
    const el = await chat(new ProtocolV1Transport('/api/handoff', { headers: { 'x-test-user': 'grace' } }));
    expect(el.store.session?.visitor.has_email).to.equal(true);
    const form = await openForm(el);
    expect(field(form, 'input')).to.equal(null);
    expect(form.shadowRoot!.activeElement).to.equal(form.shadowRoot!.querySelector('textarea'));
    const fired = oneEvent(el, 'ic-handoff') as Promise<IcHandoffEvent>;
    field(form, 'button[type="submit"]')!.click();
    const { detail } = await fired;
    expect(detail.email).to.equal('grace@example.com');
    await waitUntil(() => !formOf(el), 'the form closes');
    expect(messageText(el.store.messages.at(-1)!)).to.contain('grace@example.com');
  });

  it('closes with Escape (the panel stays) and with a new conversation', async () => {
    const el = await chat();
    let form = await openForm(el);
    field(form, 'input')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => !formOf(el), 'Escape closes it');
    expect(el.shadowRoot!.activeElement?.tagName).to.equal('IC-COMPOSER');
    menuItem(el)!.click();
    await waitUntil(() => formOf(el), 'the form again');
    form = formOf(el)!;
    el.newConversation();
    await waitUntil(() => !formOf(el), 'a new conversation closes it');
    expect(el.store.messages.length).to.equal(0);
  });

  it('follows the chat into another language while it is open', async () => {
    const el = await chat();
    const form = await openForm(el);
    const label = () => form.shadowRoot!.querySelector('label')!.textContent!.trim();
    expect(label()).to.equal('Your email');
    el.setAttribute('lang', 'fr');
    await el.updateComplete;
    await form.updateComplete;
    expect(label()).to.equal('Votre e-mail');
    await expect(el).to.be.accessible();
  });
});
