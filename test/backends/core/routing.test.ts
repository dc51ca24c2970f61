import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import type { RunResult } from '../../../src/protocol/types.js';
import { serve } from '../../../src/node/index.js';
import { cookiePair, errorOf, PNG, postJson, SECRET, scriptedBackend, startSupport, visitorCookie, type RunningSupport } from './support-test-kit.js';

const backend = scriptedBackend({
  async getFile(fileId, ctx) {
    // Ownership is the backend's call: only the visitor who "uploaded" f_mine may read it.
    if (fileId !== 'f_mine' || ctx.visitor.id !== owner) return null;
    return { file_id: fileId, filename: 'écran "1".png', media_type: 'image/png', size: PNG.byteLength, body: PNG };
  },
});
let owner = '';
let server: RunningSupport;

before(async () => {
  server = await startSupport({ backend });
});
after(() => server.close());

describe('routes', () => {
  it('POST /session answers the visitor kind and limits', async () => {
    const res = await fetch(`${server.endpoint}/session`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), {
      v: 1,
      visitor: { kind: 'anonymous' },
      limits: {
        max_file_bytes: 10 * 1024 * 1024,
        max_files: 5,
        accept: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'],
        max_text_chars: 16_000,
      },
      features: { resume: true },
    });
    assert.equal(backend.calls.sessions.length, 1);
  });

  it('POST /runs with stream:false answers one RunResult', async () => {
    const res = await postJson(`${server.endpoint}/runs`, { thread_id: 't1', input: [{ role: 'user', content: 'hi' }], stream: false });
    assert.equal(res.status, 200);
    const result = (await res.json()) as RunResult;
    assert.equal(result.status, 'completed');
    assert.equal(result.output[0]!.content, 'You said: hi');
  });

  it('POST /runs/{run_id}/approvals/{approval_id} streams the continuation', async () => {
    const res = await postJson(`${server.endpoint}/runs/run_9/approvals/apr%2F1`, { decision: 'deny' }, { cookie: await visitorCookie(server.endpoint) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
    assert.match(await res.text(), /Decision: deny/);
    assert.deepEqual(backend.calls.approvals.at(-1)!.input, { run_id: 'run_9', approval_id: 'apr/1', decision: 'deny', stream: true });
  });

  it('POST /runs/{run_id}/cancel calls the backend', async () => {
    const res = await fetch(`${server.endpoint}/runs/run_7/cancel`, { method: 'POST', headers: { cookie: await visitorCookie(server.endpoint) } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { v: 1, run_id: 'run_7', cancelled: true });
    assert.equal(backend.calls.cancels.at(-1)!.runId, 'run_7');
  });

  it('GET /files/{id} serves the owner the bytes, and 404 to anyone else', async () => {
    const session = await fetch(`${server.endpoint}/session`, { method: 'POST' });
    const cookie = cookiePair(session.headers.getSetCookie()[0]!);
    owner = cookie.split('=')[1]!.split('.')[0]!;

    const mine = await fetch(`${server.endpoint}/files/f_mine`, { headers: { cookie } });
    assert.equal(mine.status, 200);
    assert.deepEqual(new Uint8Array(await mine.arrayBuffer()), PNG);
    assert.equal(mine.headers.get('content-type'), 'image/png');
    assert.equal(mine.headers.get('x-content-type-options'), 'nosniff');
    // Never cached (a shared computer keeps nothing after logout), always a download, sandboxed
    // (a PDF opened from our origin would run its script with it).
    assert.equal(mine.headers.get('cache-control'), 'no-store');
    assert.equal(mine.headers.get('content-disposition'), `attachment; filename="_cran _1_.png"; filename*=UTF-8''%C3%A9cran%20%221%22.png`);
    assert.equal(mine.headers.get('content-security-policy'), "default-src 'none'; sandbox");

    const filesAsked = backend.calls.files.length;
    const stranger = await fetch(`${server.endpoint}/files/f_mine`, { headers: { cookie: await visitorCookie(server.endpoint) } });
    assert.deepEqual((await errorOf(stranger)).code, 'not_found');
    assert.equal(stranger.status, 404);
    const cookieless = await fetch(`${server.endpoint}/files/f_mine`);
    assert.equal(cookieless.status, 404);
    assert.equal(cookieless.headers.getSetCookie().length, 0, 'a cookie-less read mints no identity');
    assert.equal(backend.calls.files.length, filesAsked + 1, 'the cookie-less read never reached the backend');
    assert.equal((await fetch(`${server.endpoint}/files/f_other`, { headers: { cookie } })).status, 404);
  });

  it('serves non-image files as attachments with a locked-down CSP', async () => {
    const html = scriptedBackend({
      async getFile(id) {
        return { file_id: id, media_type: 'text/html', size: 20, body: new TextEncoder().encode('<script>alert(1)</script>') };
      },
    });
    const s = await startSupport({ backend: html });
    try {
      const res = await fetch(`${s.endpoint}/files/f1`, { headers: { cookie: await visitorCookie(s.endpoint) } });
      assert.match(res.headers.get('content-disposition')!, /^attachment; filename="f1"/);
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; sandbox");
    } finally {
      await s.close();
    }
  });

  it('404 when the backend lacks approvals, cancel or files', async () => {
    const minimal = await serve(createSupportHandler({ backend: { run: backend.run }, cookie: { secret: SECRET }, rateLimit: false }), { port: 0 });
    try {
      const a = await postJson(`${minimal.url}/runs/r/approvals/a`, { decision: 'approve' });
      assert.deepEqual([a.status, (await errorOf(a)).code], [404, 'not_found']);
      assert.equal((await fetch(`${minimal.url}/runs/r/cancel`, { method: 'POST' })).status, 404);
      assert.equal((await fetch(`${minimal.url}/files/f`)).status, 404);
      // session() is optional: /session still answers.
      assert.equal((await fetch(`${minimal.url}/session`, { method: 'POST' })).status, 200);
    } finally {
      await minimal.close();
    }
  });

  it('405 with an Allow header for a wrong method', async () => {
    for (const [method, path, allow] of [
      ['GET', '/session', 'POST, OPTIONS'],
      ['PUT', '/runs', 'POST, OPTIONS'],
      ['DELETE', '/runs/r/cancel', 'POST, OPTIONS'],
      ['POST', '/files/f', 'GET, HEAD, OPTIONS'],
    ] as const) {
      const res = await fetch(`${server.endpoint}${path}`, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.get('allow'), allow);
      assert.equal((await errorOf(res)).code, 'method_not_allowed');
    }
  });

  it('404 not_found for unknown paths, paths outside basePath and trailing junk', async () => {
    for (const path of ['/api/support/nope', '/api/support', '/other/session', '/api/support/session/extra', '/api/supportx/session', '/api/support/runs/a/b']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST' });
      assert.equal(res.status, 404, path);
      assert.equal((await errorOf(res)).code, 'not_found');
    }
  });

  it('without basePath, matches routes as the path suffix (mounted anywhere)', async () => {
    const anywhere = await serve(createSupportHandler({ backend, cookie: { secret: SECRET }, rateLimit: false }), { port: 0 });
    try {
      assert.equal((await fetch(`${anywhere.url}/deep/mount/session`, { method: 'POST' })).status, 200);
      assert.equal((await fetch(`${anywhere.url}/session`, { method: 'POST' })).status, 200);
      const file = await fetch(`${anywhere.url}/x/files/session`, { headers: { cookie: await visitorCookie(`${anywhere.url}/x`) } });
      assert.equal(file.status, 404, '/files/session is the file route, not /session');
      assert.equal(backend.calls.files.at(-1)!.fileId, 'session');
      assert.equal((await fetch(`${anywhere.url}/x/unknown`, { method: 'POST' })).status, 404);
    } finally {
      await anywhere.close();
    }
  });

  it('maps a SupportError thrown by the backend to its status, code and Retry-After', async () => {
    const { SupportError } = await import('../../../src/backends/core/index.js');
    const busy = scriptedBackend({
      // eslint-disable-next-line require-yield
      async *run() {
        throw new SupportError('unavailable', 'Down for maintenance.', { retryAfterSeconds: 30 });
      },
    });
    const s = await startSupport({ backend: busy, onError: () => {} });
    try {
      const res = await postJson(`${s.endpoint}/runs`, { thread_id: 't', input: [{ role: 'user', content: 'x' }] });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '30');
      assert.deepEqual(await res.json(), { error: { code: 'unavailable', message: 'Down for maintenance.' } });
    } finally {
      await s.close();
    }
  });

  it('hides the details of an unexpected backend error (500) and reports it to onError', async () => {
    const seen: unknown[] = [];
    const broken = scriptedBackend({
      // eslint-disable-next-line require-yield
      async *run() {
        throw new Error('db password is hunter2');
      },
    });
    const s = await startSupport({ backend: broken, onError: (e) => seen.push(e) });
    try {
      const res = await postJson(`${s.endpoint}/runs`, { thread_id: 't', input: [{ role: 'user', content: 'x' }] });
      assert.equal(res.status, 500);
      const body = await res.text();
      assert.doesNotMatch(body, /hunter2/);
      assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'internal_error');
      assert.equal(seen.length, 1);
    } finally {
      await s.close();
    }
  });
});
