// source.added in the decoder, the link check every renderer of sources relies on, and the
// session's optional features.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventDecoder, linkableUrl, openSession } from '../../src/protocol/index.js';

const decode = (data: unknown, warnings: string[] = []) => new EventDecoder({ onWarning: (w) => warnings.push(w) }).decode({ event: 'source.added', data: JSON.stringify(data) });

describe('source.added', () => {
  it('decodes the known fields only', () => {
    assert.deepEqual(decode({ v: 1, run_id: 'r', source: { title: 'T', url: 'https://a.example/x', snippet: 'S', score: 9 }, extra: 1 }), {
      type: 'source.added',
      v: 1,
      run_id: 'r',
      source: { title: 'T', url: 'https://a.example/x', snippet: 'S' },
    });
  });

  it('skips, with a warning, a source without a title or URL', () => {
    const warnings: string[] = [];
    assert.equal(decode({ v: 1, run_id: 'r', source: { url: 'https://a.example' } }, warnings), null);
    assert.equal(decode({ v: 1, run_id: 'r', source: 'https://a.example' }, warnings), null);
    assert.equal(warnings.length, 2);
  });
});

describe('linkableUrl', () => {
  it('links http and https only, resolving relative URLs against a base', () => {
    assert.equal(linkableUrl('https://a.example/x?y=1#z'), 'https://a.example/x?y=1#z');
    assert.equal(linkableUrl('/help/refunds', 'http://localhost:8787/'), 'http://localhost:8787/help/refunds');
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '/relative'])
      assert.equal(linkableUrl(bad), null, bad);
    assert.equal(linkableUrl('javascript:alert(1)', 'https://a.example/'), null);
  });
});

describe('POST /session features', () => {
  it('keeps true flags and drops anything else', async () => {
    const fetch = async () =>
      new Response(
        JSON.stringify({
          v: 1,
          visitor: { kind: 'anonymous' },
          limits: { max_file_bytes: 1, max_files: 1, accept: [] },
          features: { feedback: true, threads: 'yes', handoff: false },
        }),
        {
          headers: { 'content-type': 'application/json' },
        },
      );
    const session = await openSession('http://x.invalid/api', { fetch });
    assert.deepEqual(session.features, { feedback: true });
  });
});
