// The local backend's hand-off file: "Talk to a person" (POST /handoff) and the approved
// "open a ticket" both append a ticket with the conversation, behind the real core on a real server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import type { TicketLine } from '../../../src/backends/local/handoff-log.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import type { RunEvent } from '../../../src/protocol/types.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ic-local-handoff-'));
const handoffFile = join(dir, 'nested', 'handoffs.jsonl');
const servers: ServeHandle[] = [];

async function start(options: { handoffFile?: string; signedIn?: boolean }): Promise<string> {
  const backend = createLocalBackend({
    articlesDir: HELP_DIR,
    delayMs: 0,
    toolDelayMs: 0,
    filesDir: join(dir, 'files'),
    feedbackFile: false,
    ...(options.handoffFile ? { handoffFile: options.handoffFile } : {}),
  });
  const identify = options.signedIn ? () => ({ user_id: 'u_ada', email: 'ada@example.com' }) : undefined;
  const server = await serve(
    createSupportHandler({
      backend,
      basePath: '/api/support',
      rateLimit: false,
      cookie: { secret: 'local-handoff-test-secret-0123456789abcdef' },
      ...(identify ? { identify } : {}),
    }),
    { port: 0 },
  );
  servers.push(server);
  return `${server.url}/api/support`;
}

let api: string;
before(async () => {
  api = await start({ handoffFile });
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function newVisitor(endpoint = api): Promise<{ cookie: string; session: { features?: unknown; visitor: unknown } }> {
  const res = await fetch(`${endpoint}/session`, { method: 'POST' });
  return { cookie: res.headers.get('set-cookie')?.split(';')[0] ?? '', session: (await res.json()) as { features?: unknown; visitor: unknown } };
}

const post = (path: string, cookie: string, body: unknown, endpoint = api) =>
  fetch(`${endpoint}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) });

async function ask(cookie: string, threadId: string, text: string, endpoint = api): Promise<RunEvent[]> {
  const res = await post('/runs', cookie, { thread_id: threadId, input: [{ role: 'user', content: text }] }, endpoint);
  return events(await res.text());
}

function events(body: string): RunEvent[] {
  const out: RunEvent[] = [];
  for (const frame of body.split('\n\n')) {
    const name = /^event: (.+)$/m.exec(frame)?.[1];
    const data = /^data: (.+)$/m.exec(frame)?.[1];
    if (name && data) out.push({ type: name, ...JSON.parse(data) } as RunEvent);
  }
  return out;
}

const tickets = (): TicketLine[] =>
  readFileSync(handoffFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TicketLine);

describe('local backend: hand-off to a person', () => {
  it('announces the feature, and stores a ticket with the conversation and the address given', async () => {
    const { cookie, session } = await newVisitor();
    assert.deepEqual(session.features, { resume: true, handoff: true });
    await ask(cookie, 'th_person', 'How do I reset my password?');
    const response = await post('/handoff', cookie, { thread_id: 'th_person', email: 'ada@example.com', message: 'The reset email never arrives.' });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { handoff: { reference: string; email: string } };
    assert.match(body.handoff.reference, /^T-\d{6}$/);
    assert.equal(body.handoff.email, 'ada@example.com');
    const ticket = tickets().at(-1)!;
    assert.equal(ticket.reference, body.handoff.reference);
    assert.deepEqual([ticket.thread_id, ticket.email, ticket.message, ticket.requested_by], ['th_person', 'ada@example.com', 'The reset email never arrives.', 'visitor']);
    assert.equal(ticket.visitor.kind, 'anonymous');
    // The cookie is a credential: only its hash is written.
    assert.ok(!readFileSync(handoffFile, 'utf8').includes(cookie.split('=')[1]!));
    assert.deepEqual(
      ticket.transcript.map((m) => m.role),
      ['user', 'assistant'],
    );
    assert.equal(ticket.transcript[0]!.text, 'How do I reset my password?');
    assert.match(ticket.transcript[1]!.text, /password/i);
  });

  it('writes nothing for a refused hand-off', async () => {
    const { cookie } = await newVisitor();
    await ask(cookie, 'th_refused', 'hello');
    const before = tickets().length;
    assert.equal((await post('/handoff', cookie, { thread_id: 'th_refused', email: 'not-an-address' })).status, 400);
    assert.equal((await post('/handoff', cookie, { thread_id: 'th_other', email: 'ada@example.com' })).status, 404);
    assert.equal(tickets().length, before);
  });

  it('an approved "open a ticket" goes to the same file, its reference in the reply', async () => {
    const { cookie } = await newVisitor();
    const asked = await ask(cookie, 'th_ticket', 'please open a ticket about my refund');
    const approval = asked.find((e) => e.type === 'approval.requested');
    assert.ok(approval && approval.type === 'approval.requested');
    const done = events(await (await post(`/runs/${approval.run_id}/approvals/${approval.approval_id}`, cookie, { decision: 'approve' })).text());
    const completed = done.find((e) => e.type === 'tool_call.completed');
    assert.ok(completed && completed.type === 'tool_call.completed');
    const reference = (completed.output as { ticket_id: string }).ticket_id;
    assert.match(reference, /^T-\d{6}$/);
    const text = done.map((e) => (e.type === 'message.delta' ? e.delta : '')).join('');
    assert.match(text, new RegExp(`we have your request \\*\\*${reference}\\*\\*`));
    const ticket = tickets().at(-1)!;
    assert.deepEqual([ticket.reference, ticket.requested_by, ticket.thread_id], [reference, 'assistant', 'th_ticket']);
    assert.match(ticket.message!, /refund/);
    assert.equal(ticket.transcript[0]!.text, 'please open a ticket about my refund');
  });

  it('a signed-in visitor’s ticket carries the account’s address, also when the assistant proposed it', async () => {
    const endpoint = await start({ handoffFile, signedIn: true });
    const { session } = await newVisitor(endpoint);
    assert.deepEqual(session.visitor, { kind: 'user', has_email: true });
    const asked = await ask('', 'th_user', 'open a ticket', endpoint);
    const approval = asked.find((e) => e.type === 'approval.requested');
    assert.ok(approval && approval.type === 'approval.requested');
    const done = events(await (await post(`/runs/${approval.run_id}/approvals/${approval.approval_id}`, '', { decision: 'approve' }, endpoint)).text());
    assert.match(done.map((e) => (e.type === 'message.delta' ? e.delta : '')).join(''), /will email ada@example\.com/);
    assert.deepEqual([tickets().at(-1)!.email, tickets().at(-1)!.visitor], ['ada@example.com', { kind: 'user', id: 'u_ada' }]);
    const response = await post('/handoff', '', { thread_id: 'th_user' }, endpoint);
    assert.equal(((await response.json()) as { handoff: { email: string } }).handoff.email, 'ada@example.com');
  });

  it('offers no hand-off without a file, and the approved ticket stays the demo’s made-up one', async () => {
    const endpoint = await start({});
    const { cookie, session } = await newVisitor(endpoint);
    assert.deepEqual(session.features, { resume: true });
    const asked = await ask(cookie, 'th_none', 'open a ticket', endpoint);
    assert.equal((await post('/handoff', cookie, { thread_id: 'th_none', email: 'ada@example.com' }, endpoint)).status, 404);
    const approval = asked.find((e) => e.type === 'approval.requested');
    assert.ok(approval && approval.type === 'approval.requested');
    const done = events(await (await post(`/runs/${approval.run_id}/approvals/${approval.approval_id}`, cookie, { decision: 'approve' }, endpoint)).text());
    assert.match(done.map((e) => (e.type === 'message.delta' ? e.delta : '')).join(''), /TCK-\d{6}/);
    assert.ok(existsSync(handoffFile));
  });
});
