// Page counting spends at most a budget per turn: object-stream headers (/N, /First) are checked
// before anything is inflated, inflated bytes and examined objects are capped over all of a turn's
// PDFs, and a time budget stops it. Past a cap the count is unknown, never wrong or slow.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_OBJECTS_PER_STREAM, PDF_BUDGET_DEFAULTS, createPdfBudget, pdfPageCount } from '../../../src/backends/local/pdf-pages.js';
import { hugeHeaderPdf, pdfWithObjectStream } from '../../abuse/hostile-pdf.js';
import { makePdf, makePdfWithObjectStream } from './fixtures/build-files.js';

/** An object stream holding `pages` page objects, with a truthful header. */
function streamOf(pages: number): { dict: { n: number; first: number }; data: Buffer } {
  const objects = Array.from({ length: pages }, () => '<< /Type /Page >>');
  let offset = 0;
  const pairs = objects.map((o, i) => {
    const pair = `${10 + i} ${offset}`;
    offset += o.length + 1;
    return pair;
  });
  const header = pairs.join(' ') + '\n';
  return { dict: { n: pages, first: header.length }, data: Buffer.from(header + objects.join('\n'), 'latin1') };
}

describe('pdfPageCount: bounded', () => {
  it('documents its defaults', () => {
    assert.deepEqual({ ...PDF_BUDGET_DEFAULTS }, { inflateBytes: 8 * 1024 * 1024, objects: 100_000, timeMs: 250 });
    assert.equal(MAX_OBJECTS_PER_STREAM, 10_000);
  });

  it('counts a truthful object stream', () => {
    const { dict, data } = streamOf(7);
    assert.equal(pdfPageCount(pdfWithObjectStream(dict, data)), 7);
  });

  it('the issue PDF (/N 8,000,000, /First 32 MB) is given up before inflating', () => {
    const budget = createPdfBudget();
    assert.equal(pdfPageCount(hugeHeaderPdf(), budget), null);
    assert.equal(budget.gaveUp, true);
    assert.equal(budget.inflateBytes, PDF_BUDGET_DEFAULTS.inflateBytes, 'nothing was inflated');
  });

  const liars: [string, (d: { n: number; first: number }) => { n: number; first: number }][] = [
    ['/N over the per-stream cap', (d) => ({ ...d, n: MAX_OBJECTS_PER_STREAM + 1 })],
    ['/N of zero', (d) => ({ ...d, n: 0 })],
    ['/First too small for /N pairs', (d) => ({ ...d, first: 4 * d.n - 2 })],
    ['/First far past what /N pairs need', (d) => ({ ...d, first: 32 * d.n + 65 })],
    ['/First past the end of the inflated data (yet plausible for /N)', (d) => ({ n: d.n, first: 200 })],
  ];
  for (const [what, lie] of liars) {
    it(`${what}: page count unknown`, () => {
      const { dict, data } = streamOf(5);
      const budget = createPdfBudget();
      assert.equal(pdfPageCount(pdfWithObjectStream(lie(dict), data), budget), null);
      assert.equal(budget.gaveUp, true);
    });
  }

  it('the inflate budget is shared by the PDFs of a turn', () => {
    const { dict, data } = streamOf(3);
    const padded = Buffer.concat([data, Buffer.alloc(600_000, 0x20)]);
    const budget = createPdfBudget({ inflateBytes: 1_000_000 });
    assert.equal(pdfPageCount(pdfWithObjectStream(dict, padded), budget), 3);
    assert.equal(budget.gaveUp, false);
    assert.equal(pdfPageCount(pdfWithObjectStream(dict, padded), budget), null, 'the second needs more than is left');
    assert.equal(budget.gaveUp, true);
  });

  it('the object budget is shared by the PDFs of a turn', () => {
    const { dict, data } = streamOf(60);
    const budget = createPdfBudget({ objects: 100 });
    assert.equal(pdfPageCount(pdfWithObjectStream(dict, data), budget), 60);
    assert.equal(pdfPageCount(pdfWithObjectStream(dict, data), budget), null);
    assert.equal(budget.gaveUp, true);
  });

  it('past the time budget counting stops', () => {
    const budget = createPdfBudget({ timeMs: -1 });
    assert.equal(pdfPageCount(makePdf(3), budget), null);
    assert.equal(budget.gaveUp, true);
  });

  it('ordinary PDFs count as before with a fresh budget', () => {
    assert.equal(pdfPageCount(makePdf(12)), 12);
    assert.equal(pdfPageCount(makePdfWithObjectStream(4)), 4);
  });
});
