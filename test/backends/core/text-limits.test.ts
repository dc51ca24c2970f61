// Text is capped per part and per message (`limits.max_text_chars`, default 16,000), and a turn
// whose body is mostly text, not attachments, is refused while it streams in, long before the
// attachment-sized `maxBodyBytes` (~67 MB by default).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JsonTextMeter } from '../../../src/backends/core/json-text-meter.js';
import { textBodyBytes } from '../../../src/backends/core/handler-options.js';
import { PNG, dataUrl, errorOf, postJson, scriptedBackend, sendUntilAnswered, startSupport, turn, type RunningSupport } from './support-test-kit.js';

const backend = scriptedBackend();
let server: RunningSupport;
let small: RunningSupport;
const smallBackend = scriptedBackend();

before(async () => {
  server = await startSupport({ backend });
  small = await startSupport({ backend: smallBackend, limits: { max_text_chars: 100 } });
});
after(async () => {
  await server.close();
  await small.close();
});

const text = (t: string) => ({ thread_id: 'chat_t', input: [{ role: 'user', content: t }], stream: false });

/** A PNG of about `size` bytes: a real signature, then zeros (only the first bytes are checked). */
function bigPng(size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(PNG);
  return out;
}

describe('text limits: per message and per part', () => {
  it('/session announces max_text_chars (default 16,000; configurable)', async () => {
    const d = (await (await fetch(`${server.endpoint}/session`, { method: 'POST' })).json()) as { limits: { max_text_chars: number } };
    assert.equal(d.limits.max_text_chars, 16_000);
    const s = (await (await fetch(`${small.endpoint}/session`, { method: 'POST' })).json()) as { limits: { max_text_chars: number } };
    assert.equal(s.limits.max_text_chars, 100);
  });

  it('a message of exactly the limit is accepted; one character more is 413 naming the limit', async () => {
    const ok = await postJson(`${server.endpoint}/runs`, text('a'.repeat(16_000)));
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    const before = backend.calls.runs.length;
    const e = await errorOf(await postJson(`${server.endpoint}/runs`, text('a'.repeat(16_001))));
    assert.equal(e.status, 413);
    assert.equal(e.code, 'payload_too_large');
    assert.match(e.message, /16,001 characters.*limit is 16,000 characters per message/);
    assert.equal(backend.calls.runs.length, before, 'the backend never saw it');
  });

  it('text parts are capped one by one and together', async () => {
    const one = await errorOf(await postJson(`${small.endpoint}/runs`, turn([{ type: 'text', text: 'x'.repeat(101) }])));
    assert.equal(one.status, 413);
    assert.match(one.message, /content\[0\]\.text has 101 characters.*100 characters per part/);
    const two = await errorOf(
      await postJson(
        `${small.endpoint}/runs`,
        turn([
          { type: 'text', text: 'x'.repeat(60) },
          { type: 'text', text: 'y'.repeat(60) },
        ]),
      ),
    );
    assert.equal(two.status, 413);
    assert.match(two.message, /input\[0\]\.content has 120 characters.*100 characters per message/);
    const fine = await postJson(
      `${small.endpoint}/runs`,
      turn(
        [
          { type: 'text', text: 'x'.repeat(50) },
          { type: 'text', text: 'y'.repeat(50) },
        ],
        { stream: false },
      ),
    );
    assert.equal(fine.status, 200);
    await fine.body?.cancel();
  });

  it('a backend can lower the limit; the smaller one wins', async () => {
    const capped = await startSupport({ backend: scriptedBackend({ limits: { max_text_chars: 10 } }) });
    try {
      const e = await errorOf(await postJson(`${capped.endpoint}/runs`, text('a'.repeat(11))));
      assert.equal(e.status, 413);
    } finally {
      await capped.close();
    }
  });
});

