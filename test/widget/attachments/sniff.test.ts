import { expect } from '@open-wc/testing';
import { accepts, describeAccept, parseAccept } from '../../../src/widget/attachments/accept.js';
import { sniffBlob, sniffBytes } from '../../../src/widget/attachments/sniff.js';
import { exeFile, imageFile, pdfFile } from './files.js';

const bytes = (...values: (number | string)[]) => new Uint8Array(values.flatMap((v) => (typeof v === 'string' ? Array.from(v, (c) => c.charCodeAt(0)) : [v])));

describe('sniffing an attachment by its first bytes', () => {
  it('recognises PNG, JPEG, GIF (87a and 89a), WebP and PDF', () => {
    expect(sniffBytes(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0))).to.equal('image/png');
    expect(sniffBytes(bytes(0xff, 0xd8, 0xff, 0xe0))).to.equal('image/jpeg');
    expect(sniffBytes(bytes('GIF87a'))).to.equal('image/gif');
    expect(sniffBytes(bytes('GIF89a'))).to.equal('image/gif');
    expect(sniffBytes(bytes('RIFF', 0x10, 0, 0, 0, 'WEBP'))).to.equal('image/webp');
    expect(sniffBytes(bytes('%PDF-1.7'))).to.equal('application/pdf');
  });

  it('refuses what is none of them, truncated headers, RIFF that is not WebP, and junk before %PDF', () => {
    expect(sniffBytes(bytes('MZ', 0x90, 0))).to.equal(null);
    expect(sniffBytes(bytes(0x89, 'PN'))).to.equal(null);
    expect(sniffBytes(bytes('RIFF', 0x10, 0, 0, 0, 'WAVE'))).to.equal(null);
    expect(sniffBytes(bytes(' %PDF-1.7'))).to.equal(null);
    expect(sniffBytes(new Uint8Array())).to.equal(null);
  });

  it('goes by the bytes, not the name or the declared type', async () => {
    expect(await sniffBlob(pdfFile('photo.png', 1, 'image/png'))).to.equal('application/pdf');
    expect(await sniffBlob(exeFile('cat.png'))).to.equal(null);
    expect(await sniffBlob(await imageFile('doc.pdf', 10, 10))).to.equal('image/png');
  });
});

describe('the accept list', () => {
  it('parses the attribute, ignoring blanks and nonsense', () => {
    expect(parseAccept(' image/PNG, application/pdf,, .exe , image/* ')).to.deep.equal(['image/png', 'application/pdf', 'image/*']);
    expect(parseAccept(null)).to.deep.equal([]);
  });
  it('matches exact types and wildcards', () => {
    expect(accepts(['image/*'], 'image/webp')).to.equal(true);
    expect(accepts(['image/png'], 'image/jpeg')).to.equal(false);
    expect(accepts(['application/pdf'], 'application/pdf')).to.equal(true);
  });
  it('names the accepted types for people', () => {
    expect(describeAccept(['image/png', 'application/pdf'], 'en')).to.equal('PNG or PDF');
  });
});
