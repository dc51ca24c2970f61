// Filenames come from the visitor and are shown in replies, stored, and sent in Content-Disposition:
// invisible characters (zero-width, bidi controls), line and paragraph separators and the like can
// hide or disguise a name ("invoice\u200b.pdf", "gpj.exe" shown as "exe.jpg"), split log lines, or
// break encoders (a lone surrogate makes encodeURIComponent throw).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentDisposition, sanitizeFilename, MAX_FILENAME_LENGTH } from '../../../src/backends/core/filename.js';
import { PDF, dataUrl, postJson, scriptedBackend, startSupport, turn, type RunningSupport } from './support-test-kit.js';

describe('sanitizeFilename: invisible and separator characters', () => {
  const cases: [string, string, string][] = [
    ['zero-width space, non-joiner, joiner, word joiner', 'in\u200bvo\u200cic\u200de\u2060.pdf', 'invoice.pdf'],
    ['BOM and soft hyphen', '\ufeffre\u00adport.pdf', 'report.pdf'],
    ['bidi embeddings, overrides, isolates and marks', '\u202aa\u202bb\u202cc\u202dd\u202ee\u2066f\u2067g\u2068h\u2069i\u200ej\u200fk\u061cl.png', 'abcdefghijkl.png'],
    ['line and paragraph separators', 'a\u2028b\u2029c.pdf', 'abc.pdf'],
    ['C0 and C1 controls, CR/LF, DEL', 'a\r\nb\u0000c\u0085d\u007fe.pdf', 'abcde.pdf'],
    ['variation selectors and Hangul fillers', 'a\ufe0fb\u115fc\u3164d.pdf', 'abcd.pdf'],
    ['a lone surrogate', 'a\ud800b.pdf', 'ab.pdf'],
    ['other spaces become a plain space', 'my\u00a0file\u3000x\u2009y.pdf', 'my file x y.pdf'],
    ['only invisible characters: the fallback', '\u200b\u200b\u2028', 'attachment'],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => assert.equal(sanitizeFilename(input), expected));
  }

  it('keeps ordinary non-ASCII names, emoji included', () => {
    assert.equal(sanitizeFilename('Rechnung März 😀.pdf'), 'Rechnung März 😀.pdf');
    assert.equal(sanitizeFilename('請求書.pdf'), '請求書.pdf');
  });

  it('a cut never leaves half a surrogate pair, so Content-Disposition can always be built', () => {
    const name = 'a' + '😀'.repeat(150) + '.pdf';
    const clean = sanitizeFilename(name);
    assert.ok(clean.length <= MAX_FILENAME_LENGTH);
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(clean), 'no lone high surrogate');
    assert.ok(clean.endsWith('.pdf'));
    assert.doesNotThrow(() => contentDisposition('attachment', name));
    assert.doesNotThrow(() => contentDisposition('attachment', 'x\ud800.pdf'));
  });
});

describe('filenames over HTTP', () => {
  const backend = scriptedBackend();
  let server: RunningSupport;
  before(async () => (server = await startSupport({ backend })));
  after(() => server.close());

  it('the backend gets the cleaned name, in the attachment and in the input', async () => {
    const res = await postJson(
      `${server.endpoint}/runs`,
      turn([{ type: 'file', filename: 'pay\u200bslip\u2028\u202e.pdf', data: dataUrl('application/pdf', PDF) }], { stream: false }),
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const input = backend.calls.runs.at(-1)!.input;
    assert.equal(input.attachments[0]!.filename, 'payslip.pdf');
    assert.equal((input.input[0]!.content as { filename?: string }[])[0]!.filename, 'payslip.pdf');
  });
});
