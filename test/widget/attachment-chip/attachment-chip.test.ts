import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcAttachmentChip } from '../../../src/widget/attachment-chip/attachment-chip.js';
import { whenAttachmentUiReady } from '../../../src/widget/lazy-parts.js';

// The attachment chip is an on-demand chunk (lazy-parts.ts): these tests are about the element.
before(() => whenAttachmentUiReady());

// A 1×1 transparent PNG, so the thumbnail loads without a network.
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('<ic-attachment-chip>', () => {
  it('shows an image draft: thumbnail, name, Intl size, and a named Remove button that fires ic-attachment-remove', async () => {
    const el = await fixture<IcAttachmentChip>(
      html`<div lang="en">
        <ic-attachment-chip attachment-id="att_7" name="screenshot.png" media-type="image/png" size="86221" preview-url=${PIXEL} removable></ic-attachment-chip>
      </div>`,
    ).then((wrap) => wrap.querySelector('ic-attachment-chip')!);
    const root = el.shadowRoot!;
    expect(root.querySelector('img')!.getAttribute('src')).to.equal(PIXEL);
    expect(root.querySelector('img')!.alt).to.equal('');
    expect(root.querySelector('[part="attachment-name"]')!.textContent).to.equal('screenshot.png');
    expect(root.querySelector('[part="attachment-size"]')!.textContent).to.equal('86 kB');
    const remove = root.querySelector<HTMLButtonElement>('[part="remove-button"]')!;
    expect(remove.getAttribute('aria-label')).to.equal('Remove screenshot.png');
    expect(root.querySelector('a')).to.equal(null);
    await expect(el).to.be.accessible();

    el.focus();
    expect(root.activeElement).to.equal(remove);
    const event = oneEvent(el, 'ic-attachment-remove');
    await sendKeys({ press: 'Enter' });
    expect((await event).detail).to.deep.equal({ id: 'att_7', name: 'screenshot.png' });
  });

  it('shows a sent PDF as an icon, name and size linking to the stored file in a new tab', async () => {
    const el = await fixture<IcAttachmentChip>(
      html`<ic-attachment-chip name="invoice.pdf" media-type="application/pdf" size="2048" href="/api/support/files/file_abc"></ic-attachment-chip>`,
    );
    const root = el.shadowRoot!;
    expect(root.querySelector('img')).to.equal(null);
    expect(root.querySelector('[part="attachment-icon"] svg')!.getAttribute('aria-hidden')).to.equal('true');
    const link = root.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('/api/support/files/file_abc');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.equal('noopener');
    // What a screen reader reads for the link (the icon is hidden from it).
    expect(link.querySelector('.text')!.textContent).to.equal('invoice.pdf, 2 kB');
    expect(root.querySelector('[part="remove-button"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('says "Preparing…" while the file is being prepared', async () => {
    const el = await fixture<IcAttachmentChip>(html`<ic-attachment-chip name="big.png" media-type="image/png" size="9" pending removable></ic-attachment-chip>`);
    expect(el.shadowRoot!.querySelector('[part="attachment-size"]')!.textContent).to.equal('Preparing…');
    await expect(el).to.be.accessible();
  });
});
