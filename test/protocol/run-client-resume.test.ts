// The client side of resumable runs (issue 15) against a real HTTP server on loopback: the last SSE
// id per run, replays skipped by id, GET /runs/{id}/events with Last-Event-ID, Idempotency-Key,
// and what POST /session says about resuming.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ProtocolError } from '../../src/protocol/errors.js';
import { openSession, resumeRun, startRun, type RunCursor } from '../../src/protocol/run-client.js';
import type { RunEvent, RunRequest } from '../../src/protocol/types.js';

const r = { v: 1, run_id: 'run_1' };
/** The run's log: frame N has `id: N`. */
const LOG: [string, unknown][] = [
  ['run.started', { ...r, thread_id: 'chat_1' }],
  ['message.delta', { ...r, delta: 'One ' }],
  ['message.delta', { ...r, delta: 'two ' }],
  ['message.delta', { ...r, delta: 'three.' }],
  ['run.completed', { ...r, stop_reason: 'end_turn' }],
];

function frames(after: number): string {
  return LOG.map(([event, data], i) => (i + 1 > after ? `id: ${i + 1}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n` : '')).join('');
}

const seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
let server: Server;
let base = '';

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  seen.push({ method: req.method ?? '', url, headers: req.headers });
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  req.resume();
  req.on('end', () => {
    const sse = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(body);
    };
    if (url === '/ok/runs') return sse(frames(0));
    // A replay from the start, as a backend answers a POST repeated with the same key.
    if (url === '/replay/runs') return sse(frames(0));
    if (url.startsWith('/ok/runs/run_1/events')) {
      const after = Number(req.headers['last-event-id'] ?? new URL(url, 'http://x').searchParams.get('after') ?? 0);
      return sse(frames(after));
    }
    if (url === '/gone/runs/run_1/events') return json(410, { error: { code: 'run_expired', message: 'The run log expired.' } });
    if (url === '/ended/runs/run_1/events') {
      res.writeHead(204);
      return res.end();
    }
    if (url === '/unknown/runs/run_1/events') return json(404, { error: { code: 'not_found', message: 'No such run.' } });
    if (url === '/s/full/session') {
      return json(200, {
        v: 1,
        visitor: { kind: 'anonymous' },
        limits: { max_file_bytes: 10, max_files: 1, accept: [], max_text_chars: 4000 },
        features: { resume: true, feedback: false, later: 'not a flag' },
        active_run: { run_id: 'run_9', thread_id: 'chat_9' },
      });
    }
    if (url === '/s/odd/session') {
      return json(200, {
        v: 1,
        visitor: { kind: 'anonymous' },
        limits: { max_file_bytes: 10, max_files: 1, accept: [], max_text_chars: -3 },
        features: 'yes',
        active_run: { run_id: 7 },
      });
    }
    json(404, { error: { code: 'not_found', message: url } });
  });
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request: RunRequest = { thread_id: 'chat_1', input: [{ role: 'user', content: 'Hi' }], stream: true };

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const text = (events: RunEvent[]) => events.map((e) => (e.type === 'message.delta' ? e.delta : '')).join('');

describe('the last event id of a run', () => {
  it('is recorded in the cursor as each event is handed on', async () => {
    const cursor: RunCursor = {};
    const ids: (string | undefined)[] = [];
    for await (const _event of startRun(`${base}/ok`, request, { cursor })) ids.push(cursor.lastEventId);
    assert.deepEqual(ids, ['1', '2', '3', '4', '5']);
  });

  it('with joined deltas, is the last joined one', async () => {
    const cursor: RunCursor = {};
    const events = await collect(startRun(`${base}/ok`, request, { cursor, coalesceDeltas: true }));
    assert.deepEqual(
      events.map((e) => e.type),
      ['run.started', 'message.delta', 'message.delta', 'run.completed'],
    );
    assert.equal(cursor.lastEventId, '5');
    assert.equal(text(events), 'One two three.');
  });

  it('skips what a replay repeats: nothing shown twice, nothing skipped', async () => {
    const cursor: RunCursor = { lastEventId: '2' };
    const events = await collect(startRun(`${base}/replay`, request, { cursor }));
    assert.deepEqual(
      events.map((e) => e.type),
      ['message.delta', 'message.delta', 'run.completed'],
    );
    assert.equal(text(events), 'two three.');
  });
});

describe('resumeRun', () => {
  it('GETs /runs/{id}/events with Last-Event-ID and yields what came after it', async () => {
    const cursor: RunCursor = { lastEventId: '3' };
    const events = await collect(resumeRun(`${base}/ok`, 'run_1', { cursor }));
    assert.equal(text(events), 'three.');
    const call = seen.findLast((s) => s.url.startsWith('/ok/runs/run_1/events'))!;
    assert.equal(call.method, 'GET');
    assert.equal(call.headers['last-event-id'], '3');
    assert.equal(call.headers['content-type'], undefined);
    assert.equal(cursor.lastEventId, '5');
  });

  it('without a position, replays the run from its start', async () => {
    const events = await collect(resumeRun(`${base}/ok`, 'run_1', { cursor: {} }));
    assert.equal(events[0]!.type, 'run.started');
    assert.equal(text(events), 'One two three.');
    assert.equal(seen.findLast((s) => s.url.startsWith('/ok/runs/run_1/events'))!.headers['last-event-id'], undefined);
  });

  it('reads 204 (nothing follows the position) as interrupted: nothing to show from there', async () => {
    await assert.rejects(collect(resumeRun(`${base}/ended`, 'run_1', { cursor: { lastEventId: '5' } })), (error: unknown) => {
      return error instanceof ProtocolError && error.code === 'interrupted' && error.status === 204;
    });
  });

  it('throws run_expired (410) and not_found (404)', async () => {
    await assert.rejects(collect(resumeRun(`${base}/gone`, 'run_1', { cursor: { lastEventId: '2' } })), (error: unknown) => {
      return error instanceof ProtocolError && error.code === 'run_expired' && error.status === 410;
    });
    await assert.rejects(collect(resumeRun(`${base}/unknown`, 'run_1', {})), (error: unknown) => {
      return error instanceof ProtocolError && error.code === 'not_found' && error.status === 404;
    });
  });
});

describe('Idempotency-Key', () => {
  it('goes on POST /runs when given, and only then', async () => {
    await collect(startRun(`${base}/ok`, request, { idempotencyKey: 'turn_abc' }));
    assert.equal(seen.findLast((s) => s.url === '/ok/runs')!.headers['idempotency-key'], 'turn_abc');
    await collect(startRun(`${base}/ok`, request));
    assert.equal(seen.findLast((s) => s.url === '/ok/runs')!.headers['idempotency-key'], undefined);
  });
});

describe('openSession: resuming and text limits', () => {
  it('reads features, active_run and max_text_chars', async () => {
    const session = await openSession(`${base}/s/full`);
    assert.deepEqual(session.features, { resume: true });
    assert.deepEqual(session.active_run, { run_id: 'run_9', thread_id: 'chat_9' });
    assert.equal(session.limits.max_text_chars, 4000);
  });

  it('ignores malformed ones (read as not supported)', async () => {
    const session = await openSession(`${base}/s/odd`);
    assert.equal(session.features, undefined);
    assert.equal(session.active_run, undefined);
    assert.equal(session.limits.max_text_chars, undefined);
  });
});
