// The lazy entry's quick panel: a click shows the panel and a focused message box at once, before
// the full chat is mounted; what the visitor types there is kept, and sent if they pressed Enter.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/lazy.js';
import type { IcSupportChatLazy } from '../../../src/widget/launcher/lazy-support-chat.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';

function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).to.equal(true);
}

/** A launcher whose quick panel and full chat have both downloaded (as after the idle prefetch). */
async function launcher(lang = 'en'): Promise<IcSupportChatLazy> {
  const el = await fixture<IcSupportChatLazy>(html`<ic-support-chat mode="launcher" endpoint="/api/support" persist="none" lang=${lang}></ic-support-chat>`);
  await el.preload();
  await until(() => el.shadowRoot!.querySelector('ic-launcher') !== null);
  return el;
}

/** Clicks the launcher and types `text` in the same task: the full chat cannot have mounted yet. */
function clickAndType(el: IcSupportChatLazy, text: string): HTMLTextAreaElement {
  el.shadowRoot!.querySelector('ic-launcher')!.shadowRoot!.querySelector('button')!.click();
  expect(el.loaded).to.equal(false);
  const input = el.shadowRoot!.querySelector<HTMLTextAreaElement>('.quick textarea')!;
  expect(deepActive()).to.equal(input);
  input.value = text;
  input.setSelectionRange(2, 2);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return input;
}

const coreOf = (el: IcSupportChatLazy) => el.shadowRoot!.querySelector('ic-support-chat-core') as IcSupportChat;

describe('lazy entry: quick panel', () => {
  it('shows a named dialog with a focused message box on click, in the page language', async () => {
    const el = await launcher('fr');
    clickAndType(el, '');
    const dialog = el.shadowRoot!.querySelector('.quick')!;
    expect(dialog.getAttribute('role')).to.equal('dialog');
    expect(dialog.getAttribute('aria-label')).to.equal('Assistance');
    expect(dialog.querySelector('textarea')!.placeholder).to.equal('Posez votre question…');
    await expect(el).to.be.accessible();
  });

  it('keeps what the visitor typed before the chat arrived, with focus and caret', async () => {
    const el = await launcher();
    clickAndType(el, 'Where is my order?');
    await until(() => el.loaded && el.shadowRoot!.querySelector('.quick') === null);
    const core = coreOf(el);
    await core.updateComplete;
    const box = core.shadowRoot!.querySelector('ic-composer')!.shadowRoot!.querySelector('textarea')!;
    expect(box.value).to.equal('Where is my order?');
    expect(deepActive()).to.equal(box);
    expect(box.selectionStart).to.equal(2);
    expect(el.hasAttribute('open')).to.equal(true);
  });

  it('sends it when the visitor pressed Enter before the chat arrived', async () => {
    const el = await launcher();
    const input = clickAndType(el, 'Hello from the quick panel');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    const sent = await oneEvent(el, 'ic-send');
    expect((sent as CustomEvent<{ text: string }>).detail.text).to.equal('Hello from the quick panel');
    await until(() => coreOf(el).store.messages.length > 0);
    expect(coreOf(el).store.messages[0]!.role).to.equal('user');
    expect(coreOf(el).store.draft).to.equal('');
  });

  it('Escape closes it, back to the launcher, and the text waits for the next open', async () => {
    const el = await launcher();
    const input = clickAndType(el, 'draft');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(el.shadowRoot!.querySelector<HTMLElement>('.quick')!.hidden).to.equal(true);
    await until(() => el.loaded);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(el.hasAttribute('open')).to.equal(false);
    expect(coreOf(el).store.draft).to.equal('draft');
  });

  it('opened again after Escape, it comes back with the text and focus, then hands over', async () => {
    const el = await launcher();
    const input = clickAndType(el, 'half a question');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    const launcherButton = el.shadowRoot!.querySelector('ic-launcher')!;
    expect(deepActive()).to.equal(launcherButton.shadowRoot!.querySelector('button'));
    launcherButton.shadowRoot!.querySelector('button')!.click();
    expect(el.shadowRoot!.querySelector<HTMLElement>('.quick')!.hidden).to.equal(false);
    expect(deepActive()).to.equal(input);
    await until(() => el.loaded && el.shadowRoot!.querySelector('.quick') === null);
    await coreOf(el).updateComplete;
    expect(el.hasAttribute('open')).to.equal(true);
    expect(coreOf(el).store.draft).to.equal('half a question');
  });

  it('keeps every key typed across the handover (Arabic: its strings load meanwhile)', async () => {
    const el = await launcher('ar');
    el.shadowRoot!.querySelector('ic-launcher')!.shadowRoot!.querySelector('button')!.click();
    const text = 'Where is my order A-1001? I ordered it last week';
    await sendKeys({ type: text });
    await until(() => el.loaded && el.shadowRoot!.querySelector('.quick') === null);
    const core = coreOf(el);
    await core.updateComplete;
    const box = core.shadowRoot!.querySelector('ic-composer')!.shadowRoot!.querySelector('textarea')!;
    expect(box.value).to.equal(text);
    expect(core.store.draft).to.equal(text);
    expect(deepActive()).to.equal(box);
  });
});
