// The whole attachment flow through <ic-support-chat>, over real HTTP against the real local backend
// mounted at /api/support (test/support/test-server.ts): picker, drop and paste, chips, removal,
// refusals, downscaling, the exact request body on the wire, run.started.files and /files/{id}.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcAttachmentChip } from '../../../src/widget/attachment-chip/attachment-chip.js';
import type { IcSendEvent } from '../../../src/widget/events.js';
import { ProtocolV1Transport } from '../../../src/widget/state/transport.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { RunRequest } from '../../../src/protocol/types.js';
import { messageText } from '../../../src/widget/types.js';
import { formatFileSize } from '../../../src/protocol/file-size.js';
import { nextStoreEvent, parts, untilIdle } from '../support/dom.js';
import { bigPdf, dataTransferOf, decodeDataUrl, exeFile, imageFile, pdfFile } from './files.js';

/** The real HTTP transport, recording each `POST /runs` body exactly as it went on the wire. */
function recordingTransport() {
  const bodies: string[] = [];
  const transport = new ProtocolV1Transport('/api/support', {
    fetch: (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/runs') && typeof init?.body === 'string') bodies.push(init.body);
      return fetch(input, init);
    },
  });
  return { transport, bodies, requests: () => bodies.map((b) => JSON.parse(b) as RunRequest) };
}

async function chat() {
  const rec = recordingTransport();
  const el = await fixture<IcSupportChat>(html`<ic-support-chat persist="none" lang="en" .transport=${rec.transport}></ic-support-chat>`);
  if (!el.store.session) await nextStoreEvent(el.store, 'change');
  while (!el.store.session) await nextStoreEvent(el.store, 'change');
  const p = parts(el);
  const cRoot = p.composer.shadowRoot!;
  const ui = {
    ...p,
    ...rec,
    el,
    store: el.store,
    fileInput: cRoot.querySelector<HTMLInputElement>('input[type="file"]')!,
    attachButton: cRoot.querySelector<HTMLButtonElement>('[part="attach-button"]')!,
    chips: () => [...cRoot.querySelectorAll<IcAttachmentChip>('ic-attachment-chip')],
    alert: () => cRoot.querySelector<HTMLElement>('[part="attachment-error"]')!,
    alertText: () => cRoot.querySelector<HTMLElement>('[part="attachment-error"] [role="alert"]')!.textContent!.trim(),
    notice: () => [...cRoot.querySelectorAll('[role="status"]')].map((n) => n.textContent!.trim()).join(' '),
    panel: el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!,
    async pick(files: File[]) {
      ui.fileInput.files = dataTransferOf(files).files;
      ui.fileInput.dispatchEvent(new Event('change', { bubbles: true }));
      await ui.settled();
    },
    async settled() {
      await el.store.attachments.settle();
      await el.updateComplete;
      await p.composer.updateComplete;
      for (const chip of ui.chips()) await chip.updateComplete;
    },
    async type(text: string) {
      p.textarea.focus();
      await sendKeys({ type: text });
    },
  };
  return ui;
}

function textOf(chip: IcAttachmentChip) {
  return {
    name: chip.shadowRoot!.querySelector('[part="attachment-name"]')!.textContent,
    size: chip.shadowRoot!.querySelector('[part="attachment-size"]')!.textContent,
    thumb: chip.shadowRoot!.querySelector('img')?.getAttribute('src') ?? null,
    icon: chip.shadowRoot!.querySelector('[part="attachment-icon"]') !== null,
    href: chip.shadowRoot!.querySelector('a')?.getAttribute('href') ?? null,
    remove: chip.shadowRoot!.querySelector('[part="remove-button"]')?.getAttribute('aria-label') ?? null,
  };
}

