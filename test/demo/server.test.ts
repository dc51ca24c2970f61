// The demo server (`npm start`) as one Fetch handler: sign-in cookie → identify(), static files.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { createDemoHandler, identifyDemoUser } from '../../demo/server.js';
import { createLocalBackend } from '../../src/backends/local/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const handler = createDemoHandler({
  name: 'test',
  backend: createLocalBackend({ articles: [], delayMs: 0, filesDir: mkdtempSync(join(tmpdir(), 'ic-demo-test-')) }),
});
const base = 'http://localhost:8787';
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  handler(new Request(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) }));

describe('demo server', () => {
  it('signs a visitor in and out; the support endpoint sees the user', async () => {
    const login = await postJson('/demo/login', { user_id: 'user_dana', display_name: 'Dana' });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')!;
    assert.match(cookie, /^ic_demo_session=[\w-]{20,}; Path=\/; HttpOnly; SameSite=Lax/);
    const session = cookie.split(';')[0]!;
    assert.deepEqual(await identifyDemoUser(new Request(base, { headers: { Cookie: session } })), { user_id: 'user_dana', display_name: 'Dana' });

    const s = await postJson('/api/support/session', {}, { Cookie: session });
    assert.deepEqual(((await s.json()) as { visitor: unknown }).visitor, { kind: 'user', display_name: 'Dana' });

    const out = await postJson('/demo/logout', {}, { Cookie: session });
    assert.match(out.headers.get('set-cookie')!, /Max-Age=0/);
    assert.equal(await identifyDemoUser(new Request(base, { headers: { Cookie: session } })), null, 'the old session is gone');
  });

  it('refuses forged sessions, bad bodies, cross-origin sign-in and GET', async () => {
    assert.equal(await identifyDemoUser(new Request(base, { headers: { Cookie: 'ic_demo_session=forged' } })), null);
    assert.equal((await postJson('/demo/login', { user_id: '' })).status, 400);
    assert.equal((await postJson('/demo/login', { user_id: 'a b' })).status, 400);
    assert.equal((await postJson('/demo/login', { user_id: 'ok', display_name: 42 })).status, 400);
    assert.equal((await handler(new Request(base + '/demo/login', { method: 'POST', body: 'not json' }))).status, 400);
    assert.equal((await postJson('/demo/login', { user_id: 'ok' }, { Origin: 'http://evil.example' })).status, 403);
    assert.equal((await handler(new Request(base + '/demo/login'))).status, 405);
  });

  it('serves the page and help articles with their content types, and nothing outside demo/', async () => {
    const page = await handler(new Request(base + '/'));
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await page.text(), /<ic-support-chat[^>]*endpoint="\/api\/support"/);
    const md = await handler(new Request(base + '/help/refunds.md'));
    assert.equal(md.headers.get('content-type'), 'text/markdown; charset=utf-8');
    for (const path of ['/server.ts', '/%2e%2e/package.json', '/..%2fpackage.json', '/help/../../package.json', '/nope.html']) {
      assert.equal((await handler(new Request(base + path))).status, 404, path);
    }
    assert.equal((await handler(new Request(base + '/', { method: 'DELETE' }))).status, 405);
  });
});

describe('demo server response headers', () => {
  const common = (res: Response, what: string) => {
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
    assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', `${what}: Referrer-Policy`);
  };

  it('the page has a CSP that only other pages of this origin may frame, and that allows its own inline script by hash', async () => {
    const page = await handler(new Request(base + '/'));
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values]),
    );
    assert.deepEqual(directives.get('frame-ancestors'), ["'self'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    assert.deepEqual(directives.get('connect-src'), ["'self'"]);
    const scriptSrc = directives.get('script-src') ?? [];
    assert.ok(!scriptSrc.includes("'unsafe-inline'") && !scriptSrc.includes("'unsafe-eval'"), csp);
    const inline = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    assert.equal(inline.length, 1);
    assert.ok(scriptSrc.includes(`'sha256-${createHash('sha256').update(inline[0]!).digest('base64')}'`), 'the inline script is allowed by its hash');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler attributes (the CSP would block them)');
    common(page, 'page');
  });

  it('every other response the demo serves has nosniff and a Referrer-Policy too', async () => {
    const responses: [string, Response][] = [
      ['help article', await handler(new Request(base + '/help/refunds.md'))],
      ['404', await handler(new Request(base + '/nope.html'))],
      ['/demo/me', await handler(new Request(base + '/demo/me'))],
      ['/demo/login error', await postJson('/demo/login', { user_id: '' })],
      ['405', await handler(new Request(base + '/', { method: 'DELETE' }))],
      ['API session JSON', await postJson('/api/support/session', {})],
      ['API error', await postJson('/api/support/nope', {})],
      ['API event stream', await postJson('/api/support/runs', { thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: true })],
    ];
    for (const [what, res] of responses) {
      common(res, what);
      await res.body?.cancel();
    }
  });

  it('exposes drain() of its support endpoint: new runs then get 503 with Retry-After', async () => {
    const own = createDemoHandler({
      name: 'test',
      backend: createLocalBackend({ articles: [], delayMs: 0, filesDir: mkdtempSync(join(tmpdir(), 'ic-demo-test-')) }),
    });
    await own.drain(0);
    const res = await own(new Request(base + '/api/support/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    common(res, '503');
  });
});
