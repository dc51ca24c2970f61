// test:alone — some cases bound wall-clock time (e.g. < 250 ms), so scripts/test.mjs runs it without neighbours.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { ProtocolError } from '../../src/protocol/errors.js';
import { cancelRun, continueRun, openSession, startRun, type StreamOptions } from '../../src/protocol/run-client.js';
import type { RunEvent, RunRequest, RunResult } from '../../src/protocol/types.js';

// A real HTTP server on loopback: each test's endpoint is a path prefix naming its scenario.

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
const closed = new Map<string, Promise<void>>();
/** How the server saw a stream end: 'finished' (sent to its end) or 'cancelled by the client'. */
const streamEnds = new Map<string, Promise<string>>();
let server: Server;
let base = '';

function sse(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const r = { v: 1, run_id: 'run_1' };

const runResult: RunResult = {
  v: 1,
  run_id: 'run_j',
  thread_id: 'chat_j',
  status: 'awaiting_approval',
  stop_reason: 'awaiting_approval',
  output: [
    { role: 'assistant', content: 'Your order shipped. ' },
    { role: 'assistant', content: 'Shall I open a ticket?' },
  ],
  tool_calls: [
    { tool_call_id: 't1', name: 'lookup_order', arguments: { order: '1001' }, output: { status: 'shipped' } },
    { tool_call_id: 't2', name: 'open_ticket', arguments: { subject: 'Late' } },
  ],
  approvals: [{ approval_id: 'a1', tool_call_id: 't2', name: 'open_ticket', arguments: { subject: 'Late' }, reason: 'Opens a ticket' }],
  files: [{ file_id: 'file_1', filename: 'shot.png', media_type: 'image/png', size: 123 }],
};

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  const scenario = url.split('/')[1] ?? '';
  switch (scenario) {
    case 'sse': {
      sse(res);
      res.write(': hello\n\n');
      res.write(frame('run.started', { ...r, thread_id: 'chat_1', smith_id: 'smt_1' }));
      res.write(': ping\n\n');
      res.write(frame('message.delta', { ...r, delta: 'Hel' }));
      res.write(frame('reasoning.delta', { ...r, delta: 'ignored: unknown event' }));
      res.write(frame('message.delta', '{"v":1,"run_id":"run_1","delta":'));
      res.write(frame('message.delta', { v: 2, run_id: 'run_1', delta: 'from the future' }));
      res.write(frame('message.delta', { ...r, delta: 'lo', extra_field: true }));
      res.write(frame('tool_call.started', { ...r, tool_call_id: 't1', name: 'web_search', arguments: { q: 'x' } }));
      res.write(frame('tool_call.completed', { ...r, tool_call_id: 't1', name: 'web_search', output: 'found' }));
      res.write(frame('run.completed', { ...r, stop_reason: 'end_turn' }));
      res.end(frame('run.completed', { ...r, stop_reason: 'duplicate' }));
      return;
    }
    case 'chunks': {
      // Two runs of deltas in one chunk around a tool call, then more chunks, paced 5 ms apart.
      sse(res);
      res.write(
        frame('run.started', { ...r, thread_id: 'chat_1' }) +
          frame('message.delta', { ...r, delta: 'Hel' }) +
          frame('message.delta', { ...r, delta: 'lo' }) +
          frame('tool_call.started', { ...r, tool_call_id: 't1', name: 'web_search', arguments: {} }) +
          frame('message.delta', { ...r, delta: ', ' }) +
          frame('message.delta', { ...r, delta: 'wor' }),
      );
      let i = 0;
      let timer: ReturnType<typeof setInterval>;
      // The paced part starts well after the first chunk, so a busy machine cannot merge the two
      // in one read (the first chunk's grouping is what the coalescing test checks).
      setTimeout(() => {
        timer = setInterval(() => {
          if (i < 30) {
            res.write(frame('message.delta', { ...r, delta: String(i++ % 10) }));
            return;
          }
          clearInterval(timer);
          res.end(frame('run.completed', { ...r, stop_reason: 'end_turn' }));
        }, 5);
      }, 100);
      return;
    }
    case 'approvals': {
      sse(res);
      res.write(frame('tool_call.completed', { ...r, tool_call_id: 't2', name: 'open_ticket', output: { ticket: 'T-1' } }));
      res.end(frame('run.completed', { ...r, stop_reason: 'end_turn' }));
      return;
    }
    case 'json':
      json(res, 200, runResult);
      return;
    case 'json-failed':
      json(res, 200, { ...runResult, status: 'failed', stop_reason: null, tool_calls: [], approvals: [], output: [], error: { code: 'upstream_error', message: 'Model down' } });
      return;
    case 'json-garbage':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"v":1,');
      return;
    case 'json-not-run':
      json(res, 200, { hello: 'world' });
      return;
    case 'fails':
      sse(res);
      res.write(frame('run.started', { ...r, thread_id: 'chat_1' }));
      res.end(frame('run.failed', { ...r, error: { code: 'upstream_error', message: 'The model is overloaded.' } }));
      return;
    case 'err400':
      json(res, 400, { error: { code: 'invalid_request', message: '"thread_id" is required.' } });
      return;
    case 'err503':
      json(res, 503, { error: { code: 'unavailable', message: 'Down for maintenance.' } });
      return;
    case 'html502':
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
      return;
    case 'rate-seconds':
      json(res, 429, { error: { code: 'rate_limited', message: 'Too many messages.' } }, { 'retry-after': '7' });
      return;
    case 'rate-date':
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': new Date(Date.now() + 120_000).toUTCString() });
      res.end('slow down');
      return;
    case 'wrong-type':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login page</html>');
      return;
    case 'no-type':
      res.writeHead(200);
      res.end('event: run.started\n');
      return;
    case 'trailing':
    case 'lingers': {
      // run.completed, then the stream stays open a little (trailing) or indefinitely (lingers).
      const ended = new Promise<string>((resolve) => {
        res.on('finish', () => resolve('finished'));
        res.on('close', () => resolve(res.writableFinished ? 'finished' : 'cancelled by the client'));
      });
      ended.then(
        () => undefined,
        () => undefined,
      );
      streamEnds.set(url, ended);
      sse(res);
      res.write(frame('run.started', { ...r, thread_id: 'chat_1' }));
      res.write(frame('run.completed', { ...r, stop_reason: 'end_turn' }));
      if (scenario === 'trailing') setTimeout(() => res.end(': bye\n\n'), 300);
      return;
    }
    case 'hang': {
      // Streams a little, then goes quiet until the client leaves.
      closed.set(url, new Promise((resolve) => res.on('close', () => resolve())));
      sse(res);
      res.write(frame('run.started', { ...r, thread_id: 'chat_1' }));
      res.write(frame('message.delta', { ...r, delta: 'partial' }));
      return;
    }
    case 'drop':
      sse(res);
      res.write(frame('run.started', { ...r, thread_id: 'chat_1' }));
      res.write(frame('message.delta', { ...r, delta: 'partial' }));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    case 'ends-early':
      sse(res);
      res.write(frame('run.started', { ...r, thread_id: 'chat_1' }));
      res.end(frame('message.delta', { ...r, delta: 'partial' }));
      return;
    case 'cancel':
      json(res, 202, { v: 1, run_id: 'run_1', status: 'cancelled' });
      return;
    case 'cancel-fails':
      json(res, 500, { error: { code: 'internal_error', message: 'no' } });
      return;
    case 'session':
      json(res, 200, { v: 1, visitor: { kind: 'anonymous' }, limits: { max_file_bytes: 10_485_760, max_files: 4, accept: ['image/png', 'application/pdf'] }, extra: 1 });
      return;
    case 'session-bad':
      json(res, 200, { v: 1, visitor: { kind: 'robot' } });
      return;
    case 'session-401':
      json(res, 401, { error: { code: 'unauthenticated', message: 'Sign in again.' } });
      return;
    default:
      json(res, 404, { error: { code: 'not_found', message: 'No such scenario.' } });
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handle(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request: RunRequest = { thread_id: 'chat_1', input: [{ role: 'user', content: 'Where is my order?' }], stream: true };

async function collect(iterable: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<ProtocolError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

function lastSeen(prefix: string): Seen {
  const found = [...seen].reverse().find((s) => s.url.startsWith(prefix));
  assert.ok(found, `no request to ${prefix}`);
  return found;
}

describe('startRun over SSE', () => {
  it('POSTs the request and yields typed events, skipping unknown, broken and newer ones', async () => {
    const warnings: string[] = [];
    let activity = 0;
    const options: StreamOptions = { onWarning: (m) => warnings.push(m), onActivity: () => activity++ };
    const events = await collect(startRun(`${base}/sse/api`, request, options));
    assert.deepEqual(events, [
      { type: 'run.started', ...r, thread_id: 'chat_1', smith_id: 'smt_1' },
      { type: 'message.delta', ...r, delta: 'Hel' },
      { type: 'message.delta', ...r, delta: 'lo' },
      { type: 'tool_call.started', ...r, tool_call_id: 't1', name: 'web_search', arguments: { q: 'x' } },
      { type: 'tool_call.completed', ...r, tool_call_id: 't1', name: 'web_search', output: 'found' },
      // the duplicated run.completed after it never shows up
      { type: 'run.completed', ...r, stop_reason: 'end_turn' },
    ]);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /not valid JSON/);
    assert.match(warnings[1] ?? '', /v2/);
    assert.ok(activity >= 1);

    const req = lastSeen('/sse/');
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/sse/api/runs');
    assert.match(req.headers['accept'] ?? '', /text\/event-stream/);
    assert.match(req.headers['accept'] ?? '', /application\/json/);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), request);
  });

  it('accepts an endpoint with a trailing slash and sends extra headers', async () => {
    await collect(startRun(`${base}/sse/api/`, request, { headers: { 'x-csrf-token': 'abc' } }));
    const req = lastSeen('/sse/');
    assert.equal(req.url, '/sse/api/runs');
    assert.equal(req.headers['x-csrf-token'], 'abc');
  });

  it('yields run.failed as the last event', async () => {
    const events = await collect(startRun(`${base}/fails`, request));
    assert.deepEqual(events.at(-1), { type: 'run.failed', ...r, error: { code: 'upstream_error', message: 'The model is overloaded.' } });
  });

  it('uses the fetch it is given', async () => {
    const urls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    await collect(startRun(`${base}/sse`, request, { fetch: spy }));
    assert.deepEqual(urls, [`${base}/sse/runs`]);
  });
});

describe('startRun: reading a fast stream in fewer steps', () => {
  const text = (events: RunEvent[]) => events.map((e) => (e.type === 'message.delta' ? e.delta : `[${e.type}]`)).join('');
  const expected = '[run.started]Hello[tool_call.started], wor' + '0123456789'.repeat(3) + '[run.completed]';

  it('yields every delta on its own by default', async () => {
    const events = await collect(startRun(`${base}/chunks`, request));
    assert.equal(text(events), expected);
    assert.equal(events.filter((e) => e.type === 'message.delta').length, 34);
  });

  it("coalesceDeltas joins a chunk's consecutive deltas, never across other events", async () => {
    const events = await collect(startRun(`${base}/chunks`, request, { coalesceDeltas: true }));
    assert.equal(text(events), expected);
    const deltas = events.filter((e) => e.type === 'message.delta');
    assert.deepEqual(
      deltas.slice(0, 3).map((e) => e.delta),
      ['Hel', 'lo', ', wor'],
    );
    assert.ok(deltas.every((e) => e.run_id === 'run_1' && e.v === 1));
  });

  it('readInterval reads what arrived meanwhile at once, losing nothing', async () => {
    let chunks = 0;
    const events = await collect(startRun(`${base}/chunks`, request, { readInterval: 60, coalesceDeltas: true, onActivity: () => chunks++ }));
    assert.equal(text(events), expected);
    // 31 writes over ~150 ms, read at most every 60 ms.
    assert.ok(chunks <= 10, `read ${chunks} chunks`);
    assert.ok(events.filter((e) => e.type === 'message.delta').length <= 13);
  });
});

describe('startRun with a JSON reply (stream:false)', () => {
  it('turns a RunResult into the events a stream would have carried', async () => {
    const events = await collect(startRun(`${base}/json`, { ...request, stream: false }));
    const j = { v: 1, run_id: 'run_j' };
    assert.deepEqual(events, [
      { type: 'run.started', ...j, thread_id: 'chat_j', files: [{ file_id: 'file_1', filename: 'shot.png', media_type: 'image/png', size: 123 }] },
      { type: 'tool_call.started', ...j, tool_call_id: 't1', name: 'lookup_order', arguments: { order: '1001' } },
      { type: 'tool_call.completed', ...j, tool_call_id: 't1', name: 'lookup_order', output: { status: 'shipped' } },
      // t2 waits for approval: started, not completed
      { type: 'tool_call.started', ...j, tool_call_id: 't2', name: 'open_ticket', arguments: { subject: 'Late' } },
      { type: 'message.delta', ...j, delta: 'Your order shipped. Shall I open a ticket?' },
      { type: 'approval.requested', ...j, approval_id: 'a1', tool_call_id: 't2', name: 'open_ticket', arguments: { subject: 'Late' }, reason: 'Opens a ticket' },
      { type: 'run.completed', ...j, stop_reason: 'awaiting_approval' },
    ]);
    assert.equal(JSON.parse(lastSeen('/json/').body).stream, false);
  });

  it('turns a failed RunResult into run.failed', async () => {
    const events = await collect(startRun(`${base}/json-failed`, request));
    assert.deepEqual(events, [
      { type: 'run.started', v: 1, run_id: 'run_j', thread_id: 'chat_j', files: [{ file_id: 'file_1', filename: 'shot.png', media_type: 'image/png', size: 123 }] },
      { type: 'run.failed', v: 1, run_id: 'run_j', error: { code: 'upstream_error', message: 'Model down' } },
    ]);
  });

  it('refuses broken JSON and JSON that is not a run result', async () => {
    const a = await failure(collect(startRun(`${base}/json-garbage`, request)));
    assert.equal(a.code, 'invalid_response');
    assert.equal(a.status, 200);
    const b = await failure(collect(startRun(`${base}/json-not-run`, request)));
    assert.equal(b.code, 'invalid_response');
    assert.match(b.message, /not a v1 run result/);
  });
});

describe('startRun errors', () => {
  it('turns a 400 JSON error into a ProtocolError with its code, message and status', async () => {
    const error = await failure(collect(startRun(`${base}/err400`, request)));
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.status, 400);
    assert.equal(error.message, '"thread_id" is required.');
  });

  it('turns a 503 JSON error into unavailable', async () => {
    const error = await failure(collect(startRun(`${base}/err503`, request)));
    assert.equal(error.code, 'unavailable');
    assert.equal(error.status, 503);
    assert.equal(error.message, 'Down for maintenance.');
  });

  it('turns an HTML 502 page into upstream_error without dumping the page', async () => {
    const error = await failure(collect(startRun(`${base}/html502`, request)));
    assert.equal(error.code, 'upstream_error');
    assert.equal(error.status, 502);
    assert.doesNotMatch(error.message, /<|nginx/);
    assert.match(error.message, /502/);
  });

  it('reads a 429 Retry-After in seconds', async () => {
    const error = await failure(collect(startRun(`${base}/rate-seconds`, request)));
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(error.message, 'Too many messages.');
  });

  it('reads a 429 Retry-After as an HTTP-date', async () => {
    const error = await failure(collect(startRun(`${base}/rate-date`, request)));
    assert.equal(error.code, 'rate_limited');
    assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 100_000 && error.retryAfterMs <= 120_000, String(error.retryAfterMs));
  });

  it('refuses a 2xx reply with the wrong content type before parsing it', async () => {
    const error = await failure(collect(startRun(`${base}/wrong-type`, request)));
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /text\/html/);
    const none = await failure(collect(startRun(`${base}/no-type`, request)));
    assert.equal(none.code, 'invalid_response');
    assert.match(none.message, /no content type/);
  });

  it('reports an unreachable server as network_error', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const error = await failure(collect(startRun(`http://127.0.0.1:${port}/api`, request)));
    assert.equal(error.code, 'network_error');
  });

  it('reports a dropped connection mid-reply as interrupted, after the events that arrived', async () => {
    const events: RunEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of startRun(`${base}/drop`, request)) events.push(event);
      })(),
    );
    assert.equal(error.code, 'interrupted');
    assert.deepEqual(
      events.map((e) => e.type),
      ['run.started', 'message.delta'],
    );
  });

  it('reports a stream that ends without run.completed as interrupted', async () => {
    const events: RunEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of startRun(`${base}/ends-early`, request)) events.push(event);
      })(),
    );
    assert.equal(error.code, 'interrupted');
    assert.equal(events.length, 2);
  });
});

