// POST /handoff through the real handler on a real server: taken for a thread the visitor talked
// in, with the address they gave (anonymous) or their account's (signed in); each refused body
// answered with a protocol error, and nothing reaching the hook then.
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
import type { HandoffRecord, SupportHandlerOptions } from '../../../src/backends/core/index.js';
import { errorOf, postJson, scriptedBackend, startSupport, visitorCookie, type RunningSupport } from './support-test-kit.js';

const turn = (threadId: string) => ({ thread_id: threadId, input: [{ role: 'user', content: 'hi' }] });

describe('POST /handoff (anonymous visitors)', () => {
  const hooked: HandoffRecord[] = [];
  let support: RunningSupport;
  let owner: string;
  let stranger: string;

  before(async () => {
    support = await startSupport({
      backend: scriptedBackend(),
      onHandoff: (record) => {
        hooked.push(record);
        return { reference: `T-${hooked.length}` };
      },
    });
    owner = await visitorCookie(support.endpoint);
    stranger = await visitorCookie(support.endpoint);
    await (await postJson(`${support.endpoint}/runs`, turn('t1'), { cookie: owner })).text();
  });
  after(() => support.close());

  const handoff = (body: unknown, cookie = owner) => postJson(`${support.endpoint}/handoff`, body, { cookie });

  it('announces the feature in POST /session, and no account address for an anonymous visitor', async () => {
    const session = (await (await fetch(`${support.endpoint}/session`, { method: 'POST', headers: { cookie: owner } })).json()) as { features?: unknown; visitor: unknown };
    assert.deepEqual(session.features, { resume: true, handoff: true });
    assert.deepEqual(session.visitor, { kind: 'anonymous' });
  });

  it('hands the owner’s thread to the hook with the address and message, and answers its reference', async () => {
    const response = await handoff({ thread_id: 't1', email: '  ada@example.com ', message: '  My invoice is wrong.  ', extra: 'dropped' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { v: 1, thread_id: 't1', handoff: { reference: 'T-1', email: 'ada@example.com' } });
    const record = hooked.at(-1)!;
    assert.deepEqual(
      [record.thread_id, record.email, record.message, record.requested_by, record.visitor.kind],
      ['t1', 'ada@example.com', 'My invoice is wrong.', 'visitor', 'anonymous'],
    );
    assert.ok(!Number.isNaN(Date.parse(record.received_at)));
    assert.equal('extra' in record, false);
  });

  it('takes a hand-off without a message', async () => {
    const response = await handoff({ thread_id: 't1', email: 'ada@example.com', message: '   ' });
    assert.equal(response.status, 200);
    assert.equal('message' in hooked.at(-1)!, false);
  });

  const refusals: [string, unknown, number, string][] = [
    ['a body that is not an object', ['t1'], 400, 'invalid_request'],
    ['a missing thread id', { email: 'ada@example.com' }, 400, 'invalid_request'],
    ['a malformed thread id', { thread_id: 't1:x', email: 'ada@example.com' }, 400, 'invalid_request'],
    ['a missing email from an anonymous visitor', { thread_id: 't1' }, 400, 'invalid_request'],
    ['an email without a domain', { thread_id: 't1', email: 'ada@example' }, 400, 'invalid_request'],
    ['an email with a second recipient', { thread_id: 't1', email: 'ada@example.com, eve@example.com' }, 400, 'invalid_request'],
    ['an email with a line break', { thread_id: 't1', email: 'ada@example.com\r\nBcc: eve@example.com' }, 400, 'invalid_request'],
    ['an email that is not a string', { thread_id: 't1', email: 5 }, 400, 'invalid_request'],
    ['a too-long email', { thread_id: 't1', email: `${'a'.repeat(250)}@example.com` }, 400, 'invalid_request'],
    ['a message that is not a string', { thread_id: 't1', email: 'ada@example.com', message: ['hi'] }, 400, 'invalid_request'],
    ['a too-long message', { thread_id: 't1', email: 'ada@example.com', message: 'x'.repeat(2001) }, 413, 'payload_too_large'],
  ];
  for (const [what, body, status, code] of refusals) {
    it(`refuses ${what} (${status} ${code}) and tells no one`, async () => {
      const before = hooked.length;
      const error = await errorOf(await handoff(body));
      assert.deepEqual([error.status, error.code], [status, code]);
      assert.equal(hooked.length, before);
    });
  }

  it('refuses another visitor’s thread as not found', async () => {
    const before = hooked.length;
    const error = await errorOf(await handoff({ thread_id: 't1', email: 'eve@example.com' }, stranger));
    assert.deepEqual([error.status, error.code], [404, 'not_found']);
    assert.equal(hooked.length, before);
  });

  it('refuses a thread the visitor never talked in as not found', async () => {
    const error = await errorOf(await handoff({ thread_id: 't_never', email: 'ada@example.com' }));
    assert.deepEqual([error.status, error.code], [404, 'not_found']);
  });

  it('refuses a request without a visitor cookie as not found, minting none', async () => {
    const response = await postJson(`${support.endpoint}/handoff`, { thread_id: 't1', email: 'ada@example.com' });
    assert.equal(response.status, 404);
    assert.equal(response.headers.getSetCookie().length, 0);
  });

  it('refuses GET with 405 and a body that is not JSON with 415', async () => {
    const get = await fetch(`${support.endpoint}/handoff`, { headers: { cookie: owner } });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
    const text = await fetch(`${support.endpoint}/handoff`, { method: 'POST', headers: { cookie: owner, 'content-type': 'text/plain' }, body: 'thread_id=t1' });
    assert.equal((await errorOf(text)).status, 415);
  });
});

describe('POST /handoff (signed-in visitors)', () => {
  const hooked: HandoffRecord[] = [];
  const running: RunningSupport[] = [];
  const start = async (identify: SupportHandlerOptions['identify']) => {
    const support = await startSupport({
      backend: scriptedBackend(),
      identify,
      onHandoff: (record) => {
        hooked.push(record);
        return { reference: ' CASE-9 ' };
      },
    });
    running.push(support);
    return support;
  };
  after(() => Promise.all(running.map((s) => s.close())));

  it('uses the account’s address (told to the page as has_email), over one typed', async () => {
    const support = await start((request) => (request.headers.get('x-user') ? { user_id: request.headers.get('x-user')!, email: 'ada@example.com' } : null));
    const session = (await (await fetch(`${support.endpoint}/session`, { method: 'POST', headers: { 'x-user': 'u1' } })).json()) as { visitor: unknown };
    assert.deepEqual(session.visitor, { kind: 'user', has_email: true });
    await (await postJson(`${support.endpoint}/runs`, turn('t9'), { 'x-user': 'u1' })).text();
    const response = await postJson(`${support.endpoint}/handoff`, { thread_id: 't9' }, { 'x-user': 'u1' });
    assert.deepEqual(await response.json(), { v: 1, thread_id: 't9', handoff: { reference: 'CASE-9', email: 'ada@example.com' } });
    await postJson(`${support.endpoint}/handoff`, { thread_id: 't9', email: 'other@example.com' }, { 'x-user': 'u1' });
    assert.equal(hooked.at(-1)!.email, 'ada@example.com');
    // Another account's thread of the same id is another thread: not found.
    const error = await errorOf(await postJson(`${support.endpoint}/handoff`, { thread_id: 't9', email: 'eve@example.com' }, { 'x-user': 'u2' }));
    assert.deepEqual([error.status, error.code], [404, 'not_found']);
  });

  it('asks a signed-in visitor without an address for one', async () => {
    const support = await start(() => ({ user_id: 'u3', email: 'not an address' }));
    const session = (await (await fetch(`${support.endpoint}/session`, { method: 'POST' })).json()) as { visitor: unknown };
    assert.deepEqual(session.visitor, { kind: 'user' });
    await (await postJson(`${support.endpoint}/runs`, turn('t3'))).text();
    const error = await errorOf(await postJson(`${support.endpoint}/handoff`, { thread_id: 't3' }));
    assert.deepEqual([error.status, error.code], [400, 'invalid_request']);
    assert.equal((await postJson(`${support.endpoint}/handoff`, { thread_id: 't3', email: 'u3@example.com' })).status, 200);
  });
});

describe('POST /handoff without a hook, or with a broken one', () => {
  it('is not announced and answers 404 without a hook', async () => {
    const support = await startSupport({ backend: scriptedBackend() });
    try {
      const cookie = await visitorCookie(support.endpoint);
      const session = (await (await fetch(`${support.endpoint}/session`, { method: 'POST', headers: { cookie } })).json()) as { features?: unknown };
      assert.deepEqual(session.features, { resume: true });
      await (await postJson(`${support.endpoint}/runs`, turn('t1'), { cookie })).text();
      const error = await errorOf(await postJson(`${support.endpoint}/handoff`, { thread_id: 't1', email: 'ada@example.com' }, { cookie }));
      assert.deepEqual([error.status, error.code], [404, 'not_found']);
      assert.match(error.message, /person/);
    } finally {
      await support.close();
    }
  });

  it('answers 500 when the hook returns no usable reference, and the backend’s own handoff() otherwise', async () => {
    const errors: unknown[] = [];
    const backend = scriptedBackend();
    backend.handoff = async () => ({ reference: 'B-1' });
    const broken = await startSupport({ backend, onHandoff: () => ({ reference: '' }), onError: (err) => void errors.push(err) });
    const own = await startSupport({ backend });
    try {
      for (const support of [broken, own]) {
        const cookie = await visitorCookie(support.endpoint);
        await (await postJson(`${support.endpoint}/runs`, turn('t1'), { cookie })).text();
        const response = await postJson(`${support.endpoint}/handoff`, { thread_id: 't1', email: 'ada@example.com' }, { cookie });
        if (support === broken) assert.deepEqual([(await errorOf(response)).status, errors.length], [500, 1]);
        else assert.deepEqual(await response.json(), { v: 1, thread_id: 't1', handoff: { reference: 'B-1', email: 'ada@example.com' } });
      }
    } finally {
      await broken.close();
      await own.close();
    }
  });
});

describe('hand-off in production mode', () => {
  const stores = { rateLimit: new InMemoryRateLimitStore(), concurrency: new InMemoryConcurrencyStore(), runBus: new InMemoryRunBus(), runLog: new InMemoryRunLogStore() };
  const cookie = { secret: 'production-secret-0123456789abcdef0123456789' };
  it('refuses to keep thread owners in one process’s memory, naming stores.runOwners', () => {
    assert.throws(() => createSupportHandler({ backend: scriptedBackend(), production: true, cookie, stores, onHandoff: () => ({ reference: 'T-1' }) }), /stores\.runOwners/);
    assert.doesNotThrow(() =>
      createSupportHandler({
        backend: scriptedBackend(),
        production: true,
        cookie,
        stores: { ...stores, runOwners: new InMemoryRunOwnerStore() },
        onHandoff: () => ({ reference: 'T-1' }),
      }),
    );
  });
});
