// What the polite live region says, recorded as the DOM changes a screen reader reacts to: every
// finished reply once, even identical ones, even with the launcher's panel closed, and after an
// approval only the new part. Real Chromium, the scripted fault server over real HTTP.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { parts, untilIdle } from '../support/dom.js';
import { faultChat, faultEndpoint, until } from '../support/fault-endpoint.js';

/**
 * Records the live region's text each time its DOM changes. A screen reader announces a live
 * region when its nodes or text change; a reply whose text equals the previous one must still
 * change the DOM to be heard.
 */
function recordAnnouncements(el: IcSupportChat): { texts: string[]; region: HTMLElement; stop: () => void } {
  const region = parts(el).liveRegion;
  const texts: string[] = [];
  const observer = new MutationObserver(() => {
    const text = region.textContent!.replace(/\s+/g, ' ').trim();
    if (text) texts.push(text);
  });
  observer.observe(region, { childList: true, subtree: true, characterData: true });
  return { texts, region, stop: () => observer.disconnect() };
}

/** Sends `text` and waits until its reply has finished and the element has rendered. */
async function askAndWait(el: IcSupportChat, text: string): Promise<void> {
  await el.send(text);
  await untilIdle(el.store);
  await el.updateComplete;
  await aTimeout(0); // mutation records are delivered after the render
}

describe('reply announcements', () => {
  it('announces each finished reply, also two identical ones in a row', async () => {
    const { endpoint } = faultEndpoint('ok');
    const el = await faultChat(endpoint);
    const recorded = recordAnnouncements(el);
    try {
      await askAndWait(el, 'Hello?');
      await askAndWait(el, 'Hello again?');
      expect(el.store.messages.filter((m) => m.role === 'assistant')).to.have.length(2);
      expect(recorded.texts).to.deep.equal(['New reply: Hello from the fault server.', 'New reply: Hello from the fault server.']);
      await expect(el).to.be.accessible();
    } finally {
      recorded.stop();
    }
  });

  it('launcher mode: a reply that finishes while the panel is closed is still announced', async () => {
    const { endpoint } = faultEndpoint('ok');
    const el = await fixture<IcSupportChat>(html`<ic-support-chat mode="launcher" endpoint=${endpoint} persist="none"></ic-support-chat>`);
    await el.updateComplete;
    const panel = el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
    expect(panel.hidden).to.equal(true);
    await askAndWait(el, 'Hello?');
    const region = parts(el).liveRegion;
    expect(region.textContent!.trim()).to.equal('New reply: Hello from the fault server.');
    // A live region inside a hidden (display: none) subtree is not in the accessibility tree.
    expect(panel.contains(region), 'the live region is outside the hidden panel').to.equal(false);
    expect(region.checkVisibility(), 'the live region is rendered').to.equal(true);
    expect(region.getAttribute('aria-live')).to.equal('polite');
    await expect(el).to.be.accessible();
  });

  it('after an approval, announces only the continuation, not the text already announced', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    const recorded = recordAnnouncements(el);
    try {
      await el.send('Please open a ticket');
      await until(() => el.store.status === 'awaiting_approval', 'the approval to wait');
      await el.updateComplete;
      await aTimeout(0);
      // The reply, and that the visitor must now decide (their focus may be elsewhere on the page).
      const waiting = 'New reply: I can open a ticket for you. Approval needed. Approve or deny the request above to continue.';
      expect(recorded.texts.at(-1)).to.equal(waiting);
      const approvalId = el.store.pendingApproval!.approvalId;
      expect(await el.decideApproval(approvalId, 'approve')).to.equal(true);
      await untilIdle(el.store);
      await el.updateComplete;
      await aTimeout(0);
      expect(recorded.texts).to.deep.equal([waiting, 'New reply: Done: ticket T-4242 is open.']);
    } finally {
      recorded.stop();
    }
  });

  it('an approval the host page decides is announced as waiting for that decision', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    el.addEventListener('ic-approval-request', (event) => event.preventDefault());
    const recorded = recordAnnouncements(el);
    try {
      await el.send('Please open a ticket');
      await until(() => el.store.status === 'awaiting_approval', 'the approval to wait');
      await el.updateComplete;
      await aTimeout(0);
      expect(recorded.texts.at(-1)).to.equal('New reply: I can open a ticket for you. Approval needed. Waiting for a decision…');
    } finally {
      recorded.stop();
    }
  });
});
