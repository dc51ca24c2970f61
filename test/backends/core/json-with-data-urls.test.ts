// A large POST /runs body is parsed around its data URLs (lifted out while the body streams in, then
// put back as JSON.parse runs on the text around them), so parsing a 70 MB turn never holds the
// event loop in one go. Whatever the body and however it is chunked, the outcome must be the one
// JSON.parse of the whole body gives: the same value, or the same error (invalid UTF-8 before any
// JSON error, then the first JSON error in the body, at its position in the body as sent).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readJsonBody } from '../../../src/backends/core/read-json-body.js';
import { SupportError } from '../../../src/backends/core/support-error.js';

const enc = new TextEncoder();
/** Over the 256 KB a body is parsed in one go below. */
const BIG = 'QUJD'.repeat(100_000);
const url = (b64 = BIG) => `data:image/png;base64,${b64}`;

function bytesOf(...parts: (string | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** A request whose body streams in `chunkSize` pieces, with no Content-Length (as a chunked upload). */
function request(body: Uint8Array, chunkSize: number): Request {
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= body.length) return controller.close();
      controller.enqueue(body.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
  return new Request('http://127.0.0.1/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
}

type Outcome = { value: unknown } | { error: string };

function expected(body: Uint8Array): Outcome {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { error: 'The request body is not valid UTF-8.' };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `The request body is not valid JSON: ${(err as Error).message}` };
  }
}

async function actual(body: Uint8Array, chunkSize: number): Promise<Outcome> {
  try {
    return { value: await readJsonBody(request(body, chunkSize), 100 * 1024 * 1024, { maxTextChars: 16_000 }) };
  } catch (err) {
    assert.ok(err instanceof SupportError, String(err));
    assert.equal(err.status, 400);
    return { error: err.message };
  }
}

async function assertSameAsWholeParse(name: string, body: Uint8Array): Promise<Outcome> {
  const want = expected(body);
  for (const chunkSize of [1021, 4093, 65_536, body.length]) {
    assert.deepEqual(await actual(body, chunkSize), want, `${name}, chunks of ${chunkSize}`);
  }
  return want;
}

describe('parsing a large body around its data URLs', () => {
  it('gives the value JSON.parse gives: data URLs at any depth, duplicate keys, __proto__, text around', async () => {
    const json = JSON.stringify({
      thread_id: 'chat_a',
      input: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'héllo "quoted" \u0001 \\ back' },
            { type: 'image', image: url() },
            { type: 'file', filename: 'a.pdf', data: url(BIG.slice(4)) },
          ],
        },
      ],
      extra: { deep: [{ data: url('QUJD') }], image: 'data:not-a-data-url' },
    });
    // A duplicate key (the last wins) and an own "__proto__" property, as JSON.parse makes them.
    const body = bytesOf(json.slice(0, -1), `,"image":"${url()}","image":"${url('QUFB')}","__proto__":{"data":"${url()}"}}`);
    const got = await assertSameAsWholeParse('valid', body);
    const value = (got as { value: Record<string, unknown> }).value;
    assert.equal(value['image'], url('QUFB'));
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.ok(Object.hasOwn(value, '__proto__'));
  });

  it('keeps a byte order mark at the start of the body and inside a string as JSON.parse does', async () => {
    await assertSameAsWholeParse('leading BOM', bytesOf([0xef, 0xbb, 0xbf], `{"image":"${url()}"}`));
    await assertSameAsWholeParse('BOM in a data URL', bytesOf(`{"image":"${url()}`, [0xef, 0xbb, 0xbf], `"}`));
  });

  it('gives non-ASCII inside a data URL, even split across chunks, to the checks as it is', async () => {
    const body = bytesOf(`{"image":"${url()}`, 'é€😀'.repeat(1000), `"}`);
    await assertSameAsWholeParse('non-ASCII', body);
  });

  it('refuses invalid UTF-8 inside a data URL or around it, before any JSON error', async () => {
    for (const [name, body] of [
      ['in a data URL', bytesOf(`{"image":"${url()}`, [0xff], `"}`)],
      ['cut inside a data URL', bytesOf(`{"image":"${url()}`, [0xe2, 0x82], `"}`)],
      ['after one', bytesOf(`{"image":"${url()}","text":"`, [0xc3], `"}`)],
      ['after a JSON error', bytesOf(`{"image":"${url()}",,"text":"`, [0xff], `"}`)],
    ] as const) {
      const want = await assertSameAsWholeParse(name, body);
      assert.deepEqual(want, { error: 'The request body is not valid UTF-8.' });
    }
  });

  it('refuses a control character inside a data URL as JSON.parse does, and an earlier JSON error first', async () => {
    const ctrl = await assertSameAsWholeParse('LF in a data URL', bytesOf(`{"image":"${url()}\n${BIG}"}`));
    assert.match((ctrl as { error: string }).error, /Bad control character/);
    const earlier = await assertSameAsWholeParse('JSON error before it', bytesOf(`{"image":"${url()}" "x":1, "data":"${url()}\t"}`));
    assert.match((earlier as { error: string }).error, /Expected/);
    await assertSameAsWholeParse('two of them, and more data URLs after', bytesOf(`{"a":[{"image":"${url()}\u0001"},{"image":"${url()}\n"},{"data":"${url()}"}]}`));
  });

  it('refuses a data URL left open at the end of the body, and JSON errors after one', async () => {
    const open = await assertSameAsWholeParse('unterminated', bytesOf(`{"image":"${url()}`));
    assert.match((open as { error: string }).error, /Unterminated string/);
    await assertSameAsWholeParse('unterminated after a control character', bytesOf(`{"image":"${url()}\r${BIG}`));
    await assertSameAsWholeParse('trailing comma', bytesOf(`{"image":"${url()}",}`));
    await assertSameAsWholeParse('an unexpected token quoted with the data URL before it', bytesOf(`{"image":"${url()}","b":tru}`));
    await assertSameAsWholeParse('trailing garbage', bytesOf(`{"image":"${url()}"} x`));
    await assertSameAsWholeParse('an array', bytesOf(`[{"image":"${url()}"}]`));
  });

  it('a string that spells a placeholder is text, not a data URL', async () => {
    const body = bytesOf(`{"image":"${url()}","text":"ic-data-url-000000000000000000000000-0","data":"ic-data-url-0"}`);
    await assertSameAsWholeParse('placeholder-like text', body);
  });
});
