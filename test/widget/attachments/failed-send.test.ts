// A failed send keeps the text AND the files in the composer; Retry sends the same parts again.
// A scripted transport reaches the failure deterministically (the happy path runs over real HTTP in
// attachments-flow.test.ts).
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcAttachmentChip } from '../../../src/widget/attachment-chip/attachment-chip.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { ContentPart } from '../../../src/protocol/types.js';
import { nextStoreEvent, parts } from '../support/dom.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';
import { dataTransferOf, imageFile, pdfFile } from './files.js';

async function setup() {
  const transport = new ScriptedTransport();
  transport.session = { v: 1, visitor: { kind: 'anonymous' }, limits: { max_file_bytes: 1_000_000, max_files: 3, accept: ['image/png', 'application/pdf'] } };
  const el = await fixture<IcSupportChat>(html`<ic-support-chat persist="none" .transport=${transport}></ic-support-chat>`);
  while (!el.store.session) await nextStoreEvent(el.store, 'change');
  const p = parts(el);
  const chips = () => [...p.composer.shadowRoot!.querySelectorAll<IcAttachmentChip>('ic-attachment-chip')].map((c) => c.name);
  return { el, transport, store: el.store, ...p, chips };
}

describe('a failed send with attachments', () => {
  it('puts the text and the files back in the composer, and Retry sends exactly the same parts', async () => {
    const { el, store, transport, textarea, composer, chips, messages } = await setup();
    const input = composer.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    input.files = dataTransferOf([await imageFile('a.png', 30, 30), pdfFile('b.pdf', 1)]).files;
    input.dispatchEvent(new Event('change'));
    await store.attachments.settle();
    store.setDraft('Why was I charged twice?');

    transport.refuseWith = { code: 'unavailable', message: 'down' };
    expect(await el.send()).to.equal(true);
    await el.updateComplete;
    await composer.updateComplete;
    expect(textarea.value).to.equal('Why was I charged twice?');
    expect(chips()).to.deep.equal(['a.png', 'b.pdf']);
    // The turn is in the transcript with its files (metadata), marked failed with Retry.
    expect(store.messages[0]!.attachments!.map((a) => a.name)).to.deep.equal(['a.png', 'b.pdf']);
    expect(store.messages[1]!.status).to.equal('error');
    await messages()[0]!.updateComplete;
    expect(messages()[0]!.shadowRoot!.querySelectorAll('ic-attachment-chip')).to.have.length(2);
    await expect(composer).to.be.accessible();

    // Retry: the same request, and the composer's restored copy is cleared (not sent twice).
    transport.refuseWith = undefined;
    const next = transport.nextRun();
    const retried = store.retry();
    const run = await next;
    const content = run.request.input[0]!.content as ContentPart[];
    expect(content.map((c) => c.type)).to.deep.equal(['text', 'image', 'file']);
    expect(store.attachments.items).to.have.length(0);
    expect(store.draft).to.equal('');
    run.push(started('r1'), delta('r1', 'Looking.'), completed('r1'));
    await retried;
    expect(store.messages.filter((m) => m.role === 'user')).to.have.length(1);
  });

  it('sending the restored draft again replaces the failed turn instead of duplicating it', async () => {
    const { el, store, transport } = await setup();
    await store.attachments.add([pdfFile('c.pdf', 1)]);
    transport.refuseWith = { code: 'network_error', message: 'offline' };
    await el.send();
    expect(store.attachments.items.map((i) => i.name)).to.deep.equal(['c.pdf']);
    transport.refuseWith = undefined;
    const next = transport.nextRun();
    const sent = el.send();
    const run = await next;
    expect((run.request.input[0]!.content as ContentPart[]).map((c) => c.type)).to.deep.equal(['file']);
    run.push(started('r2'), completed('r2'));
    await sent;
    expect(store.messages.filter((m) => m.role === 'user')).to.have.length(1);
  });

  it('a cancelled ic-send keeps the files in the composer and sends nothing', async () => {
    const { el, store, transport } = await setup();
    await store.attachments.add([pdfFile('d.pdf', 1)]);
    el.addEventListener('ic-send', (e) => e.preventDefault(), { once: true });
    expect(await el.send()).to.equal(false);
    expect(store.attachments.items.map((i) => i.name)).to.deep.equal(['d.pdf']);
    expect(transport.runs).to.have.length(0);
  });
});
