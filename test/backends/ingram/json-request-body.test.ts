// A run body with attachments goes upstream written a slice at a time into a Blob (see
// json-request-body.ts): its bytes must be exactly JSON.stringify's, whatever the strings hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonRequestBody } from '../../../src/backends/ingram/json-request-body.js';

const MB = 1024 * 1024;

async function text(body: string | Blob): Promise<string> {
  return typeof body === 'string' ? body : body.text();
}

describe('jsonRequestBody', () => {
  it('stringifies a small body at once', async () => {
    const value = { thread_id: 't', input: [{ role: 'user', content: 'hi' }] };
    assert.equal(await jsonRequestBody(value), JSON.stringify(value));
  });

  it('writes a body with large strings as a Blob of the bytes JSON.stringify gives', async () => {
    // A surrogate pair across a slice boundary, characters JSON escapes, and what JSON.stringify drops.
    const tricky = 'a'.repeat(MB - 1) + '😀' + '"\\\n\u0001\u2028é'.repeat(1000) + '\ud800' + 'b'.repeat(70_000);
    const value = {
      thread_id: 'chat_1',
      stream: true,
      skipped: undefined,
      when: new Date(0),
      input: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'see' },
            { type: 'image', image: `data:image/png;base64,${'QUJD'.repeat(MB)}` },
          ],
        },
        { role: 'user', content: [{ type: 'file', filename: 'a.pdf', data: tricky }, undefined, () => 1] },
      ],
    };
    const body = await jsonRequestBody(value);
    assert.ok(body instanceof Blob);
    assert.equal(await text(body), JSON.stringify(value));
    assert.equal(body.size, Buffer.byteLength(JSON.stringify(value)));
  });
});
