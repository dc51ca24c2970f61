// Issue 17, defect 7: a sent image is a thumbnail that opens full size in a dialog a keyboard and a
// screen reader can use (Escape closes it, focus comes back); composer chips sit two a row on a phone.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcAttachmentChip } from '../../../src/widget/attachment-chip/attachment-chip.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { parts } from '../support/dom.js';
import { until } from '../support/fault-endpoint.js';
import { imageFile } from '../attachments/files.js';
import { whenAttachmentUiReady } from '../../../src/widget/lazy-parts.js';

// The attachment chip is an on-demand chunk (lazy-parts.ts): these tests are about the element.
before(() => whenAttachmentUiReady());

const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('sent images and chips (issue 17)', () => {
  it('a sent image is a thumbnail button that opens a modal viewer; Escape closes it and focus returns', async () => {
    const el = await fixture<IcAttachmentChip>(
      html`<ic-attachment-chip name="receipt.png" media-type="image/png" size="137000" preview-url=${PIXEL} href=${PIXEL} viewable></ic-attachment-chip>`,
    );
    const root = el.shadowRoot!;
    const open = root.querySelector<HTMLButtonElement>('button.open')!;
    const thumb = open.querySelector('img')!;
    expect(thumb.alt).to.equal('Open receipt.png full size');
    expect(getComputedStyle(thumb).maxHeight).to.equal('160px');
    expect(root.querySelector('[part="attachment-size"]')!.textContent).to.equal('137 kB');
    await expect(el).to.be.accessible();

    el.focus();
    expect(root.activeElement === open, 'the thumbnail takes focus').to.equal(true);
    await sendKeys({ press: 'Enter' });
    const dialog = await until(() => root.querySelector('dialog'), 'the viewer');
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(dialog.getAttribute('aria-label')).to.equal('receipt.png');
    expect(dialog.querySelector('img')!.getAttribute('src')).to.equal(PIXEL);
    expect(root.activeElement!.textContent).to.equal('Close');
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await until(() => !root.querySelector('dialog'), 'the viewer to close');
    expect(root.activeElement === open, 'focus is back on the thumbnail').to.equal(true);

    // The Close button closes it too.
    open.click();
    const again = await until(() => root.querySelector('dialog'), 'the viewer again');
    again.querySelector<HTMLButtonElement>('.viewer-close')!.click();
    await until(() => !root.querySelector('dialog'), 'the viewer to close again');
  });

  it('on a 375 px phone two composer chips with long names share a row', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div style="width: 375px; height: 600px"><ic-support-chat persist="none" lang="en"></ic-support-chat></div>`);
    const el = wrap.querySelector<IcSupportChat>('ic-support-chat')!;
    await el.updateComplete;
    await el.store.attachments.add([await imageFile('a-very-long-screenshot-name-from-the-phone.png', 40, 30), await imageFile('another-rather-long-photo-name.png', 40, 30)]);
    await el.store.attachments.settle();
    const composer = parts(el).composer;
    await composer.updateComplete;
    const chips = [...composer.shadowRoot!.querySelectorAll<IcAttachmentChip>('ic-attachment-chip')];
    expect(chips).to.have.length(2);
    for (const chip of chips) await chip.updateComplete;
    const [a, b] = chips.map((c) => c.getBoundingClientRect());
    expect(Math.round(a!.top)).to.equal(Math.round(b!.top));
    expect(a!.right <= 375 && b!.right <= 375, 'both fit the phone').to.equal(true);
  });
});
