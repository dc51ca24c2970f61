import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { IcLauncher } from '../../../src/widget/launcher/launcher.js';
import { headerMenuButton, parts, untilIdle, waitUntil } from '../support/dom.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';
import { pressWithShift } from '../support/keys.js';

const ENDPOINT = '/api/support';

async function launcherChat(attrs: { position?: string; lang?: string; open?: boolean } = {}): Promise<IcSupportChat> {
  const el = await fixture<IcSupportChat>(
    html`<ic-support-chat
      mode="launcher"
      endpoint=${ENDPOINT}
      persist="none"
      heading="Acme Support"
      position=${attrs.position ?? 'bottom-end'}
      lang=${attrs.lang ?? 'en'}
      ?open=${attrs.open ?? false}
    ></ic-support-chat>`,
  );
  await el.updateComplete;
  return el;
}

function launcherOf(el: IcSupportChat): IcLauncher {
  return el.shadowRoot!.querySelector('ic-launcher')!;
}
function launcherButton(el: IcSupportChat): HTMLButtonElement {
  return launcherOf(el).shadowRoot!.querySelector('button')!;
}
function panelOf(el: IcSupportChat): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
}
/** Waits for the panel's opening animation, which scales it for a moment. */
async function settled(el: IcSupportChat): Promise<HTMLElement> {
  await el.updateComplete;
  const panel = panelOf(el);
  await Promise.all(panel.getAnimations().map((animation) => animation.finished));
  return panel;
}
/** The deepest focused element, through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

afterEach(async () => {
  localStorage.clear();
  await setViewport({ width: 1280, height: 800 });
});

describe('<ic-support-chat mode="launcher">', () => {
  it('shows only a named launcher button while closed, and is accessible', async () => {
    const el = await launcherChat();
    const button = launcherButton(el);
    expect(button.getAttribute('aria-label')).to.equal('Open support chat');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(panelOf(el).hidden).to.equal(true);
    expect(getComputedStyle(launcherOf(el)).position).to.equal('fixed');
    await expect(el).to.be.accessible();
  });

  it('keyboard only: Tab to the launcher, Enter opens, type and Enter sends, Escape closes, focus returns', async () => {
    const before = document.createElement('button');
    before.textContent = 'Before';
    document.body.prepend(before);
    try {
      const el = await launcherChat();
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(launcherButton(el));

      const opened = oneEvent(el, 'ic-open');
      await sendKeys({ press: 'Enter' });
      expect((await opened).detail.source).to.equal('launcher');
      await el.updateComplete;
      await parts(el).composer.updateComplete;
      expect(el.isOpen).to.equal(true);
      expect(el.hasAttribute('open')).to.equal(true);
      expect(panelOf(el).getAttribute('role')).to.equal('dialog');
      expect(panelOf(el).getAttribute('aria-label')).to.equal('Acme Support');
      expect(deepActive()).to.equal(parts(el).textarea);
      await settled(el);
      await expect(el).to.be.accessible();

      const done = oneEvent(el, 'ic-run-complete');
      await sendKeys({ type: 'How do I reset my password?' });
      await sendKeys({ press: 'Enter' });
      await done;
      await untilIdle(el.store);
      expect(el.store.messages.length).to.equal(2);
      expect(deepActive()).to.equal(parts(el).textarea); // the reply did not move focus

      const closed = oneEvent(el, 'ic-close');
      await sendKeys({ press: 'Escape' });
      expect((await closed).detail.source).to.equal('escape');
      await el.updateComplete;
      await aTimeout(0);
      expect(panelOf(el).hidden).to.equal(true);
      expect(deepActive()).to.equal(launcherButton(el));
    } finally {
      before.remove();
    }
  });

  it('full-screen on a narrow screen, the panel is modal: Tab and Shift+Tab stay inside it', async () => {
    await setViewport({ width: 375, height: 700 });
    const after = document.createElement('button');
    after.textContent = 'Behind the panel';
    document.body.append(after);
    try {
      const el = await launcherChat();
      el.open();
      await el.updateComplete;
      await parts(el).composer.updateComplete;
      expect(panelOf(el).getAttribute('aria-modal')).to.equal('true');
      // The header's first control: its menu button (New conversation is an item of the menu).
      const firstControl = await headerMenuButton(el);
      // Forward from the message box, past the composer's last button: round to the header.
      parts(el).textarea.focus();
      const seen: (Element | null)[] = [];
      for (let i = 0; i < 6 && deepActive() !== firstControl; i++) {
        await sendKeys({ press: 'Tab' });
        seen.push(deepActive());
      }
      expect(deepActive()).to.equal(firstControl);
      expect(seen).not.to.include(after);
      // Backwards from the first control: round to the message box, never the page behind.
      await pressWithShift('Tab');
      expect(deepActive()).to.equal(parts(el).textarea);
      await settled(el);
      await expect(el).to.be.accessible();

      // Wide again: a floating panel that leaves the page usable is not modal.
      await setViewport({ width: 1280, height: 800 });
      // The media query's change event comes a frame or so after the resize.
      await waitUntil(() => !panelOf(el).hasAttribute('aria-modal'), 'the wide panel stays modal');
    } finally {
      after.remove();
    }
  });

  it('open(), close(), toggle() and the open attribute fire ic-open / ic-close', async () => {
    const el = await launcherChat();
    const events: string[] = [];
    el.addEventListener('ic-open', (e) => events.push(`open:${e.detail.source}`));
    el.addEventListener('ic-close', (e) => events.push(`close:${e.detail.source}`));
    el.open();
    await el.updateComplete;
    el.open(); // already open: no second event
    await el.updateComplete;
    el.toggle();
    await el.updateComplete;
    el.setAttribute('open', '');
    await el.updateComplete;
    el.close();
    await el.updateComplete;
    expect(events).to.deep.equal(['open:method', 'close:method', 'open:attribute', 'close:method']);
  });

  it('the close button closes the panel and hands focus back to the launcher', async () => {
    const el = await launcherChat();
    el.open();
    await el.updateComplete;
    const close = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]')!;
    expect(close.getAttribute('aria-label')).to.equal('Close support chat');
    close.focus();
    const closed = oneEvent(el, 'ic-close');
    close.click();
    expect((await closed).detail.source).to.equal('close-button');
    await el.updateComplete;
    await aTimeout(0);
    expect(deepActive()).to.equal(launcherButton(el));
  });

  it('opening through the attribute does not steal focus', async () => {
    const outside = document.createElement('input');
    outside.setAttribute('aria-label', 'Search');
    document.body.append(outside);
    try {
      const el = await launcherChat();
      outside.focus();
      el.setAttribute('open', '');
      await el.updateComplete;
      await aTimeout(0);
      expect(document.activeElement).to.equal(outside);
      el.removeAttribute('open');
      await el.updateComplete;
      await aTimeout(0);
      expect(document.activeElement).to.equal(outside);
    } finally {
      outside.remove();
    }
  });

  it('counts replies that finish while closed in a badge, and clears it on open', async () => {
    const transport = new ScriptedTransport();
    const el = await launcherChat();
    el.transport = transport;
    await el.updateComplete;
    el.open();
    await el.updateComplete;
    const next = transport.nextRun();
    void el.send('Where is my order?');
    const run = await next;
    el.close();
    await el.updateComplete;
    run.push(started('run_1'), delta('run_1', 'On its way.'), completed('run_1'));
    await untilIdle(el.store);
    await el.updateComplete;
    const badge = launcherOf(el).shadowRoot!.querySelector<HTMLElement>('[part="badge"]')!;
    expect(badge.hidden).to.equal(false);
    expect(badge.textContent).to.equal('1');
    expect(launcherButton(el).getAttribute('aria-label')).to.equal('Open support chat. New replies: 1');
    await expect(el).to.be.accessible();
    el.open();
    await el.updateComplete;
    await launcherOf(el).updateComplete;
    expect(badge.hidden).to.equal(true);
  });

  it('sits bottom right by default, bottom left with position="bottom-left" or in a right-to-left language', async () => {
    const right = await launcherChat();
    const rightBox = launcherOf(right).getBoundingClientRect();
    expect(window.innerWidth - rightBox.right).to.be.within(12, 40);
    const left = await launcherChat({ position: 'bottom-left' });
    expect(launcherOf(left).getBoundingClientRect().left).to.be.within(12, 40);
    const arabic = await launcherChat({ lang: 'ar' });
    expect(launcherOf(arabic).getBoundingClientRect().left).to.be.within(12, 40);
    arabic.open();
    await settled(arabic);
    expect(panelOf(arabic).getAttribute('dir')).to.equal('rtl');
    expect(panelOf(arabic).getBoundingClientRect().left).to.be.within(12, 40);
  });

  it('goes full-screen on a 375px-wide screen', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await launcherChat();
    el.open();
    const box = (await settled(el)).getBoundingClientRect();
    expect(Math.round(box.left)).to.equal(0);
    expect(Math.round(box.top)).to.equal(0);
    expect(Math.round(box.width)).to.equal(375);
    expect(Math.round(box.height)).to.equal(667);
    await expect(el).to.be.accessible();
  });

  it('full-screen and modal agree when the chat is added after the window narrowed', async () => {
    // WebKit kept the wide-screen @media result of the shared stylesheet when no chat was on the
    // page during the resize: the panel floated while it said it was modal.
    const wide = await launcherChat();
    wide.open();
    await settled(wide);
    wide.remove();
    await setViewport({ width: 375, height: 667 });
    const el = await launcherChat();
    el.open();
    const box = (await settled(el)).getBoundingClientRect();
    expect(panelOf(el).getAttribute('aria-modal')).to.equal('true');
    expect([Math.round(box.left), Math.round(box.width)]).to.deep.equal([0, 375]);
  });

  it('is a floating panel above the launcher corner on a desktop screen', async () => {
    const el = await launcherChat();
    el.open();
    const box = (await settled(el)).getBoundingClientRect();
    expect(box.width).to.equal(400);
    expect(window.innerWidth - box.right).to.be.within(12, 40);
    expect(launcherOf(el).hidden).to.equal(true);
  });
});
