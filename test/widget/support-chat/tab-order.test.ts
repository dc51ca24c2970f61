// The controls Tab reaches, in the order it reaches them, across shadow roots and slots — what the
// full-screen panel's focus wrap relies on — checked against the browser's own Tab presses.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { tabbableElements } from '../../../src/widget/support-chat/tab-order.js';

class TabOrderHost extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML = '<button id="inner-first">inner first</button><slot></slot><button id="inner-last">inner last</button>';
  }
}
if (!customElements.get('tab-order-host')) customElements.define('tab-order-host', TabOrderHost);

const label = (element: Element) => element.id || element.textContent!.trim();

/** Tab from a button before `root` until focus leaves it, noting each control focused. */
async function pressTabThrough(root: HTMLElement): Promise<string[]> {
  const seen: string[] = [];
  root.querySelector<HTMLElement>('#start')!.focus();
  for (let i = 0; i < 20; i++) {
    await sendKeys({ press: 'Tab' });
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active || active.id === 'end') break;
    seen.push(label(active));
  }
  return seen;
}

/** The same page with a control hidden by visibility, which Tab skips too. */
const withInvisible = () =>
  html`<div>
    <button id="start">start</button>
    <div id="panel">
      <button id="shown">shown</button>
      <button id="invisible" style="visibility: hidden">invisible</button>
      <div hidden><button id="in-hidden">in hidden</button></div>
      <details>
        <summary id="summary">summary</summary>
        <button id="closed">in closed details</button>
      </details>
      <tab-order-host><button id="slotted">slotted</button></tab-order-host>
    </div>
    <button id="end">end</button>
  </div>`;

describe('tabbableElements', () => {
  it('skips what is not rendered or invisible, as Tab does', async () => {
    const root = await fixture<HTMLDivElement>(withInvisible());
    const listed = tabbableElements(root.querySelector<HTMLElement>('#panel')!).map(label);
    expect(listed).to.deep.equal(['shown', 'summary', 'inner-first', 'slotted', 'inner-last']);
    expect(await pressTabThrough(root)).to.deep.equal(listed);
  });

  it('gives the same answer where Element.checkVisibility is missing (Safari before 17.4)', async () => {
    const root = await fixture<HTMLDivElement>(withInvisible());
    const panel = root.querySelector<HTMLElement>('#panel')!;
    const expected = tabbableElements(panel).map(label);
    const own = Object.getOwnPropertyDescriptor(Element.prototype, 'checkVisibility');
    // Removed for this test only, as an engine without it would have it.
    delete (Element.prototype as Partial<Element>).checkVisibility;
    try {
      expect(typeof panel.checkVisibility).to.equal('undefined');
      expect(tabbableElements(panel).map(label)).to.deep.equal(expected);
    } finally {
      if (own) Object.defineProperty(Element.prototype, 'checkVisibility', own);
    }
  });

  it('lists the controls in the order Tab visits them, through shadow roots and slots', async () => {
    // The anchor without href is there on purpose: it is not tabbable, and the list must say so.
    /* eslint-disable lit-a11y/anchor-is-valid */
    const root = await fixture<HTMLDivElement>(
      html`<div>
        <button id="start">start</button>
        <div id="panel">
          <a>no href</a>
          <a id="link" href="#x">link</a>
          <button id="disabled" disabled>disabled</button>
          <button id="hidden" hidden>hidden</button>
          <span id="scripted" tabindex="-1">script only</span>
          <div style="display: none"><button id="undisplayed">undisplayed</button></div>
          <tab-order-host><button id="slotted">slotted</button></tab-order-host>
          <summary>loose summary</summary>
          <details>
            <summary id="summary">summary</summary>
            <button id="closed">in closed details</button>
          </details>
          <div id="skipped"><button id="in-skipped">in skipped</button></div>
          <textarea id="text"></textarea>
        </div>
        <button id="end">end</button>
      </div>`,
    );
    /* eslint-enable lit-a11y/anchor-is-valid */
    const panel = root.querySelector<HTMLElement>('#panel')!;
    const listed = tabbableElements(panel, (element) => element.id === 'skipped').map(label);
    expect(listed).to.deep.equal(['link', 'inner-first', 'slotted', 'inner-last', 'summary', 'text']);
    // The browser agrees (the skipped subtree aside, which Tab does visit).
    const tabbed = (await pressTabThrough(root)).filter((name) => name !== 'in-skipped');
    expect(tabbed).to.deep.equal(listed);
  });
});