async function dataUrlOf(file: Blob, type: string): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:${type};base64,${btoa(binary)}`;
}

/**
 * A paste event carrying `data`, as a real paste gives it. Firefox's ClipboardEvent constructor
 * drops the `clipboardData` it is given (the event gets an empty one), so there the data is put
 * on the event the way the browser's own paste puts it.
 */
function pasteEvent(data: DataTransfer): ClipboardEvent {
  const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true, cancelable: true });
  if (event.clipboardData !== data) Object.defineProperty(event, 'clipboardData', { value: data });
  return event;
}
describe('attachments in <ic-support-chat> (real local backend)', () => {
  it('picker: the Attach files button opens the file input; chips show; text and files go in one turn, exactly', async () => {
    const ui = await chat();
    expect(ui.attachButton.getAttribute('aria-label')).to.equal('Attach files');
    expect(ui.fileInput.multiple).to.equal(true);
    expect(ui.fileInput.accept).to.equal('image/png,image/jpeg,image/webp,image/gif,application/pdf');
    let opened = false;
    ui.fileInput.click = () => void (opened = true);
    ui.attachButton.click();
    expect(opened, 'the button opens the picker').to.equal(true);

    const png = await imageFile('error.png', 320, 200);
    const pdf = pdfFile('invoice.pdf', 3);
    await ui.pick([png, pdf]);
    const [img, doc] = ui.chips().map(textOf);
    expect(img).to.deep.include({ name: 'error.png', icon: false, href: null, remove: 'Remove error.png' });
    expect(img!.thumb).to.match(/^blob:/);
    expect(doc).to.deep.include({ name: 'invoice.pdf', thumb: null, icon: true, remove: 'Remove invoice.pdf' });
    expect(doc!.size).to.match(/^\d+ bytes$/);
    expect(ui.notice()).to.contain('Attached: error.png and invoice.pdf');
    await expect(ui.composer).to.be.accessible();

    await ui.type('The payment page shows this');
    let sendDetail: IcSendEvent['detail'] | undefined;
    ui.el.addEventListener('ic-send', (e) => (sendDetail = e.detail));
    const started = nextStoreEvent(ui.store, 'run-start');
    ui.sendButton()!.click();
    await started;
    await untilIdle(ui.store);

    // The exact body on the wire: text part first, then the files as data URLs in the order added.
    expect(ui.requests()).to.have.length(1);
    const body = ui.requests()[0]!;
    expect(body).to.deep.equal({
      thread_id: ui.store.threadId,
      stream: true,
      input: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'The payment page shows this' },
            { type: 'image', image: await dataUrlOf(png, 'image/png'), filename: 'error.png' },
            { type: 'file', filename: 'invoice.pdf', data: await dataUrlOf(pdf, 'application/pdf') },
          ],
        },
      ],
    });
    expect(sendDetail).to.deep.equal({
      text: 'The payment page shows this',
      attachments: [
        { name: 'error.png', media_type: 'image/png', size: png.size },
        { name: 'invoice.pdf', media_type: 'application/pdf', size: pdf.size },
      ],
    });

    // The draft is empty again; the transcript keeps metadata with the backend's file ids.
    expect(ui.chips()).to.have.length(0);
    const [user, reply] = ui.store.messages;
    expect(user!.attachments!.map((a) => [a.name, a.media_type, a.size])).to.deep.equal([
      ['error.png', 'image/png', png.size],
      ['invoice.pdf', 'application/pdf', pdf.size],
    ]);
    for (const a of user!.attachments!) expect(a.file_id).to.match(/^file_/);
    expect(JSON.stringify(user)).not.to.contain('base64');
    // The local backend acknowledges what it received, naming the image and writing sizes as the chips do.
    expect(messageText(reply!)).to.contain('320 × 200 px').and.to.contain('PDF, 3 pages');
    expect(messageText(reply!)).to.contain('**error\\.png**: PNG image');
    for (const file of [png, pdf]) expect(messageText(reply!)).to.contain(formatFileSize(file.size, 'en'));

    // In the transcript: chips linking to the stored files, which open for their owner.
    const message = ui.messages()[0]!;
    await message.updateComplete;
    const sent = [...message.shadowRoot!.querySelectorAll<IcAttachmentChip>('ic-attachment-chip')];
    for (const chip of sent) await chip.updateComplete;
    // The image is a thumbnail that opens full size; the PDF links to the stored file.
    expect(sent[0]!.shadowRoot!.querySelector('a')).to.equal(null);
    expect(sent[0]!.shadowRoot!.querySelector('button.open img')).to.exist;
    const links = [sent[1]!.shadowRoot!.querySelector('a')!];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([`/api/support/files/${user!.attachments![1]!.file_id}`]);
    for (const a of links) {
      expect(a.target).to.equal('_blank');
      expect(a.rel).to.equal('noopener');
    }
    expect(sent[0]!.shadowRoot!.querySelector('img')).to.exist;
    const served = await fetch(links[0]!.href);
    expect(served.status).to.equal(200);
    expect(served.headers.get('content-type')).to.contain('application/pdf');
    expect(new Uint8Array(await served.arrayBuffer())).to.deep.equal(new Uint8Array(await pdf.arrayBuffer()));
    await expect(message).to.be.accessible();
  });

  it('drop: a drop target shows while files are dragged over the panel; a 3000×2000 screenshot is sent at 2048 px', async () => {
    const ui = await chat();
    const big = await imageFile('screenshot.png', 3000, 2000);
    const dt = dataTransferOf([big]);
    const overlay = () => ui.el.shadowRoot!.querySelector<HTMLElement>('[part="drop-target"]');
    expect(overlay()).to.equal(null);
    ui.panel.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true }));
    const over = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true });
    ui.panel.dispatchEvent(over);
    expect(over.defaultPrevented, 'dragover is cancelled so the drop is allowed').to.equal(true);
    await ui.el.updateComplete;
    expect(overlay()!.textContent).to.equal('Drop files to attach them');
    await expect(ui.el).to.be.accessible();

    // Text being dragged is not a file drop: no overlay change, nothing attached.
    const textDrag = new DataTransfer();
    textDrag.setData('text/plain', 'hello');
    const textOver = new DragEvent('dragover', { dataTransfer: textDrag, bubbles: true, composed: true, cancelable: true });
    ui.panel.dispatchEvent(textOver);
    expect(textOver.defaultPrevented).to.equal(false);

    const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true });
    ui.panel.dispatchEvent(drop);
    expect(drop.defaultPrevented, 'the browser does not open the file').to.equal(true);
    await ui.el.updateComplete;
    expect(overlay()).to.equal(null);
    await ui.settled();
    expect(ui.chips().map((c) => textOf(c).name)).to.deep.equal(['screenshot.png']);

    // Files alone (no text) can be sent: the content is the image part only.
    await ui.el.send();
    const content = ui.requests()[0]!.input[0]!.content as { type: string; image: string }[];
    expect(content.map((c) => c.type)).to.deep.equal(['image']);
    expect(await decodeDataUrl(content[0]!.image)).to.include({ mediaType: 'image/png', width: 2048, height: 1365 });
    expect(messageText(ui.store.messages[1]!)).to.contain('2048 × 1365 px');
  });

  it('paste: a pasted screenshot becomes a chip; pasted text stays text', async () => {
    const ui = await chat();
    const shot = await imageFile('image.png', 200, 100);
    const paste = pasteEvent(dataTransferOf([shot]));
    ui.textarea.dispatchEvent(paste);
    expect(paste.defaultPrevented).to.equal(true);
    await ui.settled();
    expect(ui.chips().map((c) => textOf(c).name)).to.deep.equal(['image.png']);

    const text = new DataTransfer();
    text.setData('text/plain', 'order A-1001');
    const textPaste = pasteEvent(text);
    ui.textarea.dispatchEvent(textPaste);
    expect(textPaste.defaultPrevented).to.equal(false);
    expect(ui.chips()).to.have.length(1);
  });

  it('removal: "Remove FILENAME" by keyboard drops the file, keeps focus nearby, and it is not sent', async () => {
    const ui = await chat();
    await ui.pick([pdfFile('a.pdf', 1), pdfFile('b.pdf', 2)]);
    const removeA = ui.chips()[0]!.shadowRoot!.querySelector<HTMLButtonElement>('[part="remove-button"]')!;
    removeA.focus();
    await sendKeys({ press: 'Enter' });
    await ui.settled();
    await aTimeout(0);
    expect(ui.chips().map((c) => textOf(c).name)).to.deep.equal(['b.pdf']);
    expect(ui.notice()).to.contain('Removed a.pdf');
    // Focus went to the next chip's Remove button.
    const chipB = ui.chips()[0]!;
    expect(ui.composer.shadowRoot!.activeElement).to.equal(chipB);
    expect(chipB.shadowRoot!.activeElement?.getAttribute('aria-label')).to.equal('Remove b.pdf');
    await sendKeys({ press: 'Enter' });
    await ui.settled();
    await aTimeout(0);
    expect(ui.chips()).to.have.length(0);
    expect(ui.composer.shadowRoot!.activeElement).to.equal(ui.textarea);

    await ui.type('no files');
    await sendKeys({ press: 'Enter' });
    await untilIdle(ui.store);
    expect(ui.requests()[0]!.input[0]!.content).to.equal('no files');
  });

  it('refuses by content: an .exe renamed .png is refused, a PDF named .png is taken as a PDF', async () => {
    const ui = await chat();
    await ui.type('see attached');
    await ui.pick([exeFile('setup.png'), pdfFile('scan.png', 1, 'image/png')]);
    expect(ui.alert().hidden).to.equal(false);
    expect(ui.alertText()).to.equal('“setup.png” was not attached: only PNG, JPEG, WebP, GIF, or PDF files can be sent.');
    expect(ui.chips().map((c) => [textOf(c).name, textOf(c).icon])).to.deep.equal([['scan.png', true]]);
    expect(ui.store.attachments.items[0]!.mediaType).to.equal('application/pdf');
    expect(ui.bodies).to.have.length(0);
    expect(ui.textarea.value, 'the draft is kept').to.equal('see attached');
    await expect(ui.composer).to.be.accessible();

    await ui.el.send();
    const content = ui.requests()[0]!.input[0]!.content as { type: string; filename?: string; data?: string }[];
    expect(content[1]).to.include({ type: 'file', filename: 'scan.png' });
    expect(content[1]!.data!.startsWith('data:application/pdf;base64,')).to.equal(true);
    expect(content).to.have.length(2);
  });

  it('refuses a file over the size limit and one file too many, with nothing sent and the draft kept', async () => {
    const ui = await chat();
    // The local backend's limits (POST /session): 10 MB per file, 5 files.
    expect(ui.store.limits).to.deep.include({ max_file_bytes: 10 * 1024 * 1024, max_files: 5 });
    await ui.type('two things');
    await ui.pick([bigPdf('manual.pdf', 12 * 1024 * 1024)]);
    expect(ui.alertText()).to.equal('“manual.pdf” was not attached: it is 13 MB, and the limit is 10 MB per file.');
    expect(ui.chips()).to.have.length(0);

    const six = Array.from({ length: 6 }, (_, i) => pdfFile(`page-${i + 1}.pdf`, 1));
    await ui.pick(six);
    expect(ui.alertText()).to.equal('“page-6.pdf” was not attached: at most 5 files can be sent in one message.');
    expect(ui.chips()).to.have.length(5);
    expect(ui.bodies).to.have.length(0);
    expect(ui.textarea.value).to.equal('two things');

    // Dismiss hides the messages.
    ui.alert().querySelector('button')!.click();
    await ui.settled();
    expect(ui.alert().hidden).to.equal(true);
  });

  it('sends nothing when a file is refused while it is still being prepared', async () => {
    const ui = await chat();
    await ui.type('look');
    const broken = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9, 9])], 'broken.png', { type: 'image/png' });
    ui.fileInput.files = dataTransferOf([await imageFile('fine.png', 50, 50), broken]).files;
    ui.fileInput.dispatchEvent(new Event('change'));
    // Send at once, before the files are ready: it waits, sees the refusal, and sends nothing.
    expect(await ui.el.send()).to.equal(false);
    await ui.settled();
    expect(ui.bodies).to.have.length(0);
    expect(ui.alertText()).to.equal('“broken.png” was not attached: it could not be read.');
    expect(ui.textarea.value).to.equal('look');
    expect(ui.chips().map((c) => textOf(c).name)).to.deep.equal(['fine.png']);
  });
});
