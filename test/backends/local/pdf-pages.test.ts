import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pdfPageCount } from '../../../src/backends/local/pdf-pages.js';
import { makePdf, makePdfWithObjectStream, makePng } from './fixtures/build-files.js';

describe('pdfPageCount', () => {
  it('counts /Type /Page objects, not the /Pages tree node', () => {
    assert.equal(pdfPageCount(makePdf(1)), 1);
    assert.equal(pdfPageCount(makePdf(3)), 3);
    assert.equal(pdfPageCount(makePdf(12)), 12);
  });

  it('counts a page redefined by an incremental update once', () => {
    assert.equal(pdfPageCount(makePdf(2, { incrementalUpdate: true })), 2);
  });

  it('finds pages inside compressed object streams (PDF 1.5+)', () => {
    assert.equal(pdfPageCount(makePdfWithObjectStream(4)), 4);
  });

  it('returns null for a non-PDF or a PDF without pages', () => {
    assert.equal(pdfPageCount(makePng(2, 2)), null);
    assert.equal(pdfPageCount(new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n')), null);
  });
});
