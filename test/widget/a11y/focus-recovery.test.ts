// Where keyboard focus goes when the control holding it stops being usable: an approval locks the
// message box, Retry disappears once pressed, and the modal panel's Tab wrap. Real Chromium, real
// keys, the scripted fault server over real HTTP.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcApproval } from '../../../src/widget/approval/approval.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { headerMenuButton, parts, untilIdle } from '../support/dom.js';
import { approvalOf, faultChat, faultEndpoint, faultStats, until } from '../support/fault-endpoint.js';
import { pressWithShift } from '../support/keys.js';

/** The deepest focused element, through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Describes the focused element for failure messages (comparing DOM nodes serialises slowly). */
function describeActive(): string {
  const active = deepActive();
  if (!active) return 'nothing';
  const part = active.getAttribute('part');
  return `<${active.tagName.toLowerCase()}${part ? ` part="${part}"` : ''}>`;
}

/**
 * The visitor moves to `target` on the host page once the widget has decided to move focus but has
 * not moved it yet: after `eventType` (the widget decides a few microtasks later, once the chat has
 * rendered), at the reply's next Markdown draw, which the widget waits for before it moves focus.
 * Resolves with where focus was just before (the widget had not taken it yet, or the test proves
 * nothing).
 */
function moveToPageDuringWait(el: IcSupportChat, eventType: string, target: HTMLElement): Promise<string> {
  return new Promise((resolve) => {
    el.addEventListener(
      eventType,
      () =>
        el.addEventListener(
          'ic-content-render',
          () => {
            const before = describeActive();
            target.focus();
            resolve(before);
          },
          { once: true },
        ),
      { once: true },
    );
  });
}

const approvalBox = (approval: IcApproval) => approval.shadowRoot!.querySelector<HTMLElement>('[part="base"]')!;
const approveButton = (approval: IcApproval) => approval.shadowRoot!.querySelector<HTMLButtonElement>('[part="approve-button"]')!;
const retryButton = (message: IcMessage) => message.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]');

/** Focus in the message box, a question typed and sent with Enter, as a visitor does. */
async function typeAndSend(el: IcSupportChat, text: string): Promise<void> {
  await parts(el).composer.updateComplete;
  parts(el).textarea.focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

async function launcherFaultChat(endpoint: string): Promise<IcSupportChat> {
  const el = await fixture<IcSupportChat>(html`<ic-support-chat mode="launcher" endpoint=${endpoint} persist="none"></ic-support-chat>`);
  await el.updateComplete;
  return el;
}

afterEach(async () => {
  await setViewport({ width: 1280, height: 800 });
});

describe('focus when an approval request arrives', () => {
  it('moves from the message box (now locked) to the approval request; Tab reaches Approve', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    await typeAndSend(el, 'Please open a ticket');
    const approval = await approvalOf(el);
    await until(() => deepActive() === approvalBox(approval), `focus on the approval request (it is on ${describeActive()})`);
    expect(document.activeElement === document.body, 'focus fell to <body>').to.equal(false);
    expect(approvalBox(approval).getAttribute('aria-describedby'), 'the reason is read with it').to.equal('reason');
    await sendKeys({ press: 'Tab' });
    expect(deepActive() === approveButton(approval), `Tab goes to Approve (it is on ${describeActive()})`).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('launcher mode: focus stays in the panel, so Escape still closes it and focus returns to the launcher', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await launcherFaultChat(endpoint);
    el.open();
    await el.updateComplete;
    await typeAndSend(el, 'Please open a ticket');
    const approval = await approvalOf(el);
    await until(() => deepActive() === approvalBox(approval), `focus on the approval request (it is on ${describeActive()})`);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.isOpen, 'Escape closes the panel').to.equal(false);
    const launcherButton = el.shadowRoot!.querySelector('ic-launcher')!.shadowRoot!.querySelector('button')!;
    await until(() => deepActive() === launcherButton, `focus back on the launcher (it is on ${describeActive()})`);
  });

  it('never takes focus from the host page', async () => {
    const pageButton = document.createElement('button');
    pageButton.textContent = 'A control on the page';
    document.body.append(pageButton);
    try {
      const { endpoint } = faultEndpoint('approval');
      const el = await faultChat(endpoint);
      pageButton.focus();
      void el.send('Please open a ticket');
      await approvalOf(el);
      await until(() => el.store.status === 'awaiting_approval', 'the approval to wait');
      await parts(el).composer.updateComplete;
      await aTimeout(100);
      expect(document.activeElement === pageButton, `focus stays on the page (it is on ${describeActive()})`).to.equal(true);
    } finally {
      pageButton.remove();
    }
  });
  it('leaves focus on the host page when the visitor moves there while the reply is still being drawn', async () => {
    const pageInput = document.createElement('input');
    pageInput.setAttribute('aria-label', 'A field on the page');
    document.body.append(pageInput);
    try {
      const { endpoint } = faultEndpoint('approval');
      const el = await faultChat(endpoint);
      const moved = moveToPageDuringWait(el, 'ic-run-complete', pageInput);
      await typeAndSend(el, 'Please open a ticket');
      const before = await until(() => Promise.race([moved, aTimeout(0).then(() => '')]), 'the reply to be drawn after the pause');
      expect(before, 'focus had not reached the approval yet').to.not.equal('<section part="base">');
      const approval = await approvalOf(el);
      await (parts(el).messages().at(-1) as IcMessage).updateComplete;
      await approval.updateComplete;
      await aTimeout(50);
      expect(deepActive() === pageInput, `focus stays on the page (it is on ${describeActive()})`).to.equal(true);
    } finally {
      pageInput.remove();
    }
  });
});

