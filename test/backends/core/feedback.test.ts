// POST /runs/{run_id}/feedback through the real handler on a real server: accepted from the run's
// owner only, each refused body answered with a protocol error, and nothing reaching the hooks then.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createSupportHandler,
  InMemoryConcurrencyStore,
  InMemoryRateLimitStore,
  InMemoryRunBus,
  InMemoryRunLogStore,
  InMemoryRunOwnerStore,
} from '../../../src/backends/core/index.js';
import type { FeedbackRecord, FeedbackInput } from '../../../src/backends/core/index.js';
import { errorOf, postJson, scriptedBackend, startSupport, visitorCookie, type RunningSupport } from './support-test-kit.js';

describe('POST /runs/{run_id}/feedback', () => {
  const hooked: FeedbackRecord[] = [];
  const backendGot: FeedbackInput[] = [];
  let support: RunningSupport;
  let owner: string;
  let stranger: string;

  before(async () => {
    let n = 0;
    const backend = scriptedBackend({
      async *run(input) {
        const run_id = `run_${++n}`;
        yield { type: 'run.started', v: 1, run_id, thread_id: input.thread_id };
        yield { type: 'message.delta', v: 1, run_id, delta: 'Hello' };
        yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' };
      },
    });
    backend.feedback = async (input) => void backendGot.push(input);
    support = await startSupport({ backend, onFeedback: (record) => void hooked.push(record) });
    owner = await visitorCookie(support.endpoint);
    stranger = await visitorCookie(support.endpoint);
    const run = await postJson(`${support.endpoint}/runs`, { thread_id: 't1', input: [{ role: 'user', content: 'hi' }] }, { cookie: owner });
    await run.text();
  });
  after(() => support.close());

  const feedback = (runId: string, body: unknown, cookie = owner) => postJson(`${support.endpoint}/runs/${runId}/feedback`, body, { cookie });

  it('announces the feature in POST /session', async () => {
    const session = (await (await fetch(`${support.endpoint}/session`, { method: 'POST', headers: { cookie: owner } })).json()) as { features?: unknown };
    assert.deepEqual(session.features, { resume: true, feedback: true });
  });

  it('takes the owner’s rating and hands it to the backend and the hook, with the visitor', async () => {
    const response = await feedback('run_1', { rating: 'down', reasons: ['incorrect', 'unclear', 'incorrect'], comment: '  Wrong plan name.  ', extra: 'dropped' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { v: 1, run_id: 'run_1', saved: true });
    assert.deepEqual(backendGot.at(-1), { run_id: 'run_1', rating: 'down', reasons: ['incorrect', 'unclear'], comment: 'Wrong plan name.' });
    const record = hooked.at(-1)!;
    assert.equal(record.visitor.kind, 'anonymous');
    assert.equal(`anonymous:${record.visitor.id}`.length > 20, true);
    assert.equal(record.rating, 'down');
    assert.ok(!Number.isNaN(Date.parse(record.received_at)));
  });

  it('takes a changed rating', async () => {
    assert.equal((await feedback('run_1', { rating: 'up' })).status, 200);
    assert.deepEqual(backendGot.at(-1), { run_id: 'run_1', rating: 'up', reasons: [] });
  });

  const refusals: [string, unknown, number, string][] = [
    ['a missing rating', {}, 400, 'invalid_request'],
    ['a bad rating', { rating: 'meh' }, 400, 'invalid_request'],
    ['a body that is not an object', ['up'], 400, 'invalid_request'],
    ['reasons that are not an array', { rating: 'down', reasons: 'incorrect' }, 400, 'invalid_request'],
    ['too many reasons', { rating: 'down', reasons: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }, 400, 'invalid_request'],
    ['a reason that is free text', { rating: 'down', reasons: ['<b>bad</b>'] }, 400, 'invalid_request'],
    ['a comment that is not a string', { rating: 'down', comment: 5 }, 400, 'invalid_request'],
    ['a too-long comment', { rating: 'down', comment: 'x'.repeat(2001) }, 413, 'payload_too_large'],
  ];
  for (const [what, body, status, code] of refusals) {
    it(`refuses ${what} (${status} ${code}) and tells no one`, async () => {
      const before = hooked.length;
      const error = await errorOf(await feedback('run_1', body));
      assert.equal(error.status, status);
      assert.equal(error.code, code);
      assert.equal(hooked.length, before);
    });
  }

  it('refuses another visitor’s run as not found', async () => {
    const before = hooked.length;
    const error = await errorOf(await feedback('run_1', { rating: 'up' }, stranger));
    assert.deepEqual([error.status, error.code], [404, 'not_found']);
    assert.equal(hooked.length, before);
  });

  it('refuses an unknown run as not found', async () => {
    const error = await errorOf(await feedback('run_nope', { rating: 'up' }));
    assert.deepEqual([error.status, error.code], [404, 'not_found']);
  });

  it('refuses a request without a visitor cookie as not found, minting none', async () => {
    const response = await postJson(`${support.endpoint}/runs/run_1/feedback`, { rating: 'up' });
    assert.equal(response.status, 404);
    assert.equal(response.headers.getSetCookie().length, 0);
  });

  it('refuses GET with 405', async () => {
    const response = await fetch(`${support.endpoint}/runs/run_1/feedback`, { headers: { cookie: owner } });
    assert.equal(response.status, 405);
  });
});

describe('feedback without a hook', () => {
  it('is not announced and answers 404', async () => {
    const support = await startSupport({ backend: scriptedBackend() });
    try {
      const cookie = await visitorCookie(support.endpoint);
      const session = (await (await fetch(`${support.endpoint}/session`, { method: 'POST', headers: { cookie } })).json()) as { features?: unknown };
      assert.deepEqual(session.features, { resume: true });
      await (await postJson(`${support.endpoint}/runs`, { thread_id: 't1', input: [{ role: 'user', content: 'hi' }] }, { cookie })).text();
      const error = await errorOf(await postJson(`${support.endpoint}/runs/run_1/feedback`, { rating: 'up' }, { cookie }));
      assert.deepEqual([error.status, error.code], [404, 'not_found']);
    } finally {
      await support.close();
    }
  });
});

describe('feedback in production mode', () => {
  const stores = { rateLimit: new InMemoryRateLimitStore(), concurrency: new InMemoryConcurrencyStore(), runBus: new InMemoryRunBus(), runLog: new InMemoryRunLogStore() };
  const cookie = { secret: 'production-secret-0123456789abcdef0123456789' };
  it('refuses to keep run owners in one process’s memory when feedback is on, naming stores.runOwners', () => {
    assert.throws(() => createSupportHandler({ backend: scriptedBackend(), production: true, cookie, stores, onFeedback: () => {} }), /stores\.runOwners/);
    assert.doesNotThrow(() =>
      createSupportHandler({ backend: scriptedBackend(), production: true, cookie, stores: { ...stores, runOwners: new InMemoryRunOwnerStore() }, onFeedback: () => {} }),
    );
    // Without feedback, no run owner store is needed.
    assert.doesNotThrow(() => createSupportHandler({ backend: scriptedBackend(), production: true, cookie, stores }));
  });
});
