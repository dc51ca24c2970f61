import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dataUrl, errorOf, PDF, PNG, postJson, SAMPLES, scriptedBackend, startSupport, turn, type RunningSupport } from './support-test-kit.js';

const MAX_FILE_BYTES = 4096;
const backend = scriptedBackend();
let server: RunningSupport;

before(async () => {
  server = await startSupport({ backend, limits: { max_file_bytes: MAX_FILE_BYTES, max_files: 2 } });
});
after(() => server.close());

/** Posts a turn, expects a refusal, and checks that nothing reached the backend. */
async function refused(parts: unknown[]): Promise<{ status: number; code: string; message: string }> {
  const before = backend.calls.runs.length;
  const res = await postJson(`${server.endpoint}/runs`, turn(parts, { stream: false }));
  const error = await errorOf(res);
  assert.equal(backend.calls.runs.length, before, 'the backend must not be called');
  return error;
}

describe('attachments: accepted', () => {
  it('decodes image and file parts into ValidatedAttachments, in order', async () => {
    const res = await postJson(
      `${server.endpoint}/runs`,
      turn(
        [
          { type: 'text', text: 'see attached' },
          { type: 'image', image: dataUrl('image/png', PNG) },
          { type: 'file', filename: '../../etc/invoice\u202e.pdf', data: dataUrl('application/pdf', PDF) },
        ],
        { stream: false },
      ),
    );
    assert.equal(res.status, 200);
    const { input } = backend.calls.runs.at(-1)!;
    assert.equal(input.attachments.length, 2);
    const [image, file] = input.attachments;
    assert.deepEqual(
      { kind: image!.kind, media_type: image!.media_type, part_index: image!.part_index, filename: image!.filename },
      { kind: 'image', media_type: 'image/png', part_index: 1, filename: undefined },
    );
    assert.deepEqual([...image!.bytes], [...PNG]);
    assert.equal(file!.kind, 'file');
    assert.equal(file!.media_type, 'application/pdf');
    assert.equal(file!.filename, 'invoice.pdf', 'path and bidi override stripped');
    assert.equal(file!.part_index, 2);
    assert.equal(file!.data_url, dataUrl('application/pdf', PDF));
    const parts = input.input[0]!.content as { type: string; filename?: string }[];
    assert.equal(parts[2]!.filename, 'invoice.pdf', 'the sanitised name also reaches the backend in the input');
  });

  for (const [type, bytes] of Object.entries(SAMPLES)) {
    it(`accepts a real ${type}`, async () => {
      const part = type.startsWith('image/') ? { type: 'image', image: dataUrl(type, bytes) } : { type: 'file', filename: 'doc.pdf', data: dataUrl(type, bytes) };
      const res = await postJson(`${server.endpoint}/runs`, turn([part], { stream: false }));
      assert.equal(res.status, 200);
      assert.equal(backend.calls.runs.at(-1)!.input.attachments[0]!.media_type, type);
    });
  }

  it('accepts exactly max_file_bytes', async () => {
    const bytes = new Uint8Array(MAX_FILE_BYTES);
    bytes.set(PDF);
    const res = await postJson(`${server.endpoint}/runs`, turn([{ type: 'file', filename: 'a.pdf', data: dataUrl('application/pdf', bytes) }], { stream: false }));
    assert.equal(res.status, 200);
  });
});

