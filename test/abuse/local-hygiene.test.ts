// Filenames kept zero-width and line-separator characters, and data-URL parameters with CR/LF were
// accepted and forwarded. Against the local backend, over HTTP: the names are cleaned before they
// are stored or shown, the headers are refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalDemo, type LocalDemo } from './latency-probe.js';

const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let demo: LocalDemo;
before(async () => (demo = await startLocalDemo()));
after(() => demo.close());

async function turn(parts: unknown[]) {
  const res = await fetch(`${demo.api}/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ thread_id: 'chat_hygiene', stream: false, input: [{ role: 'user', content: parts }] }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('abuse: request hygiene against the local backend', () => {
  it('a filename with zero-width, bidi and line-separator characters is stored and shown clean', async () => {
    const filename = 'inv\u200boice\u2028\u2029\u202egnp.exe\u200d.png';
    const { status, body } = await turn([
      { type: 'image', image: `data:image/png;base64,${PNG_B64}` },
      { type: 'file', filename, data: `data:image/png;base64,${PNG_B64}` },
    ]);
    assert.equal(status, 200);
    const files = body.files as { filename?: string }[];
    assert.equal(files[1]!.filename, 'invoicegnp.exe.png');
    const reply = JSON.stringify(body.output);
    assert.ok(!/[\u200b-\u200f\u2028\u2029\u202a-\u202e]/.test(reply), 'nothing invisible in the reply');
  });

  it('data-URL headers with CR/LF are refused with 400, nothing stored', async () => {
    const { status, body } = await turn([
      { type: 'text', text: 'see' },
      { type: 'image', image: `data:image/png;name=a\r\nX-Evil: 1;base64,${PNG_B64}` },
    ]);
    assert.equal(status, 400);
    assert.equal((body.error as { code: string }).code, 'invalid_request');
    assert.match((body.error as { message: string }).message, /control character/);
  });
});
