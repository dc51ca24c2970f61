import { expect } from '@open-wc/testing';
import { AttachmentDraft, withFileIds } from '../../../src/widget/attachments/attachment-draft.js';
import type { Limits } from '../../../src/protocol/types.js';
import { bigPdf, dataUrlBytes, decodeDataUrl, exeFile, imageFile, pdfFile } from './files.js';

describe('AttachmentDraft', () => {
  it('accepts images and PDFs by their bytes and encodes them as data URLs of the sniffed type', async () => {
    const draft = new AttachmentDraft();
    const png = await imageFile('shot.png', 40, 30);
    // A PDF that claims to be a PNG by name and declared type: it is sent as what it is.
    const pdf = pdfFile('scan.png', 2, 'image/png');
    await draft.add([png, pdf]);
    expect(draft.refusals).to.deep.equal([]);
    expect(draft.items.map((i) => [i.name, i.mediaType, i.status])).to.deep.equal([
      ['shot.png', 'image/png', 'ready'],
      ['scan.png', 'application/pdf', 'ready'],
    ]);
    expect(draft.items[0]!.previewUrl).to.match(/^blob:/);
    expect(draft.items[1]!.previewUrl).to.equal(undefined);
    const taken = draft.collect()!;
    expect(taken.parts[0]!.type).to.equal('image');
    expect(taken.parts[1]).to.include({ type: 'file', filename: 'scan.png' });
    const image = taken.parts[0] as { image: string };
    const file = taken.parts[1] as { data: string };
    expect(image.image.startsWith('data:image/png;base64,')).to.equal(true);
    expect(file.data.startsWith('data:application/pdf;base64,')).to.equal(true);
    // Byte-exact: what is sent is the file the visitor picked.
    expect(await dataUrlBytes(file.data)).to.deep.equal(new Uint8Array(await pdf.arrayBuffer()));
    expect(await dataUrlBytes(image.image)).to.deep.equal(new Uint8Array(await png.arrayBuffer()));
    expect(taken.metas).to.deep.equal([
      { name: 'shot.png', media_type: 'image/png', size: png.size },
      { name: 'scan.png', media_type: 'application/pdf', size: pdf.size },
    ]);
  });

  it('refuses a renamed executable, an over-size PDF and one file too many, naming each, and keeps the rest', async () => {
    const draft = new AttachmentDraft();
    draft.configure({ maxFiles: 2, maxFileBytes: 50_000 });
    const ok = await imageFile('ok.png', 20, 20);
    await draft.add([exeFile('setup.png'), ok, bigPdf('huge.pdf', 60_000), pdfFile('a.pdf', 1), pdfFile('b.pdf', 1)]);
    expect(draft.items.map((i) => i.name)).to.deep.equal(['ok.png', 'a.pdf']);
    expect(draft.refusals).to.deep.equal([
      { name: 'setup.png', reason: 'type', accept: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'] },
      { name: 'huge.pdf', reason: 'size', size: 60_000, limit: 50_000 },
      { name: 'b.pdf', reason: 'count', limit: 2 },
    ]);
    // A later batch replaces the messages; the draft (already full) refuses by count.
    await draft.add([pdfFile('c.pdf', 1)]);
    expect(draft.refusals.map((r) => [r.name, r.reason])).to.deep.equal([['c.pdf', 'count']]);
    expect(draft.items).to.have.length(2);
  });

  it('downscales a 3000×2000 screenshot to 2048 px on its longer side, keeping PNG', async () => {
    const draft = new AttachmentDraft();
    const big = await imageFile('screenshot.png', 3000, 2000);
    await draft.add([big]);
    const item = draft.items[0]!;
    expect(item).to.include({ status: 'ready', mediaType: 'image/png', width: 2048, height: 1365, originalSize: big.size });
    const sent = await decodeDataUrl((draft.collect()!.parts[0] as { image: string }).image);
    expect(sent).to.include({ mediaType: 'image/png', width: 2048, height: 1365 });
    expect(sent.bytes).to.equal(item.size);
  });

  it('keeps JPEG photos lossy and honours a smaller max-image-dimension', async () => {
    const draft = new AttachmentDraft();
    draft.configure({ maxImageDimension: 800 });
    await draft.add([await imageFile('photo.jpg', 1200, 1600, { type: 'image/jpeg', noise: true })]);
    const sent = await decodeDataUrl((draft.collect()!.parts[0] as { image: string }).image);
    expect(sent).to.include({ mediaType: 'image/jpeg', width: 600, height: 800 });
  });

  it('shrinks an image under the byte limit, and never sends more than the limit', async () => {
    const draft = new AttachmentDraft();
    draft.configure({ maxFileBytes: 300_000 });
    const noisy = await imageFile('noise.png', 600, 600, { noise: true }); // ≈1 MB of incompressible PNG
    expect(noisy.size).to.be.greaterThan(300_000);
    await draft.add([noisy]);
    expect(draft.refusals).to.deep.equal([]);
    const item = draft.items[0]!;
    expect(item.size).to.be.at.most(300_000);
    expect(item.width).to.be.below(600);
    const sent = await decodeDataUrl((draft.collect()!.parts[0] as { image: string }).image);
    expect(sent.bytes).to.be.at.most(300_000);
    expect(sent.mediaType).to.equal('image/png');
  });

  it('refuses an image that cannot fit the byte limit even shrunk, instead of exceeding it', async () => {
    const draft = new AttachmentDraft();
    draft.configure({ maxFileBytes: 2_000 });
    const noisy = await imageFile('noise.png', 400, 400, { noise: true });
    await draft.add([noisy]);
    expect(draft.items).to.deep.equal([]);
    expect(draft.refusals).to.deep.equal([{ name: 'noise.png', reason: 'size', size: noisy.size, limit: 2_000 }]);
  });

  it('refuses an image whose header is right but whose content cannot be decoded', async () => {
    const draft = new AttachmentDraft();
    const broken = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5])], 'broken.png');
    await draft.add([broken]);
    expect(draft.items).to.deep.equal([]);
    expect(draft.refusals).to.deep.equal([{ name: 'broken.png', reason: 'unreadable' }]);
  });

  it('uses the limits from POST /session over its attributes', async () => {
    let limits: Limits | null = null;
    const draft = new AttachmentDraft(() => limits);
    draft.configure({ maxFiles: 5, accept: ['application/pdf', 'image/png'] });
    limits = { max_file_bytes: 10_000, max_files: 1, accept: ['application/pdf'] };
    expect(draft.settings).to.deep.equal({ accept: ['application/pdf'], maxFileBytes: 10_000, maxFiles: 1, maxImageDimension: 2048 });
    await draft.add([await imageFile('a.png', 10, 10), pdfFile('a.pdf', 1), pdfFile('b.pdf', 1)]);
    expect(draft.items.map((i) => i.name)).to.deep.equal(['a.pdf']);
    expect(draft.refusals.map((r) => [r.name, r.reason])).to.deep.equal([
      ['a.png', 'type'],
      ['b.pdf', 'count'],
    ]);
  });

  it('removes a file and revokes its preview; a removed file is never sent', async () => {
    const draft = new AttachmentDraft();
    await draft.add([await imageFile('a.png', 10, 10), pdfFile('b.pdf', 1)]);
    const url = draft.items[0]!.previewUrl!;
    draft.remove(draft.items[0]!.id);
    expect(draft.notice).to.deep.equal({ kind: 'removed', name: 'a.png' });
    expect(draft.collect()!.metas.map((m) => m.name)).to.deep.equal(['b.pdf']);
    let failed = false;
    await fetch(url).catch(() => (failed = true));
    expect(failed, 'the revoked object URL no longer loads').to.equal(true);
  });

  it('gives sent attachments their file ids from run.started, in order', () => {
    const metas = [
      { name: 'a.png', media_type: 'image/png', size: 10 },
      { name: 'b.pdf', media_type: 'application/pdf', size: 20 },
    ];
    expect(
      withFileIds(metas, [
        { file_id: 'file_1', filename: 'a.png', media_type: 'image/png', size: 10 },
        { file_id: 'file_2', filename: 'b.pdf', media_type: 'application/pdf', size: 20 },
      ]),
    ).to.deep.equal([
      { ...metas[0], file_id: 'file_1' },
      { ...metas[1], file_id: 'file_2' },
    ]);
    // A backend that stored only the PDF: matched by type and size, the image stays unlinked.
    expect(withFileIds(metas, [{ file_id: 'file_9', media_type: 'application/pdf', size: 20 }])).to.deep.equal([metas[0], { ...metas[1], file_id: 'file_9' }]);
  });
});
