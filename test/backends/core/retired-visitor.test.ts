// A backend may retire an anonymous identity (RetiredVisitorError). The cookie is HttpOnly, so on
// POST /session the handler must hand out a fresh identity instead of a 401 on every page load;
// the other routes keep answering 401 for the retired one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RetiredVisitorError } from '../../../src/backends/core/visitor-cookie.js';
import { postJson, scriptedBackend, startSupport, type RunningSupport } from './support-test-kit.js';

const retired = new Set<string>();
const backend = scriptedBackend({
  async session(ctx) {
    if (ctx.visitor.kind === 'anonymous' && retired.has(ctx.visitor.id)) throw new RetiredVisitorError();
  },
  async *run(input, ctx) {
    if (ctx.visitor.kind === 'anonymous' && retired.has(ctx.visitor.id)) throw new RetiredVisitorError();
    yield { type: 'run.started', v: 1, run_id: 'run_1', thread_id: input.thread_id };
    yield { type: 'run.completed', v: 1, run_id: 'run_1', stop_reason: 'end_turn' };
  },
});
let server: RunningSupport;

before(async () => {
  server = await startSupport({ backend, onError: () => {} });
});
after(() => server.close());

const tokenOf = (cookie: string) => cookie.split('=')[1]!.split('.')[0]!;

describe('a retired anonymous identity', () => {
  it('gets a fresh cookie on POST /session, and the backend sees the fresh visitor', async () => {
    const first = await postJson(`${server.endpoint}/session`, {});
    assert.equal(first.status, 200);
    const oldCookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
    retired.add(tokenOf(oldCookie));

    const again = await postJson(`${server.endpoint}/session`, {}, { cookie: oldCookie });
    assert.equal(again.status, 200, await again.clone().text());
    assert.deepEqual(((await again.json()) as { visitor: unknown }).visitor, { kind: 'anonymous' });
    const set = again.headers.getSetCookie();
    assert.equal(set.length, 1, 'exactly one new cookie');
    assert.match(set[0]!, /HttpOnly/);
    const newCookie = set[0]!.split(';')[0]!;
    assert.notEqual(tokenOf(newCookie), tokenOf(oldCookie));
    const seen = backend.calls.sessions.at(-1)!.visitor;
    assert.deepEqual(seen, { kind: 'anonymous', id: tokenOf(newCookie) });

    // The new cookie works on its own; the old one still opens nothing elsewhere.
    const run = { thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: false };
    assert.equal((await postJson(`${server.endpoint}/runs`, run, { cookie: newCookie })).status, 200);
    const old = await postJson(`${server.endpoint}/runs`, run, { cookie: oldCookie });
    assert.equal(old.status, 401);
    assert.equal(((await old.json()) as { error: { code: string } }).error.code, 'unauthenticated');
  });

  it('other 401s from session() stay 401 and mint nothing', async () => {
    const { SupportError } = await import('../../../src/backends/core/index.js');
    const strict = scriptedBackend({
      async session() {
        throw new SupportError('unauthenticated', 'Sign in to chat.');
      },
    });
    const s = await startSupport({ backend: strict, onError: () => {} });
    try {
      const first = await postJson(`${s.endpoint}/session`, {});
      const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
      assert.equal(first.status, 401);
      const res = await postJson(`${s.endpoint}/session`, {}, { cookie });
      assert.equal(res.status, 401);
      assert.deepEqual(res.headers.getSetCookie(), []);
      assert.equal(strict.calls.sessions.length, 2, 'asked once per request');
    } finally {
      await s.close();
    }
  });
});
