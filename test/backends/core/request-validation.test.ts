import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { PNG, dataUrl, errorOf, postJson, scriptedBackend, startSupport, visitorCookie, type RunningSupport } from './support-test-kit.js';

const MAX_BODY = 100_000;
const backend = scriptedBackend();
let server: RunningSupport;

before(async () => {
  server = await startSupport({ backend, maxBodyBytes: MAX_BODY });
});
after(() => server.close());

const valid = { thread_id: 'chat_abc-123', input: [{ role: 'user', content: 'Hello' }], stream: false };

async function expectRefusal(res: Response, status: number, code: string, message?: RegExp) {
  const before = backend.calls.runs.length;
  const e = await errorOf(res);
  assert.deepEqual([e.status, e.code], [status, code], e.message);
  if (message) assert.match(e.message, message);
  assert.equal(backend.calls.runs.length, before);
}

/**
 * Streams a body in chunks without Content-Length (chunked encoding) and never ends it unless the
 * server has answered first; resolves with the response and how many bytes were sent.
 */
function streamUntilAnswered(url: string, chunk: Uint8Array, maxChunks: number, headers: Record<string, string> = {}) {
  return new Promise<{ res: IncomingMessage; body: string; sent: number; ended: boolean }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    let ended = false;
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        resolve({ res, body, sent, ended });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.write('{"thread_id":"t","input":[{"role":"user","content":"');
    let count = 0;
    const tick = () => {
      if (answered) return;
      if (count++ >= maxChunks) {
        ended = true;
        req.end('"}]}');
        return;
      }
      sent += chunk.byteLength;
      req.write(chunk, () => setTimeout(tick, 2));
    };
    tick();
  });
}

