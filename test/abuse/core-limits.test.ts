// Cookie-less and greedy clients against the core's limits, over real HTTP: identities minted per
// address, files metered, concurrent runs capped, and the client address taken only from where it
// can be trusted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_NEW_VISITOR_LIMIT } from '../../src/backends/core/index.js';
import type { RunEvent } from '../../src/protocol/types.js';
import { errorOf, postJson, scriptedBackend, startSupport, visitorCookie } from '../backends/core/support-test-kit.js';

const turnBody = { thread_id: 't1', input: [{ role: 'user', content: 'hi' }] };

/** A run that streams one delta, then waits until `release()` (or the client leaves). */
function heldRuns() {
  const waiting: (() => void)[] = [];
  return {
    release: () => waiting.splice(0).forEach((r) => r()),
    async *run(_input: unknown, ctx: { signal: AbortSignal }): AsyncGenerator<RunEvent> {
      const run_id = `run_${Math.random().toString(36).slice(2)}`;
      yield { type: 'run.started', v: 1, run_id, thread_id: 't1' };
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' };
    },
  };
}

describe('new anonymous identities per client address', () => {
  it('200 cookie-less POST /session: the first 20 get a cookie, the rest 429 with Retry-After, and the backend is asked 20 times', async () => {
    const backend = scriptedBackend();
    const s = await startSupport({ backend, newVisitorLimit: DEFAULT_NEW_VISITOR_LIMIT });
    try {
      const statuses: number[] = [];
      let cookies = 0;
      let retryAfter: string | null = null;
      for (let i = 0; i < 200; i++) {
        const res = await fetch(`${s.endpoint}/session`, { method: 'POST' });
        statuses.push(res.status);
        cookies += res.headers.getSetCookie().length;
        if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
        await res.body?.cancel();
      }
      assert.equal(statuses.filter((x) => x === 200).length, 20);
      assert.equal(statuses.filter((x) => x === 429).length, 180);
      assert.equal(cookies, 20, 'a refused request mints no cookie');
      assert.equal(backend.calls.sessions.length, 20);
      assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 600, `Retry-After ${retryAfter}`);
    } finally {
      await s.close();
    }
  });

  it('cookie-less POST /runs counts against the same limit', async () => {
    const backend = scriptedBackend();
    const s = await startSupport({ backend, newVisitorLimit: { windowMs: 60_000, max: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        const res = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: false });
        statuses.push(res.status);
        await res.body?.cancel();
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.equal(backend.calls.runs.length, 3);
    } finally {
      await s.close();
    }
  });

  it('a visitor who keeps their cookie is not limited by it', async () => {
    const s = await startSupport({ backend: scriptedBackend(), newVisitorLimit: { windowMs: 60_000, max: 1 } });
    try {
      const cookie = await visitorCookie(s.endpoint);
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${s.endpoint}/session`, { method: 'POST', headers: { cookie } });
        assert.equal(res.status, 200);
        await res.body?.cancel();
      }
    } finally {
      await s.close();
    }
  });

  it('X-Forwarded-For is ignored unless trustProxy: a client cannot pick a fresh address per request', async () => {
    const s = await startSupport({ backend: scriptedBackend(), newVisitorLimit: { windowMs: 60_000, max: 2 } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${s.endpoint}/session`, { method: 'POST', headers: { 'x-forwarded-for': `203.0.113.${i}` } });
        statuses.push(res.status);
        await res.body?.cancel();
      }
      assert.deepEqual(statuses, [200, 200, 429, 429]);
    } finally {
      await s.close();
    }
  });

  it('with trustProxy, the address the proxy appended is the key (the client-supplied part is not)', async () => {
    const s = await startSupport({ backend: scriptedBackend(), newVisitorLimit: { windowMs: 60_000, max: 2 }, trustProxy: true });
    try {
      const post = async (xff: string) => {
        const res = await fetch(`${s.endpoint}/session`, { method: 'POST', headers: { 'x-forwarded-for': xff } });
        await res.body?.cancel();
        return res.status;
      };
      // The client forges a different first entry each time; the proxy's entry (last) stays the same.
      assert.deepEqual([await post('1.1.1.1, 198.51.100.7'), await post('2.2.2.2, 198.51.100.7'), await post('3.3.3.3, 198.51.100.7')], [200, 200, 429]);
      // Another real client behind the same proxy has its own budget.
      assert.equal(await post('198.51.100.8'), 200);
    } finally {
      await s.close();
    }
  });
});

