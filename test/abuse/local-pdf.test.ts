// A 32 KB PDF whose object stream claims a huge /N and /First made the local backend loop over
// 32 MB of inflated data; five of them in one turn blocked every request (page loads included) for
// 19 s. Page counting now has a budget per turn and gives up ("page count unknown"), and the
// server stays responsive.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION, type RunResult } from '../../src/protocol/types.js';
import { hugeHeaderPdf, pdfWithObjectStream } from './hostile-pdf.js';
import { PROBE_LIMIT_MS, describeProbe, startLocalDemo, whileProbing, type LocalDemo } from './latency-probe.js';

let demo: LocalDemo;
before(async () => (demo = await startLocalDemo()));
after(() => demo.close());

const TIMEOUT = { timeout: 120_000 };

function pdfPart(bytes: Uint8Array, filename: string) {
  return { type: 'file', filename, data: `data:application/pdf;base64,${Buffer.from(bytes).toString('base64')}` };
}

async function turnWith(files: { type: string }[], text = 'what are these?'): Promise<{ status: number; result: RunResult }> {
  const res = await fetch(`${demo.api}/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ thread_id: 'chat_pdf', input: [{ role: 'user', content: [{ type: 'text', text }, ...files] }], stream: false }),
  });
  return { status: res.status, result: (await res.json()) as RunResult };
}

const replyText = (r: RunResult) => r.output.map((m) => (typeof m.content === 'string' ? m.content : '')).join('');

describe('abuse: hostile PDFs in the local backend', () => {
  it('five PDFs claiming huge /N and /First: a bounded answer, and the server stays fast', TIMEOUT, async () => {
    const files = Array.from({ length: 5 }, (_, i) => pdfPart(hugeHeaderPdf(`copy ${i}`), `bomb${i}.pdf`));
    const { result, probe } = await whileProbing(demo, () => turnWith(files));
    assert.deepEqual(probe.failures, []);
    assert.ok(probe.pageMs < PROBE_LIMIT_MS && probe.sessionMs < PROBE_LIMIT_MS, describeProbe(probe));
    assert.equal(result.status, 200);
    assert.equal(result.result.v, PROTOCOL_VERSION);
    assert.equal(result.result.status, 'completed');
    assert.match(replyText(result.result), /bomb0\\\.pdf\*\*: PDF, page count unknown/);
  });

  it('PDFs whose streams inflate to the turn budget each: the turn shares one budget', TIMEOUT, async () => {
    // Plausible /N and /First, 6 MB of inflated data each: under a per-file cap, far over the turn's.
    const header = '10 0 ';
    const inflated = Buffer.concat([Buffer.from(header, 'latin1'), Buffer.alloc(6 * 1024 * 1024, 0x20)]);
    const files = Array.from({ length: 5 }, (_, i) => pdfPart(pdfWithObjectStream({ n: 1, first: header.length }, inflated, `z${i}`), `big${i}.pdf`));
    const { result, probe } = await whileProbing(demo, () => turnWith(files));
    assert.equal(result.status, 200);
    const text = replyText(result.result);
    assert.match(text, /big0\\\.pdf\*\*: PDF, /);
    assert.match(text, /big4\\\.pdf\*\*: PDF, page count unknown/, 'the budget ran out before the last file');
    assert.ok(probe.pageMs < PROBE_LIMIT_MS && probe.sessionMs < PROBE_LIMIT_MS, describeProbe(probe));
  });

  it('an ordinary PDF beside them is still counted', TIMEOUT, async () => {
    const page = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Page >>\nendobj\n2 0 obj\n<< /Type /Page >>\nendobj\n%%EOF\n', 'latin1');
    const { status, result } = await turnWith([pdfPart(new Uint8Array(page), 'two.pdf')]);
    assert.equal(status, 200);
    assert.match(replyText(result), /two\\\.pdf\*\*: PDF, 2 pages/);
  });
});
