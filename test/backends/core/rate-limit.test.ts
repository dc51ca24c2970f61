import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlidingWindowRateLimiter } from '../../../src/backends/core/rate-limiter.js';
import { cookiePair, errorOf, postJson, scriptedBackend, startSupport } from './support-test-kit.js';

const body = { thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: false };

describe('per-visitor rate limit', () => {
  it('429 rate_limited with Retry-After once a visitor exceeds max, without calling the backend', async () => {
    const backend = scriptedBackend();
    const s = await startSupport({ backend, rateLimit: { windowMs: 60_000, max: 3 } });
    try {
      const first = await fetch(`${s.endpoint}/session`, { method: 'POST' });
      const cookie = cookiePair(first.headers.getSetCookie()[0]!);
      assert.equal((await postJson(`${s.endpoint}/runs`, body, { cookie })).status, 200);
      assert.equal((await postJson(`${s.endpoint}/runs`, body, { cookie })).status, 200);
      const limited = await postJson(`${s.endpoint}/runs`, body, { cookie });
      const e = await errorOf(limited);
      assert.deepEqual([e.status, e.code], [429, 'rate_limited']);
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal(backend.calls.runs.length, 2);

      // Another visitor is not affected.
      assert.equal((await postJson(`${s.endpoint}/runs`, body)).status, 200);
      // Reading one's files (GET) is not counted.
      assert.equal((await fetch(`${s.endpoint}/files/x`, { headers: { cookie } })).status, 404);
    } finally {
      await s.close();
    }
  });

  it('counts under a custom key when given one (e.g. a client IP from a trusted proxy)', async () => {
    const backend = scriptedBackend();
    const s = await startSupport({
      backend,
      rateLimit: { windowMs: 60_000, max: 2, key: (request) => request.headers.get('x-client-ip') ?? 'unknown' },
    });
    try {
      // Without cookies every request is a new visitor; the key still catches them.
      const ip = { 'x-client-ip': '203.0.113.9' };
      assert.equal((await postJson(`${s.endpoint}/runs`, body, ip)).status, 200);
      assert.equal((await postJson(`${s.endpoint}/runs`, body, ip)).status, 200);
      assert.equal((await postJson(`${s.endpoint}/runs`, body, ip)).status, 429);
      assert.equal((await postJson(`${s.endpoint}/runs`, body, { 'x-client-ip': '203.0.113.10' })).status, 200);
    } finally {
      await s.close();
    }
  });

  it('rateLimit:false turns it off', async () => {
    const s = await startSupport({ backend: scriptedBackend(), rateLimit: false });
    try {
      const cookie = cookiePair((await fetch(`${s.endpoint}/session`, { method: 'POST' })).headers.getSetCookie()[0]!);
      for (let i = 0; i < 40; i++) assert.equal((await postJson(`${s.endpoint}/runs`, body, { cookie })).status, 200);
    } finally {
      await s.close();
    }
  });
});

describe('SlidingWindowRateLimiter', () => {
  it('frees a slot when the oldest hit leaves the window, with the right Retry-After', () => {
    const limiter = new SlidingWindowRateLimiter({ windowMs: 10_000, max: 2 });
    assert.deepEqual(limiter.take('a', 0), { ok: true });
    assert.deepEqual(limiter.take('a', 4_000), { ok: true });
    assert.deepEqual(limiter.take('a', 5_000), { ok: false, retryAfterSeconds: 5 });
    assert.deepEqual(limiter.take('a', 10_001), { ok: true });
    assert.deepEqual(limiter.take('a', 10_002), { ok: false, retryAfterSeconds: 4 });
  });

  it('bounds memory by evicting the least recently seen keys', () => {
    const limiter = new SlidingWindowRateLimiter({ windowMs: 10_000, max: 1, maxKeys: 2 });
    limiter.take('a', 0);
    limiter.take('b', 1);
    limiter.take('c', 2); // evicts a
    assert.deepEqual(limiter.take('a', 3), { ok: true });
    assert.equal(limiter.take('c', 4).ok, false);
  });

  it('refuses nonsense options', () => {
    assert.throws(() => new SlidingWindowRateLimiter({ windowMs: 0, max: 1 }), TypeError);
    assert.throws(() => new SlidingWindowRateLimiter({ windowMs: 1000, max: 0 }), TypeError);
  });
});