describe('reads are metered too', () => {
  it('GET /files is counted per visitor: past the limit, 429 and the backend is not asked', async () => {
    const backend = scriptedBackend();
    const s = await startSupport({ backend, fileRateLimit: { windowMs: 60_000, max: 5 } });
    try {
      const cookie = await visitorCookie(s.endpoint);
      const statuses = [];
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${s.endpoint}/files/f_${i}`, { headers: { cookie } });
        statuses.push(res.status);
        await res.body?.cancel();
      }
      assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429, 429, 429]);
      assert.equal(backend.calls.files.length, 5);
    } finally {
      await s.close();
    }
  });

  it('every request of an address counts against addressRateLimit, whichever cookies it carries', async () => {
    const s = await startSupport({ backend: scriptedBackend(), addressRateLimit: { windowMs: 60_000, max: 4 } });
    try {
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${s.endpoint}/session`, { method: 'POST' });
        statuses.push(res.status);
        await res.body?.cancel();
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    } finally {
      await s.close();
    }
  });
});

describe('runs streaming at once', () => {
  it('a visitor gets 3 at once; the 4th is 429 and the backend never starts it; a slot frees when a run ends', async () => {
    const held = heldRuns();
    const backend = scriptedBackend({ run: held.run });
    const s = await startSupport({ backend });
    try {
      const cookie = await visitorCookie(s.endpoint);
      const open = await Promise.all([1, 2, 3].map(() => postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true }, { cookie })));
      assert.deepEqual(
        open.map((r) => r.status),
        [200, 200, 200],
      );
      const fourth = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true }, { cookie });
      const e = await errorOf(fourth);
      assert.deepEqual([e.status, e.code], [429, 'rate_limited']);
      assert.match(e.message, /3 replies in progress/);
      assert.ok(fourth.headers.get('retry-after'));
      assert.equal(backend.calls.runs.length, 3);
      held.release();
      await Promise.all(open.map((r) => r.text()));
      const again = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true }, { cookie });
      assert.equal(again.status, 200);
      held.release();
      await again.text();
    } finally {
      held.release();
      await s.close();
    }
  });

  it('a client that leaves mid-stream gives its slot back', async () => {
    const held = heldRuns();
    const s = await startSupport({ backend: scriptedBackend({ run: held.run }), maxConcurrentRuns: { perVisitor: 1 } });
    try {
      const cookie = await visitorCookie(s.endpoint);
      const leaving = new AbortController();
      const first = await fetch(`${s.endpoint}/runs`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ ...turnBody, stream: true }),
        signal: leaving.signal,
      });
      assert.equal(first.status, 200);
      const refused = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true }, { cookie });
      assert.equal(refused.status, 429);
      await refused.body?.cancel();
      leaving.abort();
      // The server notices the closed connection, ends the run and frees the slot.
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const next = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true }, { cookie });
        status = next.status;
        held.release();
        await next.text();
      }
      assert.equal(status, 200);
    } finally {
      held.release();
      await s.close();
    }
  });

  it('cookie-less clients of one address share perAddress', async () => {
    const held = heldRuns();
    const s = await startSupport({ backend: scriptedBackend({ run: held.run }), maxConcurrentRuns: { perVisitor: 3, perAddress: 2 } });
    try {
      const a = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true });
      const b = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true });
      const c = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true });
      assert.deepEqual([a.status, b.status, c.status], [200, 200, 429]);
      assert.match((await errorOf(c)).message, /from your network/);
      held.release();
      await Promise.all([a.text(), b.text()]);
    } finally {
      held.release();
      await s.close();
    }
  });
});

describe('headers of every answer', () => {
  it('JSON, errors and event streams are nosniff', async () => {
    const s = await startSupport({ backend: scriptedBackend() });
    try {
      const session = await fetch(`${s.endpoint}/session`, { method: 'POST' });
      const error = await fetch(`${s.endpoint}/nope`, { method: 'POST' });
      const stream = await postJson(`${s.endpoint}/runs`, { ...turnBody, stream: true }, { cookie: await visitorCookie(s.endpoint) });
      for (const res of [session, error, stream]) {
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', res.url);
        await res.body?.cancel();
      }
    } finally {
      await s.close();
    }
  });
});
