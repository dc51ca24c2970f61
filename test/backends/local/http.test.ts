// The local backend behind the real core handler, over real HTTP on 127.0.0.1 — what
// `curl -N -X POST localhost:8787/api/support/runs` sees.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import type { RunEvent } from '../../../src/protocol/types.js';
import { makePng } from './fixtures/build-files.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const filesDir = mkdtempSync(join(tmpdir(), 'ic-local-http-'));
let server: ServeHandle;
let api: string;

before(async () => {
  const backend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 0, filesDir });
  server = await serve(createSupportHandler({ backend, basePath: '/api/support', rateLimit: false }), { port: 0 });
  api = `${server.url}/api/support`;
});
after(async () => {
  await server.close();
  rmSync(filesDir, { recursive: true, force: true });
});

/** A visitor: the anonymous cookie the core sets on `/session`, sent back on every request. */
async function newVisitor(): Promise<string> {
  const res = await fetch(`${api}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie');
  assert.ok(cookie, 'the core sets the anonymous visitor cookie');
  return cookie.split(';')[0]!;
}

function post(path: string, cookie: string, body: unknown): Promise<Response> {
  return fetch(`${api}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) });
}

/** Reads a whole SSE body into events (the writer emits one `event:` and one `data:` line per frame). */
async function readEvents(res: Response): Promise<RunEvent[]> {
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const text = await res.text();
  const events: RunEvent[] = [];
  for (const frame of text.split('\n\n')) {
    const name = /^event: (.+)$/m.exec(frame)?.[1];
    const data = /^data: (.+)$/m.exec(frame)?.[1];
    if (name && data) events.push({ type: name, ...JSON.parse(data) } as RunEvent);
  }
  return events;
}

const textOf = (events: RunEvent[]) => events.map((e) => (e.type === 'message.delta' ? e.delta : '')).join('');

describe('local backend over HTTP', () => {
  it('POST /runs with stream:true streams run.started, message.delta… run.completed', async () => {
    const cookie = await newVisitor();
    const events = await readEvents(await post('/runs', cookie, { thread_id: 'chat_http_1', input: [{ role: 'user', content: 'How do I reset my password?' }], stream: true }));
    assert.equal(events[0]!.type, 'run.started');
    assert.ok(events.filter((e) => e.type === 'message.delta').length > 20);
    assert.deepEqual(events.at(-1), { type: 'run.completed', v: 1, run_id: events[0]!.run_id, stop_reason: 'end_turn' });
    assert.match(textOf(events), /Source: Reset your password/);
  });

  it('POST /runs with stream:false answers one JSON result', async () => {
    const cookie = await newVisitor();
    const res = await post('/runs', cookie, { thread_id: 'chat_http_2', input: [{ role: 'user', content: 'where is my order A-1001' }], stream: false });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; output: { content: string }[]; tool_calls: { name: string; output: { carrier: string } }[] };
    assert.equal(body.status, 'completed');
    assert.equal(body.tool_calls[0]!.name, 'lookup_order');
    assert.equal(body.tool_calls[0]!.output.carrier, 'UPS');
    assert.match(body.output[0]!.content, /in transit/);
  });

  it('approval: owner approves once; a second decision and another visitor are refused', async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    const events = await readEvents(await post('/runs', alice, { thread_id: 'chat_http_3', input: [{ role: 'user', content: 'open a ticket' }], stream: true }));
    const approval = events.find((e) => e.type === 'approval.requested');
    assert.ok(approval && approval.type === 'approval.requested');
    assert.equal((events.at(-1) as { stop_reason: string }).stop_reason, 'awaiting_approval');
    const path = `/runs/${approval.run_id}/approvals/${approval.approval_id}`;

    const stolen = await post(path, bob, { decision: 'approve', stream: true });
    assert.equal(stolen.status, 404);
    assert.equal(((await stolen.json()) as { error: { code: string } }).error.code, 'not_found');

    const continued = await readEvents(await post(path, alice, { decision: 'approve', stream: true }));
    const ticket = continued.find((e) => e.type === 'tool_call.completed');
    assert.ok(ticket && ticket.type === 'tool_call.completed');
    assert.match(textOf(continued), new RegExp((ticket.output as { ticket_id: string }).ticket_id));

    // docs/protocol.md: another decision for the decided approval answers 409 conflict.
    const again = await post(path, alice, { decision: 'deny', stream: true });
    assert.equal(again.status, 409);
    const error = ((await again.json()) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'conflict');
    assert.match(error.message, /already approved/);
  });

  it("approval after cancel: the cancelled run's approval is refused with 404 and no ticket is opened", async () => {
    const alice = await newVisitor();
    const events = await readEvents(await post('/runs', alice, { thread_id: 'chat_http_6', input: [{ role: 'user', content: 'open a ticket' }], stream: true }));
    const approval = events.find((e) => e.type === 'approval.requested');
    assert.ok(approval && approval.type === 'approval.requested');
    const path = `/runs/${approval.run_id}/approvals/${approval.approval_id}`;

    assert.equal((await post(`/runs/${approval.run_id}/cancel`, alice, {})).status, 200);
    const approved = await post(path, alice, { decision: 'approve', stream: true });
    assert.equal(approved.status, 404);
    assert.equal(((await approved.json()) as { error: { code: string } }).error.code, 'not_found');
    // Dropped, not just refused once: a second try (either decision) is refused the same way.
    const denied = await post(path, alice, { decision: 'deny', stream: false });
    assert.equal(denied.status, 404);
    assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'not_found');
  });

  it("cancel: another visitor's cancel is 404, the owner's is accepted", async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    const events = await readEvents(await post('/runs', alice, { thread_id: 'chat_http_4', input: [{ role: 'user', content: 'refund' }], stream: true }));
    const runId = events[0]!.run_id;
    assert.equal((await post(`/runs/${runId}/cancel`, bob, {})).status, 404);
    assert.equal((await post(`/runs/${runId}/cancel`, alice, {})).status, 200);
  });

  it('attachments: stored, listed in run.started, served back to their owner only', async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    const png = makePng(320, 200);
    const image = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    const events = await readEvents(
      await post('/runs', alice, {
        thread_id: 'chat_http_5',
        input: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'see screenshot' },
              { type: 'image', image },
            ],
          },
        ],
        stream: true,
      }),
    );
    const started = events[0]!;
    assert.ok(started.type === 'run.started' && started.files?.length === 1);
    const fileId = started.files[0]!.file_id;
    assert.match(textOf(events), /320 × 200 px/);

    const mine = await fetch(`${api}/files/${fileId}`, { headers: { Cookie: alice } });
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get('content-type')?.split(';')[0], 'image/png');
    assert.deepEqual(new Uint8Array(await mine.arrayBuffer()), png);

    assert.equal((await fetch(`${api}/files/${fileId}`, { headers: { Cookie: bob } })).status, 404);
    assert.equal((await fetch(`${api}/files/${fileId}`)).status, 404, 'no cookie: a fresh visitor');
  });
});
