// Data-URL headers are checked strictly: `data:<type>[;<name>=<value>]*;base64,` with plain tokens
// only. A header with CR/LF (or any control character, quote or space) is refused with 400 and
// never reaches a backend, which may forward `data_url` upstream as it is.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG, errorOf, postJson, scriptedBackend, startSupport, turn, type RunningSupport } from './support-test-kit.js';

const backend = scriptedBackend();
let server: RunningSupport;
before(async () => (server = await startSupport({ backend })));
after(() => server.close());

const b64 = Buffer.from(PNG).toString('base64');

describe('data URL parameters', () => {
  const refused: [string, string, RegExp][] = [
    ['CR/LF in a parameter value', `data:image/png;name=a.png\r\nX-Injected: 1;base64,${b64}`, /control character/],
    ['a bare LF', `data:image/png;name=a\n.png;base64,${b64}`, /control character/],
    ['a NUL', `data:image/png;name=a\u0000.png;base64,${b64}`, /control character/],
    ['a tab', `data:image/png;\tname=a.png;base64,${b64}`, /control character/],
    ['CR/LF in the media type', `data:image/png\r\n;base64,${b64}`, /control character/],
    ['a quoted value with a space', `data:image/png;name="a b.png";base64,${b64}`, /base64 data URL/],
    ['a parameter without a value', `data:image/png;name;base64,${b64}`, /base64 data URL/],
    ['an empty value', `data:image/png;name=;base64,${b64}`, /base64 data URL/],
    ['a comma smuggled into the header', `data:image/png;name=a,b;base64,${b64}`, /base64 data URL/],
    ['a non-ASCII value', `data:image/png;name=é.png;base64,${b64}`, /base64 data URL/],
  ];
  for (const [what, url, message] of refused) {
    it(`400 for ${what}`, async () => {
      const before = backend.calls.runs.length;
      const e = await errorOf(await postJson(`${server.endpoint}/runs`, turn([{ type: 'image', image: url }])));
      assert.equal(e.status, 400);
      assert.equal(e.code, 'invalid_request');
      assert.match(e.message, message);
      assert.equal(backend.calls.runs.length, before, 'nothing reached the backend');
    });
  }

  it('well-formed parameters pass and are forwarded as sent', async () => {
    for (const url of [`data:image/png;base64,${b64}`, `data:image/png;name=screen%20shot.png;base64,${b64}`, `data:image/png;charset=binary;name=a.png;base64,${b64}`]) {
      const res = await postJson(`${server.endpoint}/runs`, turn([{ type: 'image', image: url }], { stream: false }));
      assert.equal(res.status, 200, url.slice(0, 60));
      await res.body?.cancel();
      assert.equal(backend.calls.runs.at(-1)!.input.attachments[0]!.data_url, url);
    }
  });
});
