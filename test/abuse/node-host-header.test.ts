// The Node adapter builds the handler's URL from Host (and, only with trustProxy, X-Forwarded-*):
// a header that is not hostname[:port] must not choose the path, the query or the authority.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serve, type ServeHandle } from '../../src/node/index.js';
import { startSupport, scriptedBackend, type RunningSupport } from '../backends/core/support-test-kit.js';
import { jsonBody, portOf, rawRequest } from './node-raw-http.js';

function get(host: string, extra = '', target = '/api/support/runs'): string {
  return `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`;
}

function post(host: string, target = '/api/support/other', extra = ''): string {
  return `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n${extra}Connection: close\r\n\r\n{}`;
}

describe('Host header (Node adapter)', () => {
  let support: RunningSupport;
  let port: number;
  before(async () => {
    support = await startSupport({ backend: scriptedBackend() });
    port = portOf(support.url);
  });
  after(() => support.close());

  it('refuses a Host that carries a path, so it cannot route a request to another endpoint', async () => {
    const backend = scriptedBackend();
    const s = await startSupport({ backend });
    try {
      const reply = await rawRequest(portOf(s.url), post(`127.0.0.1:${portOf(s.url)}/api/support/session?`));
      assert.equal(reply.status, 400, reply.text);
      assert.deepEqual(jsonBody(reply), { error: { code: 'invalid_request', message: 'The Host header must be hostname[:port].' } });
      assert.equal(backend.calls.sessions.length, 0, 'the forged path never reached /session');
    } finally {
      await s.close();
    }
  });

  for (const host of [
    '127.0.0.1:1/api/support/session?',
    'example.com/x',
    'example.com?x',
    'example.com#x',
    'user@example.com',
    'example.com\\x',
    'example.com:0',
    'example.com:65536',
    'example.com:80:80',
    'example.com:http',
    'exa mple.com',
    '-',
    '[::1',
    '[::1]x',
    '[fe80::1%25eth0]',
    '[not-ipv6]',
    '0x7f.1',
    '017.0.0.1',
    '2130706433',
    '256.1.1.1',
    `${'a'.repeat(64)}.com`,
  ]) {
    it(`refuses Host: ${host}`, async () => {
      const reply = await rawRequest(port, get(host));
      assert.equal(reply.status, 400, reply.text);
      assert.equal((jsonBody(reply) as { error: { code: string } }).error.code, 'invalid_request');
      assert.match(reply.text, /x-content-type-options: nosniff/i);
    });
  }

  it('accepts host names, IPv4 and bracketed IPv6, with or without a port', async () => {
    const echo = await serve((request) => new Response(request.url), { port: 0 });
    try {
      for (const host of [
        'localhost',
        'localhost:8787',
        'support.example.com',
        'example.com.',
        'my_service:8080',
        '127.0.0.1',
        '10.0.0.1:443',
        '[::1]',
        '[::1]:8787',
        '[::ffff:127.0.0.1]:80',
        'EXAMPLE.com',
      ]) {
        const reply = await rawRequest(portOf(echo.url), get(host, '', '/a/b?c=d'));
        assert.equal(reply.status, 200, `${host}: ${reply.text}`);
        const url = new URL(reply.body);
        assert.equal(url.pathname, '/a/b', host);
        assert.equal(url.search, '?c=d', host);
      }
    } finally {
      await echo.close();
    }
  });

  it('takes the path from the request line alone, also in absolute-form and with a leading //', async () => {
    const echo = await serve((request) => new Response(request.url), { port: 0 });
    try {
      const p = portOf(echo.url);
      const absolute = await rawRequest(p, get('app.example', '', 'http://other.example/api/support/session?x=1'));
      assert.equal(absolute.body, 'http://app.example/api/support/session?x=1');
      const slashes = await rawRequest(p, get('app.example', '', '//evil.example/x'));
      assert.equal(new URL(slashes.body).host, 'app.example');
      assert.equal(new URL(slashes.body).pathname, '//evil.example/x');
      const asterisk = await rawRequest(p, 'OPTIONS * HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n');
      assert.equal(asterisk.status, 400);
    } finally {
      await echo.close();
    }
  });

  describe('X-Forwarded-Host / X-Forwarded-Proto', () => {
    let plain: ServeHandle;
    let proxied: ServeHandle;
    before(async () => {
      plain = await serve((request) => new Response(request.url), { port: 0 });
      proxied = await serve((request) => new Response(request.url), { port: 0, trustProxy: true });
    });
    after(async () => {
      await plain.close();
      await proxied.close();
    });

    it('are ignored without trustProxy, whatever they hold', async () => {
      const reply = await rawRequest(portOf(plain.url), get('app.example', 'X-Forwarded-Host: evil.example/api/support/session?\r\nX-Forwarded-Proto: javascript\r\n', '/x'));
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body, 'http://app.example/x');
    });

    it('with trustProxy, a valid first value is used', async () => {
      const reply = await rawRequest(portOf(proxied.url), get('internal:8080', 'X-Forwarded-Host: support.example.com, internal\r\nX-Forwarded-Proto: HTTPS\r\n', '/x?y'));
      assert.equal(reply.body, 'https://support.example.com/x?y');
    });

    for (const [name, value] of [
      ['X-Forwarded-Host', 'evil.example/api/support/session?'],
      ['X-Forwarded-Host', 'a@b'],
      ['X-Forwarded-Host', 'example.com:99999'],
      ['X-Forwarded-Proto', 'javascript'],
      ['X-Forwarded-Proto', 'https://evil.example/'],
    ] as const) {
      it(`with trustProxy, refuses ${name}: ${value}`, async () => {
        const reply = await rawRequest(portOf(proxied.url), get('app.example', `${name}: ${value}\r\n`, '/x'));
        assert.equal(reply.status, 400, reply.text);
        assert.match((jsonBody(reply) as { error: { message: string } }).error.message, new RegExp(name));
      });
    }
  });
});
