import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { cookiePair, postJson, rawRequest, SECRET, scriptedBackend, startSupport, type RunningSupport } from './support-test-kit.js';
import { VisitorCookie } from '../../../src/backends/core/visitor-cookie.js';

const backend = scriptedBackend();
let server: RunningSupport;

before(async () => {
  server = await startSupport({
    backend,
    identify: (request) => {
      // A stand-in for the host app's own session check.
      const auth = request.headers.get('x-test-user');
      return auth ? { user_id: auth, display_name: 'Ada Lovelace', customer_id: 'cus_1' } : null;
    },
  });
});
after(() => server.close());

const session = (headers: Record<string, string> = {}) => fetch(`${server.endpoint}/session`, { method: 'POST', headers });
const lastVisitor = () => backend.calls.sessions.at(-1)!.visitor;

function sign(token: string, secret = SECRET): string {
  return `${token}.${createHmac('sha256', secret).update(token).digest('base64url')}`;
}

describe('anonymous visitor cookie', () => {
  it('is minted on first contact: 256-bit token, signed, HttpOnly, SameSite=Lax, Path=/, no Secure on localhost', async () => {
    const res = await session();
    const cookies = res.headers.getSetCookie();
    assert.equal(cookies.length, 1);
    const [pair, ...attrs] = cookies[0]!.split('; ');
    const [name, value] = pair!.split('=') as [string, string];
    assert.equal(name, 'ic_visitor');
    const [token, sig] = value.split('.') as [string, string];
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.equal(value, sign(token), 'HMAC-SHA256 of the token with the secret');
    assert.ok(sig);
    assert.ok(attrs.includes('HttpOnly'));
    assert.ok(attrs.includes('SameSite=Lax'));
    assert.ok(attrs.includes('Path=/'));
    assert.ok(attrs.some((a) => /^Max-Age=\d+$/.test(a)));
    assert.ok(!attrs.includes('Secure'));
    assert.deepEqual(lastVisitor(), { kind: 'anonymous', id: token });
  });

  it('mints a different token for every new visitor', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) tokens.add(cookiePair((await session()).headers.getSetCookie()[0]!));
    assert.equal(tokens.size, 20);
  });

  it('is Secure with the __Host- prefix on a non-local host', async () => {
    const res = await rawRequest(`${server.endpoint}/session`, { method: 'POST', headers: { host: 'support.example.com' } });
    assert.equal(res.status, 200);
    const cookie = (res.headers['set-cookie'] as string[])[0]!;
    assert.match(cookie, /^__Host-ic_visitor=/);
    assert.match(cookie, /; Secure(;|$)/);
    assert.match(cookie, /; Path=\/(;|$)/);
    assert.doesNotMatch(cookie, /Domain=/i);
  });

  it('over plain http to a non-local host, stays Secure and says once, in the log, why browsers will drop it', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const s = await startSupport({ backend: scriptedBackend() });
      try {
        for (let i = 0; i < 3; i++) {
          const res = await rawRequest(`${s.endpoint}/session`, { method: 'POST', headers: { host: 'intranet.example:8080' } });
          assert.match((res.headers['set-cookie'] as string[])[0]!, /; Secure(;|$)/);
        }
      } finally {
        await s.close();
      }
    } finally {
      console.warn = warn;
    }
    const mine = warnings.filter((w) => w.includes('plain http'));
    assert.equal(mine.length, 1, warnings.join('\n'));
    assert.match(mine[0]!, /intranet\.example:8080/);
    assert.match(mine[0]!, /trustProxy/);
  });

  it('is Secure over https even on localhost (only plain-http localhost drops it)', () => {
    const c = new VisitorCookie({ secret: SECRET });
    assert.equal(c.isSecure(new URL('https://localhost/api')), true);
    assert.equal(c.isSecure(new URL('http://localhost/api')), false);
  });

  it('is not Secure on 127.0.0.1, [::1] and *.localhost', async () => {
    for (const host of ['127.0.0.1:1234', '[::1]:80', 'app.localhost']) {
      const res = await rawRequest(`${server.endpoint}/session`, { method: 'POST', headers: { host } });
      const cookie = (res.headers['set-cookie'] as string[])[0]!;
      assert.doesNotMatch(cookie, /Secure/, host);
    }
  });

  it('keeps a returning visitor on the same identity, without setting the cookie again', async () => {
    const first = await session();
    const cookie = cookiePair(first.headers.getSetCookie()[0]!);
    const id = lastVisitor().id;
    const again = await session({ cookie: `other=1; ${cookie}; more=2` });
    assert.deepEqual(again.headers.getSetCookie(), []);
    assert.equal(lastVisitor().id, id);
    await postJson(`${server.endpoint}/runs`, { thread_id: 't', input: [{ role: 'user', content: 'x' }], stream: false }, { cookie });
    assert.equal(backend.calls.runs.at(-1)!.ctx.visitor.id, id, 'the same identity on /runs');
  });

  it('checks a cookie signature once per instance (minted or verified), and still refuses a tampered copy', async () => {
    const subtle = globalThis.crypto.subtle;
    let verifies = 0;
    const verify = subtle.verify.bind(subtle);
    Object.defineProperty(subtle, 'verify', {
      configurable: true,
      value: (...args: Parameters<typeof verify>) => (verifies++, verify(...args)),
    });
    try {
      const cookie = cookiePair((await session()).headers.getSetCookie()[0]!);
      const id = lastVisitor().id;
      for (let i = 0; i < 3; i++) {
        const again = await session({ cookie });
        assert.deepEqual(again.headers.getSetCookie(), []);
        assert.equal(lastVisitor().id, id);
      }
      // Minted here: known without an HMAC.
      assert.equal(verifies, 0);
      // The signature's first character (its last one carries two padding bits a decoder may ignore:
      // 'A' and 'B' there can decode to the same bytes).
      const tampered = await session({ cookie: cookie.replace(/\.(.)/, (_, c: string) => `.${c === 'A' ? 'Q' : 'A'}`) });
      assert.equal(tampered.headers.getSetCookie().length, 1, 'a fresh identity');
      assert.notEqual(lastVisitor().id, id);
      assert.equal(verifies, 1);
      // A cookie signed elsewhere with the same secret (another instance): checked once, then known.
      const token = 'B'.repeat(43);
      for (let i = 0; i < 2; i++) {
        await session({ cookie: `ic_visitor=${sign(token)}` });
        assert.equal(lastVisitor().id, token);
      }
      assert.equal(verifies, 2);
    } finally {
      delete (subtle as { verify?: unknown }).verify;
    }
  });

  it('gives a forged, malformed or foreign-signed cookie a fresh identity, never the claimed one', async () => {
    const victim = cookiePair((await session()).headers.getSetCookie()[0]!);
    const victimToken = victim.split('=')[1]!.split('.')[0]!;
    const forged = [
      `ic_visitor=${victimToken}`, // no signature
      `ic_visitor=${victimToken}.`, // empty signature
      `ic_visitor=${victimToken}.AAAA`, // short signature
      `ic_visitor=${sign(victimToken, 'some-other-secret-some-other-secret')}`, // wrong key
      `ic_visitor=${victimToken}.${sign(victimToken).split('.')[1]!.slice(0, -2)}xx`, // tampered signature
      `ic_visitor=${sign('short')}`, // validly signed but not a 256-bit token
      `ic_visitor=${'A'.repeat(43)}.${'!'.repeat(43)}`,
      'ic_visitor=',
      'ic_visitor',
      `__Host-ic_visitor=${sign(victimToken).replace(/.$/, 'A')}`,
    ];
    for (const cookie of forged) {
      const res = await session({ cookie });
      const minted = res.headers.getSetCookie();
      assert.equal(minted.length, 1, `a new cookie is minted for ${cookie}`);
      const id = lastVisitor().id;
      assert.notEqual(id, victimToken, cookie);
      assert.notEqual(id, 'short');
      assert.equal(minted[0]!.split('=')[1]!.split('.')[0], id);
    }
  });

  it('verifies with a previous secret after rotation, and signs new cookies with the first', async () => {
    const old = await startSupport({ backend, cookie: { secret: 'old-secret-old-secret-old-secret!!' } });
    const rotated = await startSupport({ backend, cookie: { secret: ['new-secret-new-secret-new-secret!!', 'old-secret-old-secret-old-secret!!'] } });
    try {
      const cookie = cookiePair((await fetch(`${old.endpoint}/session`, { method: 'POST' })).headers.getSetCookie()[0]!);
      const id = lastVisitor().id;
      const res = await fetch(`${rotated.endpoint}/session`, { method: 'POST', headers: { cookie } });
      assert.deepEqual(res.headers.getSetCookie(), []);
      assert.equal(lastVisitor().id, id);
      const fresh = (await fetch(`${rotated.endpoint}/session`, { method: 'POST' })).headers.getSetCookie()[0]!;
      const token = cookiePair(fresh).split('=')[1]!.split('.')[0]!;
      assert.equal(cookiePair(fresh).split('=')[1], sign(token, 'new-secret-new-secret-new-secret!!'));
    } finally {
      await old.close();
      await rotated.close();
    }
  });
});

