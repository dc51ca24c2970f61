import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorOf, postJson, rawRequest, scriptedBackend, startSupport, type RunningSupport } from './support-test-kit.js';

const backend = scriptedBackend();
let listed: RunningSupport;
let byFunction: RunningSupport;
let sameOriginOnly: RunningSupport;

before(async () => {
  listed = await startSupport({ backend, allowedOrigins: ['https://shop.example.com', 'http://localhost:3000/'] });
  byFunction = await startSupport({ backend, allowedOrigins: (o) => o.endsWith('.trusted.example') });
  sameOriginOnly = await startSupport({ backend });
});
after(async () => {
  await listed.close();
  await byFunction.close();
  await sameOriginOnly.close();
});

const body = { thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: false };

describe('Origin allow-list', () => {
  it('403 forbidden for a cross-origin caller that is not allowed, before the backend is reached', async () => {
    const calls = backend.calls.runs.length + backend.calls.sessions.length;
    for (const [server, origin] of [
      [sameOriginOnly, 'https://evil.example'],
      [listed, 'https://evil.example'],
      [listed, 'https://shop.example.com.evil.example'],
      [listed, 'null'],
      [byFunction, 'https://trusted.example.evil'],
    ] as const) {
      const res = await postJson(`${server.endpoint}/runs`, body, { origin });
      const e = await errorOf(res);
      assert.deepEqual([e.status, e.code], [403, 'forbidden'], origin);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.deepEqual(res.headers.getSetCookie(), [], 'no identity minted for a refused origin');
      assert.equal((await fetch(`${server.endpoint}/session`, { method: 'POST', headers: { origin } })).status, 403);
    }
    assert.equal(backend.calls.runs.length + backend.calls.sessions.length, calls);
  });

  it('allows same-origin requests: no Origin, the same host, or Sec-Fetch-Site: same-origin', async () => {
    const host = new URL(sameOriginOnly.url).host;
    assert.equal((await postJson(`${sameOriginOnly.endpoint}/runs`, body)).status, 200);
    const same = await postJson(`${sameOriginOnly.endpoint}/runs`, body, { origin: sameOriginOnly.url });
    assert.equal(same.status, 200);
    assert.equal(same.headers.get('access-control-allow-origin'), null, 'no CORS headers needed');
    // Behind a TLS-terminating proxy the page is https but the server sees http: still same-origin.
    assert.equal((await postJson(`${sameOriginOnly.endpoint}/runs`, body, { origin: `https://${host}` })).status, 200);
    assert.equal((await postJson(`${sameOriginOnly.endpoint}/runs`, body, { origin: 'https://public.example', 'sec-fetch-site': 'same-origin' })).status, 200);
  });

  it('answers an allowed origin with credentialed CORS headers (list, case and trailing slash tolerant)', async () => {
    for (const [server, origin] of [
      [listed, 'https://shop.example.com'],
      [listed, 'HTTP://LOCALHOST:3000'],
      [byFunction, 'https://app.trusted.example'],
    ] as const) {
      const res = await postJson(`${server.endpoint}/runs`, body, { origin });
      assert.equal(res.status, 200, origin);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
      assert.match(res.headers.get('vary')!, /Origin/);
      assert.match(res.headers.get('access-control-expose-headers')!, /Retry-After/);
    }
  });

  it('adds CORS headers to error responses for allowed origins, so the page can read them', async () => {
    const res = await postJson(`${listed.endpoint}/runs`, '{', { origin: 'https://shop.example.com' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://shop.example.com');
  });

  it('answers a CORS preflight for an allowed origin', async () => {
    const res = await fetch(`${listed.endpoint}/runs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(res.headers.get('access-control-allow-methods'), 'POST, OPTIONS');
    assert.equal(res.headers.get('access-control-allow-headers'), 'content-type');
    assert.ok(Number(res.headers.get('access-control-max-age')) > 0);
    assert.deepEqual(res.headers.getSetCookie(), []);
    const files = await fetch(`${listed.endpoint}/files/f1`, { method: 'OPTIONS', headers: { origin: 'https://shop.example.com' } });
    assert.equal(files.headers.get('access-control-allow-methods'), 'GET, HEAD, OPTIONS');
  });

  it('refuses a preflight from an origin that is not allowed', async () => {
    const res = await fetch(`${listed.endpoint}/runs`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('judges same-origin by the Host the browser used', async () => {
    const res = await rawRequest(`${sameOriginOnly.endpoint}/session`, {
      method: 'POST',
      headers: { host: 'support.example.com', origin: 'https://support.example.com' },
    });
    assert.equal(res.status, 200);
    const cross = await rawRequest(`${sameOriginOnly.endpoint}/session`, {
      method: 'POST',
      headers: { host: 'support.example.com', origin: 'https://example.com' },
    });
    assert.equal(cross.status, 403);
  });
});
