// Where the polite live region sits. While the launcher's panel is a full-screen modal dialog
// (aria-modal="true"), WebKit/VoiceOver leaves out everything outside it, so the region must be in
// the panel; otherwise it is outside, because a closed panel is display: none and would silence it.
// When it moves just as a reply finishes, the reply is said again in the new place. Real Chromium,
// the scripted fault server over real HTTP.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { AxNode } from '../../support/ax-tree-plugin.js';
import { untilIdle } from '../support/dom.js';
import { faultEndpoint, until } from '../support/fault-endpoint.js';
import { itIn, AX_TREE, NO_AX_TREE } from '../support/engine.js';

const REPLY = 'New reply: Hello from the fault server.';

const panelOf = (el: IcSupportChat) => el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
/** The chat's polite live region, wherever it is rendered now (the composer's own is in its shadow root). */
const regionOf = (el: IcSupportChat) => el.shadowRoot!.querySelector<HTMLElement>('[role="status"][aria-live="polite"]')!;

interface Said {
  text: string;
  inPanel: boolean;
}

/**
 * Records what the live region says: changes inside it, as a screen reader hears them. A region
 * inserted with its text already in it changes nothing inside itself, and is not recorded: screen
 * readers do not announce that either.
 */
function recordAnnouncements(el: IcSupportChat): { said: Said[]; stop: () => void } {
  const said: Said[] = [];
  const observer = new MutationObserver((records) => {
    const region = regionOf(el);
    const inside = records.some((record) => region?.contains(record.target));
    const text = region?.textContent!.replace(/\s+/g, ' ').trim();
    if (inside && text) said.push({ text, inPanel: panelOf(el).contains(region) });
  });
  observer.observe(el.shadowRoot!, { childList: true, subtree: true, characterData: true });
  return { said, stop: () => observer.disconnect() };
}

async function launcherChat(width: number): Promise<IcSupportChat> {
  await setViewport({ width, height: 700 });
  const { endpoint } = faultEndpoint('ok');
  const el = await fixture<IcSupportChat>(html`<ic-support-chat mode="launcher" endpoint=${endpoint} persist="none"></ic-support-chat>`);
  await el.updateComplete;
  return el;
}

async function openModal(el: IcSupportChat): Promise<void> {
  el.open();
  await el.updateComplete;
  await until(() => panelOf(el).getAttribute('aria-modal') === 'true', 'the panel to be a modal dialog');
  // Its opening fade, which axe would otherwise measure half-way (WebKit under load was that slow).
  await Promise.all(
    panelOf(el)
      .getAnimations()
      .map((animation) => animation.finished),
  );
}

/** Sends `text` and waits until its reply has finished and the element has rendered. */
async function askAndWait(el: IcSupportChat, text: string): Promise<void> {
  await el.send(text);
  await untilIdle(el.store);
  await el.updateComplete;
  await aTimeout(0); // mutation records are delivered after the render
}

afterEach(async () => {
  await setViewport({ width: 1280, height: 800 });
});

describe('the live region and the launcher panel', () => {
  it('full-screen (modal) panel: the region is in the dialog, and a finished reply is announced there', async () => {
    const el = await launcherChat(375);
    await openModal(el);
    const panel = panelOf(el);
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(panel.contains(regionOf(el)), 'the live region is inside the modal dialog').to.equal(true);
    const recorded = recordAnnouncements(el);
    try {
      await askAndWait(el, 'Hello?');
      expect(recorded.said).to.deep.equal([{ text: REPLY, inPanel: true }]);
    } finally {
      recorded.stop();
    }
    expect(regionOf(el).checkVisibility(), 'the live region is rendered').to.equal(true);
    await expect(el).to.be.accessible();
  });

  itIn(AX_TREE, NO_AX_TREE)('full-screen (modal) panel: the finished reply is in the accessibility tree', async () => {
    const el = await launcherChat(375);
    await openModal(el);
    await askAndWait(el, 'Hello?');
    // What Chromium gives a screen reader: the reply's text is exposed. (Chromium keeps what is
    // outside an aria-modal dialog in its tree, unlike WebKit, so placement is checked in the DOM above.)
    const tree = (await executeServerCommand('ax-tree')) as AxNode[];
    expect(
      tree.some((node) => node.role === 'StaticText' && node.name === REPLY),
      'the reply in the accessibility tree',
    ).to.equal(true);
  });

  it('narrow screen, panel closed: the region is outside the (hidden) panel and still announces', async () => {
    const el = await launcherChat(375);
    expect(panelOf(el).hidden).to.equal(true);
    expect(panelOf(el).contains(regionOf(el))).to.equal(false);
    const recorded = recordAnnouncements(el);
    try {
      await askAndWait(el, 'Hello?');
      expect(recorded.said).to.deep.equal([{ text: REPLY, inPanel: false }]);
      expect(regionOf(el).checkVisibility(), 'the live region is rendered').to.equal(true);
    } finally {
      recorded.stop();
    }
  });

  it('wide screen, panel open (not modal): the region stays outside the panel', async () => {
    const el = await launcherChat(1280);
    el.open();
    await el.updateComplete;
    expect(panelOf(el).hidden).to.equal(false);
    expect(panelOf(el).hasAttribute('aria-modal')).to.equal(false);
    expect(panelOf(el).contains(regionOf(el))).to.equal(false);
  });

  it('a reply that finishes as the panel opens full-screen is announced in the dialog', async () => {
    const el = await launcherChat(375);
    const recorded = recordAnnouncements(el);
    try {
      // In the same task as the reply's announcement: both reach the same render.
      el.addEventListener('ic-run-complete', () => el.open(), { once: true });
      await askAndWait(el, 'Hello?');
      expect(panelOf(el).getAttribute('aria-modal')).to.equal('true');
      await until(() => recorded.said.length > 0, 'the reply to be announced');
      expect(recorded.said).to.deep.equal([{ text: REPLY, inPanel: true }]);
    } finally {
      recorded.stop();
    }
  });

  it('a reply that finishes as the full-screen panel closes is announced outside it', async () => {
    const el = await launcherChat(375);
    await openModal(el);
    const recorded = recordAnnouncements(el);
    try {
      el.addEventListener('ic-run-complete', () => el.close(), { once: true });
      await askAndWait(el, 'Hello?');
      expect(panelOf(el).hidden).to.equal(true);
      await until(() => recorded.said.length > 0, 'the reply to be announced');
      expect(recorded.said).to.deep.equal([{ text: REPLY, inPanel: false }]);
      expect(regionOf(el).checkVisibility(), 'the live region is rendered').to.equal(true);
    } finally {
      recorded.stop();
    }
  });

  it('opening the panel well after a reply was announced does not say it again', async () => {
    const el = await launcherChat(375);
    const recorded = recordAnnouncements(el);
    try {
      await askAndWait(el, 'Hello?');
      expect(recorded.said).to.deep.equal([{ text: REPLY, inPanel: false }]);
      await aTimeout(1200);
      await openModal(el);
      expect(panelOf(el).contains(regionOf(el))).to.equal(true);
      await aTimeout(300);
      expect(recorded.said, 'the reply was said once').to.deep.equal([{ text: REPLY, inPanel: false }]);
    } finally {
      recorded.stop();
    }
  });
});