describe('identify() for signed-in users', () => {
  it('wins over the cookie: a user visitor, no cookie minted, display name in /session', async () => {
    const anon = cookiePair((await session()).headers.getSetCookie()[0]!);
    const res = await session({ 'x-test-user': 'user_123', cookie: anon });
    assert.deepEqual(res.headers.getSetCookie(), []);
    assert.deepEqual(await res.json().then((b) => (b as { visitor: unknown }).visitor), { kind: 'user', display_name: 'Ada Lovelace' });
    assert.deepEqual(lastVisitor(), { kind: 'user', id: 'user_123', display_name: 'Ada Lovelace', customer_id: 'cus_1' });
  });

  it('does not mint a cookie for a signed-in user without one', async () => {
    const res = await session({ 'x-test-user': 'user_456' });
    assert.deepEqual(res.headers.getSetCookie(), []);
    assert.equal(lastVisitor().kind, 'user');
  });

  it('prefers the display name the backend returns from session()', async () => {
    const named = scriptedBackend({ session: async () => ({ display_name: 'From backend' }) });
    const s = await startSupport({ backend: named });
    try {
      const body = (await (await fetch(`${s.endpoint}/session`, { method: 'POST' })).json()) as { visitor: unknown };
      assert.deepEqual(body.visitor, { kind: 'anonymous', display_name: 'From backend' });
    } finally {
      await s.close();
    }
  });

  it('answers 500 (not an anonymous fallback) when identify() throws', async () => {
    const s = await startSupport({
      backend,
      identify: () => {
        throw new Error('session store down');
      },
      onError: () => {},
    });
    try {
      const res = await fetch(`${s.endpoint}/session`, { method: 'POST' });
      assert.equal(res.status, 500);
      assert.deepEqual(res.headers.getSetCookie(), []);
    } finally {
      await s.close();
    }
  });
});