describe('focus after pressing Retry', () => {
  /** A chat on the fault `scenario` whose first reply failed, showing Retry. */
  async function failedTurn(scenario: string): Promise<{ el: IcSupportChat; id: string; failed: IcMessage }> {
    const { endpoint, id } = faultEndpoint(scenario);
    const el = await faultChat(endpoint);
    el.store.setDraft('Can you help me with my invoice?');
    await el.send();
    await untilIdle(el.store);
    const failed = parts(el).messages()[1] as IcMessage;
    await failed.updateComplete;
    return { el, id, failed };
  }

  /** Waits for the retried turn to end. It can finish within one poll of `busy`: count the POSTs. */
  async function retried(el: IcSupportChat, id: string): Promise<void> {
    await until(async () => (await faultStats(id)).runs === 2, 'the retried POST');
    await untilIdle(el.store);
    await el.updateComplete;
  }

  it('goes to the message box when the retry succeeds', async () => {
    const { el, id, failed } = await failedTurn('drop');
    retryButton(failed)!.focus();
    await sendKeys({ press: 'Enter' });
    await retried(el, id);
    expect(el.store.messages.at(-1)!.status).to.equal('complete');
    expect(deepActive() === parts(el).textarea, `focus in the message box (it is on ${describeActive()})`).to.equal(true);
  });

  it("goes to the new error's Retry when the retry fails again", async () => {
    const { el, id, failed: first } = await failedTurn('failed');
    retryButton(first)!.focus();
    await sendKeys({ press: 'Enter' });
    await retried(el, id);
    const last = await until(() => {
      const messages = parts(el).messages() as IcMessage[];
      const candidate = messages.at(-1)!;
      return candidate !== first && retryButton(candidate) ? candidate : null;
    }, 'the new error with Retry');
    await until(() => deepActive() === retryButton(last), `focus on the new Retry (it is on ${describeActive()})`);
    expect(retryButton(first), 'the old Retry is gone').to.equal(null);
  });

  it('leaves focus on the host page when the visitor moves there while the new error is still being drawn', async () => {
    const pageInput = document.createElement('input');
    pageInput.setAttribute('aria-label', 'A field on the page');
    document.body.append(pageInput);
    try {
      const { el, id, failed: first } = await failedTurn('failed');
      const moved = moveToPageDuringWait(el, 'ic-error', pageInput);
      retryButton(first)!.focus();
      await sendKeys({ press: 'Enter' });
      await retried(el, id);
      const before = await until(() => Promise.race([moved, aTimeout(0).then(() => '')]), 'the failed retry to be drawn');
      expect(before, 'focus was in the message box, where pressing Retry put it').to.equal('<textarea part="input">');
      const last = parts(el).messages().at(-1) as IcMessage;
      expect(last).to.not.equal(first);
      await last.updateComplete;
      await aTimeout(50);
      expect(retryButton(last), 'the new error has Retry').to.not.equal(null);
      expect(deepActive() === pageInput, `focus stays on the page (it is on ${describeActive()})`).to.equal(true);
    } finally {
      pageInput.remove();
    }
  });

  it('leaves focus alone when Retry is clicked while focus is elsewhere', async () => {
    const { el, id, failed } = await failedTurn('drop');
    const log = parts(el).log();
    log.focus();
    // A scripted click (no focus move), as assistive technology or the host page might do.
    retryButton(failed)!.click();
    await retried(el, id);
    expect(deepActive() === log, `focus stays on the transcript (it is on ${describeActive()})`).to.equal(true);
  });
});

describe('the full-screen (modal) panel wraps Tab at both ends', () => {
  it('Shift+Tab from the first control goes to the last one (Send), Tab from the last to the first', async () => {
    await setViewport({ width: 375, height: 700 });
    const el = await fixture<IcSupportChat>(html`<ic-support-chat mode="launcher" endpoint="/api/support" persist="none"></ic-support-chat>`);
    await el.updateComplete;
    el.open();
    await el.updateComplete;
    const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
    await until(() => panel.getAttribute('aria-modal') === 'true', 'the panel to be modal');
    await parts(el).composer.updateComplete;
    parts(el).textarea.focus();
    await sendKeys({ type: 'A draft' });
    await parts(el).composer.updateComplete;
    const send = parts(el).sendButton()!;
    expect(send.disabled).to.equal(false);

    // The header's first control is its menu button (New conversation is an item of the menu).
    const menuButton = await headerMenuButton(el);
    menuButton.focus();
    await pressWithShift('Tab');
    expect(deepActive() === send, `Shift+Tab wraps to Send (it is on ${describeActive()})`).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(deepActive() === menuButton, `Tab wraps to the first control (it is on ${describeActive()})`).to.equal(true);
  });

  it('includes controls slotted into the header', async () => {
    await setViewport({ width: 375, height: 700 });
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <ic-support-chat mode="launcher" endpoint="/api/support" persist="none">
          <span slot="header"><a href="#help">Help centre</a></span>
        </ic-support-chat>
      </div>`,
    );
    const el = wrapper.querySelector('ic-support-chat')!;
    await el.updateComplete;
    el.open();
    await el.updateComplete;
    const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
    await until(() => panel.getAttribute('aria-modal') === 'true', 'the panel to be modal');
    await parts(el).composer.updateComplete;
    const link = wrapper.querySelector('a')!;
    // The message box is the last control while the draft is empty (Send is disabled).
    parts(el).textarea.focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === link, `Tab wraps to the slotted link (it is on ${describeActive()})`).to.equal(true);
    await pressWithShift('Tab');
    expect(deepActive() === parts(el).textarea, `Shift+Tab wraps to the message box (it is on ${describeActive()})`).to.equal(true);
  });
});