describe('startRun abort', () => {
  it('aborting mid-stream rejects with the abort reason and closes the connection', async () => {
    const controller = new AbortController();
    const events: RunEvent[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of startRun(`${base}/hang/a`, request, { signal: controller.signal })) {
          events.push(event);
          if (event.type === 'message.delta') controller.abort();
        }
      })(),
      (error: unknown) => error instanceof Error && error.name === 'AbortError',
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['run.started', 'message.delta'],
    );
    const serverSawClose = closed.get('/hang/a/runs');
    assert.ok(serverSawClose);
    await serverSawClose;
  });

  it('aborting before the reply rejects without a request error', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the visitor'));
    await assert.rejects(collect(startRun(`${base}/sse`, request, { signal: controller.signal })), /stopped by the visitor/);
  });

  it('stopping iteration early (break) closes the connection', async () => {
    for await (const event of startRun(`${base}/hang/b`, request)) {
      if (event.type === 'run.started') break;
    }
    const serverSawClose = closed.get('/hang/b/runs');
    assert.ok(serverSawClose);
    await serverSawClose;
  });
});

describe("startRun: the end of a finished run's stream", () => {
  it('ends iteration at run.completed, then reads the rest of the stream instead of cancelling it', async () => {
    const started = Date.now();
    const events = await collect(startRun(`${base}/trailing/a`, request));
    assert.deepEqual(
      events.map((e) => e.type),
      ['run.started', 'run.completed'],
    );
    assert.ok(Date.now() - started < 250, 'iteration ends with run.completed, not with the stream');
    assert.equal(await streamEnds.get('/trailing/a/runs'), 'finished');
  });

  it('also when the consumer stops iterating as soon as it has run.completed (as the chat store does)', async () => {
    for await (const event of startRun(`${base}/trailing/b`, request)) {
      if (event.type === 'run.completed') break;
    }
    assert.equal(await streamEnds.get('/trailing/b/runs'), 'finished');
  });

  it('unhooks from a signal the caller reuses for many runs, once each request is over', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 12; i++) await collect(startRun(`${base}/trailing/c${i}`, request, { signal: controller.signal }));
    await collect(startRun(`${base}/json`, request, { signal: controller.signal }));
    await assert.rejects(collect(startRun(`${base}/err400`, request, { signal: controller.signal })));
    await Promise.all(Array.from({ length: 12 }, (_, i) => streamEnds.get(`/trailing/c${i}/runs`)));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the drains' last reads settle
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('drops a stream that stays open after its run finished', async () => {
    const events = await collect(startRun(`${base}/lingers/a`, request));
    assert.deepEqual(
      events.map((e) => e.type),
      ['run.started', 'run.completed'],
    );
    const started = Date.now();
    assert.equal(await streamEnds.get('/lingers/a/runs'), 'cancelled by the client');
    assert.ok(Date.now() - started < 4000);
  });
});

