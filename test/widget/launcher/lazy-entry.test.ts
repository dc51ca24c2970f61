// The lazy entry: a light <ic-support-chat> that shows the launcher and loads the full chat on
// first open. This file imports only src/lazy.ts, so the full chat is not registered until it loads.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/lazy.js';
import type { IcSupportChatLazy } from '../../../src/widget/launcher/lazy-support-chat.js';

function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('lazy entry (src/lazy.ts)', () => {
  it('starts loading the chat when the launcher is focused, without opening it', async () => {
    expect(customElements.get('ic-support-chat-core')).to.equal(undefined);
    const el = await fixture<IcSupportChatLazy>(html`<ic-support-chat mode="launcher" persist="none"></ic-support-chat>`);
    el.shadowRoot!.querySelector('ic-launcher')!.focus();
    await customElements.whenDefined('ic-support-chat-core');
    expect(customElements.get('ic-composer')).to.not.equal(undefined);
    expect(el.loaded).to.equal(false);
    expect(el.hasAttribute('open')).to.equal(false);
  });

  it('shows a named launcher, and puts the full chat in place on first open', async () => {
    const el = await fixture<IcSupportChatLazy>(html`<ic-support-chat mode="launcher" endpoint="/api/support" persist="none" heading="Acme Support" lang="fr"></ic-support-chat>`);
    const launcher = el.shadowRoot!.querySelector('ic-launcher')!;
    const button = launcher.shadowRoot!.querySelector('button')!;
    expect(button.getAttribute('aria-label')).to.equal('Ouvrir le chat d’assistance');
    expect(el.loaded).to.equal(false);
    await expect(el).to.be.accessible();

    // Properties set before the chat loads reach it.
    (el as unknown as { greeting: string }).greeting = 'Bonjour !';

    button.focus();
    const opened = oneEvent(el, 'ic-open');
    await sendKeys({ press: 'Enter' });
    await opened;
    expect(el.loaded).to.equal(true);
    expect(customElements.get('ic-composer')).to.not.equal(undefined);
    expect(el.hasAttribute('open')).to.equal(true);
    const core = el.shadowRoot!.querySelector('ic-support-chat-core') as HTMLElement & { updateComplete: Promise<boolean> };
    await core.updateComplete;
    expect(core.getAttribute('heading')).to.equal('Acme Support');
    expect(core.getAttribute('lang')).to.equal('fr');
    expect(core.getAttribute('exportparts')).to.include('launcher');
    expect(core.getAttribute('exportparts')).to.include('send-button');
    // One launcher only: the shell's placeholder is gone.
    expect(el.shadowRoot!.querySelectorAll('ic-launcher').length).to.equal(0);
    const list = core.shadowRoot!.querySelector('ic-message-list')!;
    expect(list.shadowRoot!.querySelector('[part="greeting"]')!.textContent).to.equal('Bonjour !');
    // Focus went into the message box.
    expect(deepActive()?.tagName).to.equal('TEXTAREA');

    // Attributes keep flowing to the loaded chat; Escape closes it and the shell mirrors `open`.
    el.setAttribute('heading', 'Aide');
    await new Promise((resolve) => setTimeout(resolve));
    expect(core.getAttribute('heading')).to.equal('Aide');
    const closed = oneEvent(el, 'ic-close');
    await sendKeys({ press: 'Escape' });
    await closed;
    expect(el.hasAttribute('open')).to.equal(false);
  });

  it('inline mode loads the chat at once', async () => {
    const el = await fixture<IcSupportChatLazy>(html`<div style="height: 400px"><ic-support-chat persist="none"></ic-support-chat></div>`);
    const chat = el.querySelector('ic-support-chat') as IcSupportChatLazy;
    await loadedOf(chat);
    expect(chat.shadowRoot!.querySelector('ic-support-chat-core')).to.not.equal(null);
    expect(chat.shadowRoot!.querySelector('ic-launcher')).to.equal(null);
  });
});

async function loadedOf(el: IcSupportChatLazy): Promise<void> {
  for (let i = 0; i < 100 && !el.loaded; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
