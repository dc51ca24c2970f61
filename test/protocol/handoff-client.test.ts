// `requestHandoff` against a real HTTP server: a hand-off reply is taken, anything else is an error
// (the widget then says the request failed rather than showing a broken reference); and the
// session decoder keeps `visitor.has_email` only when it is `true`.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ProtocolError, requestHandoff } from '../../src/protocol/index.js';
import { toSession } from '../../src/protocol/session-response.js';

const replies: Record<string, [number, string, string]> = {
  '/ok/handoff': [200, 'application/json', JSON.stringify({ v: 1, thread_id: 't1', handoff: { reference: 'T-1', email: 'ada@example.com', extra: 1 } })],
  '/noref/handoff': [200, 'application/json', JSON.stringify({ v: 1, handoff: { reference: '' } })],
  '/long/handoff': [200, 'application/json', JSON.stringify({ v: 1, handoff: { reference: 'x'.repeat(65) } })],
  '/html/handoff': [200, 'text/html', '<h1>Sign in</h1>'],
  '/refused/handoff': [400, 'application/json', JSON.stringify({ error: { code: 'invalid_request', message: 'email is required' } })],
};

let server: Server;
let base: string;
const bodies: unknown[] = [];
before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) as unknown });
      const [status, type, text] = replies[req.url ?? ''] ?? [404, 'text/plain', ''];
      res.writeHead(status, { 'content-type': type }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('requestHandoff', () => {
  it('posts the body as JSON and returns the reference and address only', async () => {
    const reply = await requestHandoff(`${base}/ok/`, { thread_id: 't1', email: 'ada@example.com', message: 'hi' });
    assert.deepEqual(reply, { v: 1, thread_id: 't1', handoff: { reference: 'T-1', email: 'ada@example.com' } });
    assert.deepEqual(bodies.at(-1), { method: 'POST', type: 'application/json', body: { thread_id: 't1', email: 'ada@example.com', message: 'hi' } });
  });

  for (const [path, what] of [
    ['/noref', 'an empty reference'],
    ['/long', 'a reference over 64 characters'],
    ['/html', 'an HTML page'],
  ] as const) {
    it(`rejects ${what} as invalid_response`, async () => {
      await assert.rejects(requestHandoff(`${base}${path}`, { thread_id: 't1' }), (err: unknown) => err instanceof ProtocolError && err.code === 'invalid_response');
    });
  }

  it('rejects a refusal with the backend’s code and status', async () => {
    await assert.rejects(
      requestHandoff(`${base}/refused`, { thread_id: 't1' }),
      (err: unknown) => err instanceof ProtocolError && err.code === 'invalid_request' && err.status === 400,
    );
  });

  it('rejects an unreachable server as network_error', async () => {
    await assert.rejects(requestHandoff('http://127.0.0.1:9/api', { thread_id: 't1' }), (err: unknown) => err instanceof ProtocolError && err.code === 'network_error');
  });
});

describe('session: visitor.has_email', () => {
  const session = (visitor: unknown) => toSession({ v: 1, visitor, limits: { max_file_bytes: 1, max_files: 1, accept: [] } }, '/session', 200);
  it('keeps true, drops anything else', () => {
    assert.deepEqual(session({ kind: 'user', has_email: true }).visitor, { kind: 'user', has_email: true });
    assert.deepEqual(session({ kind: 'user', has_email: 'yes' }).visitor, { kind: 'user' });
  });
});