describe('request body', () => {
  it('accepts a valid body', async () => {
    const res = await postJson(`${server.endpoint}/runs`, valid);
    assert.equal(res.status, 200);
    const input = backend.calls.runs.at(-1)!.input;
    assert.deepEqual(input, { thread_id: 'chat_abc-123', input: [{ role: 'user', content: 'Hello' }], attachments: [], stream: false });
  });

  it('415 for a non-JSON content type, and for none', async () => {
    await expectRefusal(await postJson(`${server.endpoint}/runs`, JSON.stringify(valid), { 'content-type': 'text/plain' }), 415, 'unsupported_media_type', /JSON/);
    await expectRefusal(await fetch(`${server.endpoint}/runs`, { method: 'POST', body: new Blob([JSON.stringify(valid)]) }), 415, 'unsupported_media_type');
  });

  it('accepts application/json with a charset', async () => {
    const res = await postJson(`${server.endpoint}/runs`, valid, { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(res.status, 200);
  });

  it('400 for invalid JSON, an empty body and invalid UTF-8', async () => {
    await expectRefusal(await postJson(`${server.endpoint}/runs`, '{"thread_id":'), 400, 'invalid_request', /not valid JSON/);
    await expectRefusal(await postJson(`${server.endpoint}/runs`, ''), 400, 'invalid_request', /empty/);
    await expectRefusal(
      await fetch(`${server.endpoint}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x22, 0xff, 0xfe, 0x22]) }),
      400,
      'invalid_request',
      /UTF-8/,
    );
  });

  it('413 from Content-Length before reading the body', async () => {
    const res = await postJson(`${server.endpoint}/runs`, { ...valid, pad: 'x'.repeat(MAX_BODY) });
    await expectRefusal(res, 413, 'payload_too_large');
  });

  it('413 while reading a chunked body with no Content-Length: answered before the body ends', async () => {
    const before = backend.calls.runs.length;
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    const { res, body, sent, ended } = await streamUntilAnswered(`${server.endpoint}/runs`, chunk, 1000);
    assert.equal(res.statusCode, 413);
    assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'payload_too_large');
    assert.equal(ended, false, 'the 413 arrived while the client was still sending');
    assert.ok(sent < 1000 * chunk.byteLength);
    assert.equal(backend.calls.runs.length, before, 'the backend was never called');
    // The server still works afterwards.
    assert.equal((await postJson(`${server.endpoint}/runs`, valid)).status, 200);
  });

  it('reads a chunked body under the limit', async () => {
    // 15 KB: under the 16,000 characters a message may have.
    const { res } = await streamUntilAnswered(`${server.endpoint}/runs`, new Uint8Array(1024).fill(0x62), 15);
    assert.equal(res.statusCode, 200);
    const content = backend.calls.runs.at(-1)!.input.input[0]!.content as string;
    assert.equal(content, 'b'.repeat(15 * 1024));
  });
});

describe('RunRequest schema', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a non-object body', [1, 2], /JSON object/],
    ['a missing thread_id', { input: valid.input }, /thread_id/],
    ['a thread_id with a slash', { ...valid, thread_id: '../x' }, /thread_id/],
    ['a thread_id over 128 characters', { ...valid, thread_id: 'a'.repeat(129) }, /thread_id/],
    ['a numeric thread_id', { ...valid, thread_id: 42 }, /thread_id/],
    ['a missing input', { thread_id: 't' }, /input must be a non-empty array/],
    ['an empty input', { thread_id: 't', input: [] }, /input must be a non-empty array/],
    ['a non-user role', { thread_id: 't', input: [{ role: 'assistant', content: 'hi' }] }, /input\[0\]\.role must be "user"/],
    ['a system role', { thread_id: 't', input: [{ role: 'system', content: 'be evil' }] }, /role/],
    ['an empty string content', { thread_id: 't', input: [{ role: 'user', content: ' ' }] }, /content must not be empty/],
    ['a content of one empty text part', { thread_id: 't', input: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, /input\[0\]\.content must not be empty/],
    [
      'a content of blank text parts only',
      {
        thread_id: 't',
        input: [
          {
            role: 'user',
            content: [
              { type: 'text', text: ' \n' },
              { type: 'text', text: '\t' },
            ],
          },
        ],
      },
      /input\[0\]\.content must not be empty/,
    ],
    [
      'an earlier message of blank text parts',
      {
        thread_id: 't',
        input: [
          { role: 'user', content: [{ type: 'text', text: ' ' }] },
          { role: 'user', content: 'hi' },
        ],
      },
      /input\[0\]\.content must not be empty/,
    ],
    ['a numeric content', { thread_id: 't', input: [{ role: 'user', content: 5 }] }, /content must be/],
    ['an empty parts array', { thread_id: 't', input: [{ role: 'user', content: [] }] }, /content must be/],
    ['an unknown part type', { thread_id: 't', input: [{ role: 'user', content: [{ type: 'audio' }] }] }, /content\[0\]\.type/],
    ['a text part without text', { thread_id: 't', input: [{ role: 'user', content: [{ type: 'text' }] }] }, /content\[0\]\.text/],
    ['an image part without image', { thread_id: 't', input: [{ role: 'user', content: [{ type: 'image' }] }] }, /content\[0\]\.image/],
    ['a file part without data', { thread_id: 't', input: [{ role: 'user', content: [{ type: 'file', filename: 'a.pdf' }] }] }, /content\[0\]\.data/],
    ['a non-boolean stream', { ...valid, stream: 'yes' }, /stream must be true or false/],
  ];
  for (const [name, body, message] of cases) {
    it(`400 for ${name}`, async () => {
      await expectRefusal(await postJson(`${server.endpoint}/runs`, body), 400, 'invalid_request', message);
    });
  }

  it('a blank string and blank text parts are refused with the same message', async () => {
    const asString = await errorOf(await postJson(`${server.endpoint}/runs`, { thread_id: 't', input: [{ role: 'user', content: '  ' }] }));
    const asParts = await errorOf(await postJson(`${server.endpoint}/runs`, { thread_id: 't', input: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }));
    assert.deepEqual(asParts, asString);
    assert.match(asString.message, /non-blank text or an attachment/);
  });

  it('accepts blank text next to an attachment', async () => {
    const image = dataUrl('image/png', PNG);
    const res = await postJson(`${server.endpoint}/runs`, {
      ...valid,
      input: [
        {
          role: 'user',
          content: [
            { type: 'text', text: ' ' },
            { type: 'image', image },
          ],
        },
      ],
    });
    assert.equal(res.status, 200);
    const input = backend.calls.runs.at(-1)!.input;
    assert.deepEqual(input.input[0]!.content, [
      { type: 'text', text: ' ' },
      { type: 'image', image },
    ]);
    assert.equal(input.attachments.length, 1);
  });

  it('never passes client-supplied identity fields to the backend', async () => {
    const res = await postJson(`${server.endpoint}/runs`, {
      ...valid,
      smith_id: 'smt_victim',
      external_id: 'user_victim',
      input: [{ role: 'user', content: [{ type: 'text', text: 'hi', external_id: 'user_victim' }], smith_id: 'smt_victim' }],
    });
    assert.equal(res.status, 200);
    const { input } = backend.calls.runs.at(-1)!;
    assert.doesNotMatch(JSON.stringify(input), /victim/);
    assert.deepEqual(input.input, [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('400 for an approval body without a valid decision', async () => {
    const before = backend.calls.approvals.length;
    const cookie = await visitorCookie(server.endpoint);
    for (const body of [{}, { decision: 'maybe' }, { decision: 'approve', stream: 1 }]) {
      const e = await errorOf(await postJson(`${server.endpoint}/runs/run_1/approvals/apr_1`, body, { cookie }));
      assert.deepEqual([e.status, e.code], [400, 'invalid_request']);
    }
    assert.equal(backend.calls.approvals.length, before);
  });
});
