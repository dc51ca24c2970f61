import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError, codeForStatus, errorFromResponse, parseRetryAfter } from '../../src/protocol/errors.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');

  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
  });

  it('reads an HTTP-date', () => {
    assert.equal(parseRetryAfter('Fri, 01 May 2026 12:00:30 GMT', now), 30_000);
  });

  it('gives 0 for a date in the past', () => {
    assert.equal(parseRetryAfter('Fri, 01 May 2026 11:00:00 GMT', now), 0);
  });

  it('ignores missing and unreadable values', () => {
    for (const value of [null, undefined, '', '   ', '-5', '1.5', 'soon', '12abc']) {
      assert.equal(parseRetryAfter(value, now), undefined, String(value));
    }
  });
});

describe('codeForStatus', () => {
  it('maps each protocol status to its code, and others to a family default', () => {
    assert.equal(codeForStatus(400), 'invalid_request');
    assert.equal(codeForStatus(401), 'unauthenticated');
    assert.equal(codeForStatus(403), 'forbidden');
    assert.equal(codeForStatus(404), 'not_found');
    assert.equal(codeForStatus(413), 'payload_too_large');
    assert.equal(codeForStatus(415), 'unsupported_media_type');
    assert.equal(codeForStatus(429), 'rate_limited');
    assert.equal(codeForStatus(500), 'internal_error');
    assert.equal(codeForStatus(502), 'upstream_error');
    assert.equal(codeForStatus(503), 'unavailable');
    assert.equal(codeForStatus(504), 'upstream_error');
    assert.equal(codeForStatus(418), 'invalid_request');
    assert.equal(codeForStatus(599), 'internal_error');
  });
});

describe('errorFromResponse', () => {
  it('takes code and message from a JSON error body', async () => {
    const response = new Response(JSON.stringify({ error: { code: 'payload_too_large', message: 'Too big: 30 MB.' } }), {
      status: 413,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    const error = await errorFromResponse(response);
    assert.ok(error instanceof ProtocolError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'ProtocolError');
    assert.equal(error.code, 'payload_too_large');
    assert.equal(error.status, 413);
    assert.equal(error.message, 'Too big: 30 MB.');
    assert.equal(error.retryAfterMs, undefined);
  });

  it('keeps an unknown code from a newer backend', async () => {
    const response = Response.json({ error: { code: 'quota_exhausted', message: 'No more.' } }, { status: 402 });
    assert.equal((await errorFromResponse(response)).code, 'quota_exhausted');
  });

  it('falls back to the status for a JSON body without an error object or with broken JSON', async () => {
    const a = await errorFromResponse(Response.json({ nope: true }, { status: 404, statusText: 'Not Found' }));
    assert.equal(a.code, 'not_found');
    assert.equal(a.message, 'The server replied 404 Not Found.');
    const b = await errorFromResponse(new Response('{"error":', { status: 500, headers: { 'content-type': 'application/json' } }));
    assert.equal(b.code, 'internal_error');
    assert.match(b.message, /500/);
  });

  it('never puts an HTML error page into the message', async () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>';
    const response = new Response(html, { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } });
    const error = await errorFromResponse(response);
    assert.equal(error.code, 'upstream_error');
    assert.equal(error.status, 502);
    assert.equal(error.message, 'The server replied 502 Bad Gateway (text/html).');
    assert.equal(response.bodyUsed || response.body?.locked, true);
  });

  it('reads Retry-After', async () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    const seconds = Response.json({ error: { code: 'rate_limited', message: 'Slow down.' } }, { status: 429, headers: { 'retry-after': '30' } });
    assert.equal((await errorFromResponse(seconds, now)).retryAfterMs, 30_000);
    const date = new Response('', { status: 429, headers: { 'retry-after': 'Fri, 01 May 2026 12:01:00 GMT' } });
    const error = await errorFromResponse(date, now);
    assert.equal(error.retryAfterMs, 60_000);
    assert.equal(error.code, 'rate_limited');
  });
});