describe('text limits: a text-only body gets a small body limit', () => {
  it('a 40 MB text message is refused after a few hundred KB, while the client is still sending', async () => {
    const before = backend.calls.runs.length;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const prefix = '{"thread_id":"chat_t","input":[{"role":"user","content":"';
    const answer = await sendUntilAnswered(`${server.endpoint}/runs`, { prefix, chunk, maxChunks: 640, suffix: '"}]}' }, 10_000); // 40 MB
    assert.equal(answer.status, 413);
    assert.match(answer.body, /payload_too_large/);
    assert.match(answer.body, /over the limit: 16,000 characters per message/);
    assert.equal(answer.ended, false, 'refused before the body ended');
    assert.ok(answer.sent < 40 * 1024 * 1024, `${answer.sent} bytes sent`);
    assert.equal(backend.calls.runs.length, before);
  });

  it('with Content-Length, the same 413 comes without buffering the body', async () => {
    const e = await errorOf(await postJson(`${server.endpoint}/runs`, text('a'.repeat(2 * 1024 * 1024))));
    assert.equal(e.status, 413);
    assert.match(e.message, /characters per message/);
  });

  it('text hidden as "data:…" in a text part or an unknown field still counts as text', async () => {
    const fake = 'data:image/png;base64,' + 'A'.repeat(400_000);
    for (const body of [turn([{ type: 'text', text: fake }]), { ...text('hi'), note: fake }]) {
      const e = await errorOf(await postJson(`${server.endpoint}/runs`, body));
      assert.equal(e.status, 413, JSON.stringify(body).slice(0, 80));
    }
  });

  it('attachments keep their room: a 1 MB image with a short text is accepted', async () => {
    const res = await postJson(
      `${server.endpoint}/runs`,
      turn(
        [
          { type: 'text', text: 'see this' },
          { type: 'image', image: dataUrl('image/png', bigPng(1024 * 1024)) },
        ],
        { stream: false },
      ),
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal(backend.calls.runs.at(-1)!.input.attachments[0]!.bytes.byteLength, 1024 * 1024);
  });
});

describe('JsonTextMeter', () => {
  const count = (json: string, chunkSize = 7) => {
    const meter = new JsonTextMeter();
    const bytes = Buffer.from(json);
    for (let i = 0; i < bytes.length; i += chunkSize) meter.feed(bytes.subarray(i, i + chunkSize));
    return meter.textBytes;
  };
  const url = 'data:image/png;base64,' + 'QUJD'.repeat(1000);

  it('does not count the data URLs of "image" and "data" values, whatever the chunking', () => {
    const json = JSON.stringify(
      turn([
        { type: 'text', text: 'hi' },
        { type: 'image', image: url },
        { type: 'file', filename: 'a.pdf', data: url },
      ]),
    );
    for (const size of [1, 3, 7, 64, 100_000]) {
      const counted = count(json, size);
      assert.equal(counted, json.length - 2 * url.length, `chunks of ${size}`);
    }
  });

  it('counts a "data:" string under any other key, with escapes, or with a bad header', () => {
    for (const json of [
      JSON.stringify({ text: url }),
      JSON.stringify({ image: url.replace('QUJD', 'QU\\JD') }),
      JSON.stringify({ image: 'data:image/png,' + 'QUJD'.repeat(1000) }),
      JSON.stringify({ image: 'data:image/png;x="a b";base64,' + 'QUJD'.repeat(1000) }),
      JSON.stringify({ image: 'notdata:' + 'QUJD'.repeat(1000) }),
    ]) {
      assert.equal(count(json), Buffer.byteLength(json), json.slice(0, 40));
    }
  });

  it('textBodyBytes leaves room for 6 bytes a character plus the JSON around', () => {
    assert.equal(textBodyBytes(16_000), 6 * 16_000 + 64 * 1024);
    // The worst case a browser sends: every character a JSON-escaped control character.
    const worst = JSON.stringify(text('\u0001'.repeat(16_000)));
    assert.ok(count(worst) <= textBodyBytes(16_000));
  });
});
