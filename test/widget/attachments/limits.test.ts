// Where the limits come from: the element's attributes, overridden by POST /session's `limits`.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { ChatTransport } from '../../../src/widget/state/transport.js';
import { nextStoreEvent, parts } from '../support/dom.js';
import { ScriptedTransport } from '../support/scripted-transport.js';
import { imageFile, pdfFile } from './files.js';

/** A transport that never says its limits (no `POST /session`): the attributes apply. */
const noSession: ChatTransport = {
  startRun() {
    throw new Error('not used');
  },
};

describe('attachment limits', () => {
  it('come from accept, max-files, max-file-size and max-image-dimension when the backend gives none', async () => {
    const el = await fixture<IcSupportChat>(
      html`<ic-support-chat
        persist="none"
        accept="application/pdf, image/jpeg"
        max-files="2"
        max-file-size="3000"
        max-image-dimension="100"
        .transport=${noSession}
      ></ic-support-chat>`,
    );
    const draft = el.store.attachments;
    expect(draft.settings).to.deep.equal({ accept: ['application/pdf', 'image/jpeg'], maxFileBytes: 3000, maxFiles: 2, maxImageDimension: 100 });
    const composer = parts(el).composer;
    await composer.updateComplete;
    expect(composer.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!.accept).to.equal('application/pdf,image/jpeg');

    await draft.add([await imageFile('a.png', 10, 10), await imageFile('b.jpg', 400, 200, { type: 'image/jpeg' }), pdfFile('c.pdf', 1), pdfFile('d.pdf', 1)]);
    expect(draft.items.map((i) => [i.name, i.width ?? null])).to.deep.equal([
      ['b.jpg', 100],
      ['c.pdf', null],
    ]);
    expect(draft.refusals.map((r) => [r.name, r.reason])).to.deep.equal([
      ['a.png', 'type'],
      ['d.pdf', 'count'],
    ]);
  });

  it('from POST /session override the attributes', async () => {
    const transport = new ScriptedTransport(); // session: png only, 1024 bytes, 2 files
    const el = await fixture<IcSupportChat>(html`<ic-support-chat persist="none" accept="application/pdf" max-files="5" .transport=${transport}></ic-support-chat>`);
    while (!el.store.session) await nextStoreEvent(el.store, 'change');
    expect(el.store.attachments.settings).to.deep.include({ accept: ['image/png'], maxFileBytes: 1024, maxFiles: 2 });
    await el.store.attachments.add([pdfFile('c.pdf', 1)]);
    expect(el.store.attachments.refusals.map((r) => [r.name, r.reason])).to.deep.equal([['c.pdf', 'type']]);
    const composer = parts(el).composer;
    await composer.updateComplete;
    expect(composer.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!.accept).to.equal('image/png');
    expect(composer.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('only PNG files can be sent');
  });
});
