// Attachments in a large body (over 256 KB: parsed around its data URLs, each checked and decoded
// from the pieces it was read in, a slice at a time) get the same checks, in the same order, with
// the same errors as in a small one (test/backends/core/attachments.test.ts), and decode to the
// same bytes. Data URLs of 1–3 MB so every check crosses slices and body chunks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dataUrl, errorOf, PDF, PNG, postJson, scriptedBackend, startSupport, turn, type RunningSupport } from './support-test-kit.js';

const MB = 1024 * 1024;
const backend = scriptedBackend();
let server: RunningSupport;

before(async () => {
  server = await startSupport({ backend, limits: { max_file_bytes: 2 * MB, max_files: 3 } });
});
after(() => server.close());

/** `signature` followed by filler up to `size` bytes, the last bytes distinct. */
function file(signature: Uint8Array, size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size).fill(0x20);
  out.set(signature);
  for (let i = 0; i < 8; i++) out[size - 1 - i] = (seed * 31 + i) & 0xff;
  return out;
}

async function refused(parts: unknown[]): Promise<{ status: number; code: string; message: string }> {
  const before = backend.calls.runs.length;
  const error = await errorOf(await postJson(`${server.endpoint}/runs`, turn(parts, { stream: false })));
  assert.equal(backend.calls.runs.length, before, 'the backend must not be called');
  return error;
}

const big = (b64: string) => `data:image/png;base64,${b64}`;
const pngBase64 = Buffer.from(file(PNG, MB + 7)).toString('base64');

describe('attachments in a large body', () => {
  it('decode to the bytes sent, padding included, with the data URL kept as sent', async () => {
    const png = file(PNG, 2 * MB - 1, 2); // base64 ends with "="
    const pdf = file(PDF, MB + 1, 3); // base64 ends with "=="
    const res = await postJson(
      `${server.endpoint}/runs`,
      turn(
        [
          { type: 'text', text: 'two' },
          { type: 'image', image: dataUrl('image/png', png) },
          { type: 'file', filename: 'a.pdf', data: dataUrl('application/pdf', pdf) },
        ],
        { stream: false },
      ),
    );
    assert.equal(res.status, 200);
    const [image, doc] = backend.calls.runs.at(-1)!.input.attachments;
    assert.deepEqual(Buffer.from(image!.bytes), Buffer.from(png));
    assert.deepEqual(Buffer.from(doc!.bytes), Buffer.from(pdf));
    assert.equal(image!.data_url, dataUrl('image/png', png));
    assert.equal(doc!.media_type, 'application/pdf');
  });

  it('refuses each bad attachment with the error a small body gets', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      // (A large string that is no data URL, or holds a JSON escape such as \r, is text and refused
      // as such: text-limits.test.ts. A raw control character is a JSON error: json-with-data-urls.test.ts.)
      ['a header with a space', { type: 'image', image: `data:image/png;name=a b;base64,${pngBase64}` }, 400, /must be a base64 data URL/],
      ['a type not accepted', { type: 'file', filename: 'a.svg', data: `data:image/svg+xml;base64,${pngBase64}` }, 415, /image\/svg\+xml, which is not accepted/],
      ['a file type in an image part', { type: 'image', image: `data:application/pdf;base64,${pngBase64}` }, 415, /image part but declares application\/pdf/],
      ['a bad character at the end', { type: 'image', image: big(pngBase64.slice(0, -4) + 'AA*A') }, 400, /is not valid base64/],
      ['a bad character in the middle', { type: 'image', image: big(pngBase64.slice(0, MB) + '-' + pngBase64.slice(MB + 1)) }, 400, /is not valid base64/],
      ['a length not a multiple of 4', { type: 'image', image: big(pngBase64 + 'AA') }, 400, /is not valid base64/],
      ['three "=" at the end', { type: 'image', image: big(pngBase64.slice(0, -4) + 'A===') }, 400, /is not valid base64/],
      [
        'over max_file_bytes',
        { type: 'image', image: dataUrl('image/png', file(PNG, 2 * MB + 1)) },
        413,
        /is 2.1 MB \(2,097,153 bytes, over 2,097,152\); the limit is 2.1 MB per file/,
      ],
      ['content not of its declared type', { type: 'image', image: dataUrl('image/png', file(PDF, MB)) }, 415, /declared as image\/png but its content is application\/pdf/],
    ];
    for (const [name, part, status, message] of cases) {
      const error = await refused([{ type: 'text', text: 'x' }, part]);
      assert.equal(error.status, status, `${name}: ${error.message}`);
      assert.match(error.message, message, name);
    }
  });
});
