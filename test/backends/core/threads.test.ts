// Past conversations (`features.threads`) through the real handler and the local backend on a real
// server: a signed-in visitor lists, reads and deletes their own threads; every other request is
// refused with a protocol error (another visitor's thread is absent, an anonymous visitor is told
// why, a backend without transcripts has no such route) and changes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import type { ThreadListResponse, ThreadResponse } from '../../../src/protocol/threads.js';
import { errorOf, postJson, scriptedBackend, startSupport, visitorCookie, type RunningSupport } from './support-test-kit.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const ADA = { 'x-test-user': 'ada' };
const BOB = { 'x-test-user': 'bob' };

describe('GET /threads, GET and DELETE /threads/{thread_id}', () => {
  const filesDir = mkdtempSync(join(tmpdir(), 'ic-threads-'));
  const backend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 0, filesDir });
  let support: RunningSupport;

  const ask = async (threadId: string, text: string, headers: Record<string, string>) => {
    const response = await postJson(`${support.endpoint}/runs`, { thread_id: threadId, input: [{ role: 'user', content: text }], stream: false }, headers);
    assert.equal(response.status, 200, await response.clone().text());
    await response.text();
  };
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${support.endpoint}${path}`, { method, headers });

  before(async () => {
    support = await startSupport({
      backend,
      identify: async (request) => {
        const user = request.headers.get('x-test-user');
        return user ? { user_id: user } : null;
      },
    });
    await ask('chat_ada_one', 'How do I reset my password?', ADA);
    await ask('chat_ada_one', 'And if I lost my email?', ADA);
    await ask('chat_ada_two', 'Can I get a refund?', ADA);
    await ask('chat_bob_one', 'Where is my order?', BOB);
  });
  after(async () => {
    await support.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('announces the feature to signed-in visitors only', async () => {
    const signedIn = (await (await postJson(`${support.endpoint}/session`, {}, ADA)).json()) as { features?: Record<string, boolean> };
    assert.equal(signedIn.features?.threads, true);
    const anonymous = (await (await postJson(`${support.endpoint}/session`, {})).json()) as { features?: Record<string, boolean> };
    assert.equal(anonymous.features?.threads, undefined);
  });

  it('lists the visitor’s own threads, newest first, titled by their first question', async () => {
    const response = await get('/threads', ADA);
    assert.equal(response.status, 200);
    const body = (await response.json()) as ThreadListResponse;
    assert.equal(body.v, 1);
    assert.deepEqual(
      body.threads.map((t) => [t.thread_id, t.title]),
      [
        ['chat_ada_two', 'Can I get a refund?'],
        ['chat_ada_one', 'How do I reset my password?'],
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(body.threads[0]!.created_at)));
  });

  it('gives a thread’s transcript back to its owner', async () => {
    const response = await get('/threads/chat_ada_one', ADA);
    assert.equal(response.status, 200);
    const body = (await response.json()) as ThreadResponse;
    assert.equal(body.thread.thread_id, 'chat_ada_one');
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
    assert.equal(body.messages[0]!.text, 'How do I reset my password?');
    assert.match(body.messages[1]!.text, /password/i);
    assert.match(body.messages[1]!.run_id ?? '', /^run_/);
  });

  it('answers another visitor’s thread as absent (404), for reading and deleting', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await get('/threads/chat_ada_one', BOB, method);
      assert.deepEqual(await errorOf(response), { status: 404, code: 'not_found', message: 'No such conversation.' });
    }
    assert.equal((await get('/threads/chat_nobody', ADA)).status, 404);
    assert.equal(backend.history({ kind: 'user', id: 'ada' }, 'chat_ada_one').length, 4, 'nothing was deleted');
  });

  it('refuses anonymous visitors with 403 forbidden, minting no cookie', async () => {
    const cookieLess = await get('/threads');
    assert.equal(cookieLess.headers.get('set-cookie'), null);
    assert.deepEqual(await errorOf(cookieLess), { status: 403, code: 'forbidden', message: 'Past conversations are kept for signed-in visitors only.' });
    const cookie = await visitorCookie(support.endpoint);
    for (const [path, method] of [
      ['/threads', 'GET'],
      ['/threads/chat_ada_one', 'GET'],
      ['/threads/chat_ada_one', 'DELETE'],
    ] as const) {
      const response = await get(path, { cookie }, method);
      assert.equal((await errorOf(response)).code, 'forbidden', `${method} ${path}`);
    }
  });

  it('refuses other methods with 405', async () => {
    const response = await postJson(`${support.endpoint}/threads`, {}, ADA);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, OPTIONS');
    assert.equal((await errorOf(response)).code, 'method_not_allowed');
  });

  it('deletes the owner’s thread: off the list, its transcript gone from the backend', async () => {
    const response = await get('/threads/chat_ada_two', ADA, 'DELETE');
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    assert.equal((await get('/threads/chat_ada_two', ADA)).status, 404);
    const list = (await (await get('/threads', ADA)).json()) as ThreadListResponse;
    assert.deepEqual(
      list.threads.map((t) => t.thread_id),
      ['chat_ada_one'],
    );
    assert.equal(backend.history({ kind: 'user', id: 'ada' }, 'chat_ada_two').length, 0);
    assert.equal((await get('/threads/chat_ada_two', ADA, 'DELETE')).status, 404, 'a second delete finds nothing');
  });

  it('keeps no list for anonymous visitors’ threads', async () => {
    const cookie = await visitorCookie(support.endpoint);
    await ask('chat_anon', 'Hello', { cookie });
    const list = (await (await get('/threads', ADA)).json()) as ThreadListResponse;
    assert.ok(!list.threads.some((t) => t.thread_id === 'chat_anon'));
  });
});

describe('threads on a backend that keeps no transcripts', () => {
  it('has no such routes (404) and announces nothing', async () => {
    const support = await startSupport({ backend: scriptedBackend(), identify: async () => ({ user_id: 'ada' }) });
    try {
      const session = (await (await postJson(`${support.endpoint}/session`, {})).json()) as { features?: Record<string, boolean> };
      assert.equal(session.features?.threads, undefined);
      assert.deepEqual(await errorOf(await fetch(`${support.endpoint}/threads`)), {
        status: 404,
        code: 'not_found',
        message: 'This endpoint does not keep past conversations.',
      });
      assert.equal((await errorOf(await fetch(`${support.endpoint}/threads/chat_x`))).code, 'not_found');
    } finally {
      await support.close();
    }
  });
});
