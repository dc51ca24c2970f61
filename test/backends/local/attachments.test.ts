import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { formatFileSize } from '../../../src/protocol/file-size.js';
import type { RunEventOf } from '../../../src/protocol/types.js';
import { makePdf, makePng, makeWebpVp8x } from './fixtures/build-files.js';
import { alice, attachment, bob, collect, ctxFor, textInput, textOf } from './fixtures/turns.js';

const filesDir = mkdtempSync(join(tmpdir(), 'ic-local-files-'));
after(() => rmSync(filesDir, { recursive: true, force: true }));
const backend = createLocalBackend({ articles: [], delayMs: 0, filesDir });

const png = makePng(640, 480);
const pdf = makePdf(3);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function sendFiles(visitor = alice, thread = 'chat_files') {
  const attachments = [attachment('image', 'image/png', png, 1), attachment('file', 'application/pdf', pdf, 2, 'invoice.pdf')];
  const events = await collect(backend.run(textInput('Here is the error and my invoice', thread, attachments), ctxFor(visitor)));
  return { events, started: events[0] as RunEventOf<'run.started'> };
}

describe('local backend: attachments', () => {
  it('stores each attachment and lists it in run.started.files, in order', async () => {
    const { started } = await sendFiles();
    assert.equal(started.type, 'run.started');
    assert.equal(started.files?.length, 2);
    const [image, doc] = started.files!;
    assert.deepEqual({ ...image, file_id: undefined }, { file_id: undefined, media_type: 'image/png', size: png.byteLength });
    assert.deepEqual({ ...doc, file_id: undefined }, { file_id: undefined, filename: 'invoice.pdf', media_type: 'application/pdf', size: pdf.byteLength });
    for (const f of started.files!) {
      assert.match(f.file_id, /^file_[A-Za-z0-9_-]{20,}$/);
      assert.ok(!f.file_id.includes(sha(png).slice(0, 16)) && !f.file_id.includes(sha(pdf).slice(0, 16)), 'the id is not the content hash');
    }
    assert.notEqual(image!.file_id, doc!.file_id);
  });

  it('acknowledges what it received: image dimensions, PDF pages, names and sizes', async () => {
    const { events } = await sendFiles();
    const text = textOf(events);
    assert.match(text, /I received 2 attachments/);
    assert.match(text, /PNG image, 640 × 480 px/);
    assert.match(text, /\*\*invoice\\\.pdf\*\*: PDF, 3 pages/);
    // The widget's own size format, so the reply and the file's chip say the same.
    assert.ok(text.includes(formatFileSize(pdf.byteLength, 'en')), text);
  });

  it('answers an attachment sent without text', async () => {
    const webp = makeWebpVp8x(1200, 800);
    const events = await collect(backend.run(textInput('', 'chat_only_file', [attachment('image', 'image/webp', webp, 0, 'shot.webp')]), ctxFor(alice)));
    const text = textOf(events);
    assert.match(text, /WEBP image, 1200 × 800 px/);
    assert.match(text, /can't read images/);
  });

  it('stores content-addressed blobs once, however often they are sent', async () => {
    await sendFiles(alice, 'chat_a');
    await sendFiles(bob, 'chat_b');
    const blobs = readdirSync(join(filesDir, 'blobs'));
    assert.ok(blobs.includes(sha(png)) && blobs.includes(sha(pdf)));
    assert.equal(blobs.filter((b) => b === sha(png)).length, 1);
    assert.ok(!blobs.some((b) => b.endsWith('.tmp')));
  });

  it('keeps file_ref parts, not bytes, in the stored history', async () => {
    const { started } = await sendFiles(alice, 'chat_hist_files');
    const [user] = backend.history(alice, 'chat_hist_files');
    assert.ok(Array.isArray(user!.content));
    assert.deepEqual(user!.content, [
      { type: 'text', text: 'Here is the error and my invoice' },
      { type: 'file_ref', file_id: started.files![0]!.file_id, media_type: 'image/png' },
      { type: 'file_ref', file_id: started.files![1]!.file_id, media_type: 'application/pdf', filename: 'invoice.pdf' },
    ]);
    assert.ok(!JSON.stringify(user).includes('base64'));
  });

  it('getFile returns the bytes to the owner only', async () => {
    const { started } = await sendFiles(alice, 'chat_get');
    const [imageId, pdfId] = started.files!.map((f) => f.file_id) as [string, string];

    const mine = await backend.getFile(pdfId, ctxFor(alice));
    assert.ok(mine);
    assert.deepEqual(new Uint8Array(mine.body as Uint8Array), pdf);
    assert.equal(mine.media_type, 'application/pdf');
    assert.equal(mine.filename, 'invoice.pdf');
    assert.equal(mine.size, pdf.byteLength);
    assert.ok(await backend.getFile(imageId, ctxFor(alice)));

    assert.equal(await backend.getFile(pdfId, ctxFor(bob)), null, 'another visitor');
    assert.equal(await backend.getFile(pdfId, ctxFor({ kind: 'user', id: alice.id })), null, 'a user whose id equals the anonymous token');
    assert.equal(await backend.getFile('file_doesnotexist', ctxFor(alice)), null);
    assert.equal(await backend.getFile(sha(pdf), ctxFor(alice)), null, 'the content hash is not an id');
  });

  it('bob sending the same bytes gets his own id, which alice cannot read', async () => {
    const a = (await sendFiles(alice, 'chat_same_a')).started.files![1]!.file_id;
    const b = (await sendFiles(bob, 'chat_same_b')).started.files![1]!.file_id;
    assert.notEqual(a, b);
    assert.ok(await backend.getFile(b, ctxFor(bob)));
    assert.equal(await backend.getFile(b, ctxFor(alice)), null);
  });

  it('keeps ownership records across a restart', async () => {
    const { started } = await sendFiles(alice, 'chat_restart');
    const restarted = createLocalBackend({ articles: [], delayMs: 0, filesDir });
    const id = started.files![0]!.file_id;
    assert.deepEqual(new Uint8Array((await restarted.getFile(id, ctxFor(alice)))!.body as Uint8Array), png);
    assert.equal(await restarted.getFile(id, ctxFor(bob)), null);
    assert.ok(existsSync(join(filesDir, 'files.jsonl')));
  });
});