describe('continueRun, cancelRun, openSession', () => {
  it('continueRun POSTs the decision and streams the continuation', async () => {
    const events = await collect(continueRun(`${base}/approvals/api`, 'run 1', 'a/1', { decision: 'approve' }));
    assert.deepEqual(
      events.map((e) => e.type),
      ['tool_call.completed', 'run.completed'],
    );
    const req = lastSeen('/approvals/');
    assert.equal(req.url, '/approvals/api/runs/run%201/approvals/a%2F1');
    assert.deepEqual(JSON.parse(req.body), { decision: 'approve', stream: true });
  });

  it('continueRun handles errors like startRun', async () => {
    const error = await failure(collect(continueRun(`${base}/rate-seconds`, 'r', 'a', { decision: 'deny', stream: false })));
    assert.equal(error.code, 'rate_limited');
    assert.deepEqual(JSON.parse(lastSeen('/rate-seconds/').body), { decision: 'deny', stream: false });
  });

  it('cancelRun POSTs /runs/{id}/cancel and reports whether it worked, never throwing', async () => {
    assert.equal(await cancelRun(`${base}/cancel/`, 'run_1'), true);
    assert.equal(lastSeen('/cancel/').url, '/cancel/runs/run_1/cancel');
    assert.equal(lastSeen('/cancel/').method, 'POST');
    assert.equal(await cancelRun(`${base}/cancel-fails`, 'run_1'), false);
    assert.equal(await cancelRun('http://127.0.0.1:1/api', 'run_1'), false);
  });

  it('openSession returns the visitor and limits', async () => {
    const session = await openSession(`${base}/session`);
    assert.deepEqual(session, {
      v: 1,
      visitor: { kind: 'anonymous' },
      limits: { max_file_bytes: 10_485_760, max_files: 4, accept: ['image/png', 'application/pdf'] },
    });
    assert.equal(lastSeen('/session/').url, '/session/session');
  });

  it('openSession throws on an error reply or a malformed session', async () => {
    const a = await failure(openSession(`${base}/session-401`));
    assert.equal(a.code, 'unauthenticated');
    assert.equal(a.status, 401);
    const b = await failure(openSession(`${base}/session-bad`));
    assert.equal(b.code, 'invalid_response');
    const c = await failure(openSession(`${base}/wrong-type`));
    assert.equal(c.code, 'invalid_response');
  });
});
