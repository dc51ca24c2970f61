// The tool-call row, approval card and attachment chip (with the image shrinking) are on-demand chunks (src/widget/lazy-parts.ts): the main
// module graph leaves them undefined, and the first tool event loads them, the tags upgrading in
// place, focus following to the approval as when they were part of the main file.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/widget/define.js';
import type { IcSupportChat } from '../../src/widget/support-chat/support-chat.js';
import { parts } from './support/dom.js';
import { approvalOf, faultChat, faultEndpoint, until } from './support/fault-endpoint.js';
import { exeFile, imageFile } from './attachments/files.js';

// No idle prefetch in this file: the approval event alone must bring the elements.
window.requestIdleCallback = () => 0;

function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

async function typeAndSend(el: IcSupportChat, text: string): Promise<void> {
  await parts(el).composer.updateComplete;
  parts(el).textarea.focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

describe('lazily defined tool UI', () => {
  it('is not in the main module graph: the chat renders with <ic-tool-call> and <ic-approval> undefined', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    await el.updateComplete;
    expect(customElements.get('ic-tool-call')).to.equal(undefined);
    expect(customElements.get('ic-approval')).to.equal(undefined);
    expect(customElements.get('ic-attachment-chip')).to.equal(undefined);
  });

  it('a tool call in a reply loads it: the row upgrades in place and shows its label', async () => {
    const { endpoint } = faultEndpoint('tools');
    const el = await faultChat(endpoint);
    await typeAndSend(el, 'Search the docs');
    await until(() => customElements.get('ic-tool-call'), 'the tool-call row to be defined');
    const row = await until(() => parts(el).messages()[1]?.shadowRoot?.querySelector('ic-tool-call')?.shadowRoot?.querySelector('[part="label"]'), 'the row to render');
    expect(row.textContent).to.not.equal('');
  });

  it('the approval event loads it: the card upgrades in place and focus moves to it from the locked message box', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    await typeAndSend(el, 'Please open a ticket');
    const approval = await approvalOf(el);
    expect(customElements.get('ic-approval')).to.not.equal(undefined);
    const box = approval.shadowRoot!.querySelector<HTMLElement>('[part="base"]')!;
    await until(() => deepActive() === box, 'focus on the approval request');
    expect(approval.shadowRoot!.querySelector('[part="approve-button"]')!.textContent!.trim()).to.equal('Approve');
    await expect(el).to.be.accessible();
  });

  it('a file not accepted is refused at once, from the main file; an accepted one loads the chunk, is shrunk and shows as a chip', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    const draft = el.store.attachments;
    await draft.add([exeFile('setup.png')]);
    expect(draft.refusals.map((r) => r.reason)).to.deep.equal(['type']);
    await draft.add([await imageFile('wide.png', 3000, 1000)]);
    expect(draft.items.map((i) => [i.status, i.width])).to.deep.equal([['ready', 2048]]);
    const chip = await until(() => parts(el).composer.shadowRoot?.querySelector('ic-attachment-chip')?.shadowRoot?.querySelector('[part="attachment-name"]'), 'the chip to render');
    expect(chip.textContent).to.contain('wide.png');
    await expect(el).to.be.accessible();
  });
});