describe('attachments: refused, nothing reaches the backend', () => {
  it('400 for a part that is not a data URL', async () => {
    const e = await refused([{ type: 'image', image: 'https://example.com/cat.png' }]);
    assert.deepEqual([e.status, e.code], [400, 'invalid_request']);
    assert.match(e.message, /data URL/);
  });

  it('400 for a data URL that is not base64-encoded', async () => {
    const e = await refused([{ type: 'image', image: 'data:image/png,%89PNG' }]);
    assert.deepEqual([e.status, e.code], [400, 'invalid_request']);
  });

  it('400 for invalid base64', async () => {
    for (const bad of ['iVBO*w0K', 'iVBORw0KGgo', 'iVBO Rw0K', 'iVB=ORw0']) {
      const e = await refused([{ type: 'image', image: `data:image/png;base64,${bad}` }]);
      assert.deepEqual([e.status, e.code], [400, 'invalid_request'], bad);
      assert.match(e.message, /base64/);
    }
  });

  it('400 for an empty file', async () => {
    const e = await refused([{ type: 'image', image: 'data:image/png;base64,' }]);
    assert.deepEqual([e.status, e.code], [400, 'invalid_request']);
  });

  it('413 for a file one byte over max_file_bytes', async () => {
    const bytes = new Uint8Array(MAX_FILE_BYTES + 1);
    bytes.set(PNG);
    const e = await refused([{ type: 'image', image: dataUrl('image/png', bytes) }]);
    assert.deepEqual([e.status, e.code], [413, 'payload_too_large']);
    assert.match(e.message, /limit/);
  });

  it('413 for more than max_files attachments', async () => {
    const img = { type: 'image', image: dataUrl('image/png', PNG) };
    const e = await refused([img, img, img]);
    assert.deepEqual([e.status, e.code], [413, 'payload_too_large']);
    assert.match(e.message, /3 attachments; the limit is 2/);
  });

  it('413 counts attachments across all messages of the input', async () => {
    const img = { type: 'image', image: dataUrl('image/png', PNG) };
    const before = backend.calls.runs.length;
    const res = await postJson(`${server.endpoint}/runs`, {
      thread_id: 't',
      input: [
        { role: 'user', content: [img, img] },
        { role: 'user', content: [img] },
      ],
    });
    assert.equal(res.status, 413);
    assert.equal(backend.calls.runs.length, before);
  });

  it('415 for a type not in accept', async () => {
    const e = await refused([{ type: 'file', filename: 'notes.txt', data: 'data:text/plain;base64,aGVsbG8=' }]);
    assert.deepEqual([e.status, e.code], [415, 'unsupported_media_type']);
    assert.match(e.message, /text\/plain/);
  });

  it('415 for SVG declared as an image (not accepted: it can carry script)', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').toString('base64');
    const e = await refused([{ type: 'image', image: `data:image/svg+xml;base64,${svg}` }]);
    assert.deepEqual([e.status, e.code], [415, 'unsupported_media_type']);
  });

  it('415 for an image part declaring a non-image type', async () => {
    const e = await refused([{ type: 'image', image: dataUrl('application/pdf', PDF) }]);
    assert.deepEqual([e.status, e.code], [415, 'unsupported_media_type']);
  });

  const mismatches: [string, Uint8Array][] = [
    ['image/png', SAMPLES['image/jpeg']!],
    ['image/jpeg', SAMPLES['image/png']!],
    ['image/webp', SAMPLES['image/gif']!],
    ['image/gif', SAMPLES['image/webp']!],
    ['application/pdf', new TextEncoder().encode('<html><script>alert(1)</script></html>')],
  ];
  for (const [declared, bytes] of mismatches) {
    it(`415 when the bytes do not match the declared ${declared}`, async () => {
      const part = declared.startsWith('image/') ? { type: 'image', image: dataUrl(declared, bytes) } : { type: 'file', filename: 'x.pdf', data: dataUrl(declared, bytes) };
      const e = await refused([part]);
      assert.deepEqual([e.status, e.code], [415, 'unsupported_media_type']);
      assert.match(e.message, new RegExp(`declared as ${declared.replace('/', '\\/')}`));
    });
  }

  it('400 for a file part without a filename', async () => {
    for (const filename of [undefined, '', '   ', 42]) {
      const e = await refused([{ type: 'file', filename, data: dataUrl('application/pdf', PDF) }]);
      assert.deepEqual([e.status, e.code], [400, 'invalid_request']);
      assert.match(e.message, /filename/);
    }
  });

  it('refuses the whole turn when only one of several attachments is bad', async () => {
    const e = await refused([
      { type: 'image', image: dataUrl('image/png', PNG) },
      { type: 'image', image: dataUrl('image/gif', PNG) },
    ]);
    assert.equal(e.status, 415);
  });
});

describe('attachments: backend limits cap the core', () => {
  it('uses the smaller of the core and backend limits, and announces them in /session', async () => {
    const capped = scriptedBackend({ limits: { max_files: 1, accept: ['image/png', 'text/plain'] } });
    const s = await startSupport({ backend: capped });
    try {
      const session = (await (await fetch(`${s.endpoint}/session`, { method: 'POST' })).json()) as {
        limits: { max_files: number; accept: string[]; max_file_bytes: number };
      };
      assert.deepEqual(session.limits, { max_file_bytes: 10 * 1024 * 1024, max_files: 1, accept: ['image/png'], max_text_chars: 16_000 });
      const img = { type: 'image', image: dataUrl('image/png', PNG) };
      assert.equal((await postJson(`${s.endpoint}/runs`, turn([img, img]))).status, 413);
      assert.equal((await postJson(`${s.endpoint}/runs`, turn([{ type: 'image', image: dataUrl('image/gif', SAMPLES['image/gif']!) }]))).status, 415);
      assert.equal(capped.calls.runs.length, 0);
    } finally {
      await s.close();
    }
  });
});
