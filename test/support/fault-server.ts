// A scripted protocol-v1 backend that misbehaves on purpose, for the widget's fault tests over real
// HTTP. The scenario and a per-test id are in the path:
//
//   POST /api/faults/<scenario>/<test-id>/session
//   POST /api/faults/<scenario>/<test-id>/runs
//   POST /api/faults/<scenario>/<test-id>/runs/<run_id>/cancel
//   POST /api/faults/<scenario>/<test-id>/runs/<run_id>/approvals/<approval_id>
//   GET  /api/faults/_stats/<test-id>          → what that test's widget sent (counts, cancels, decisions)
//
// so a test uses `endpoint="/api/faults/drop/<unique id>"`. Most faults hit the first `/runs` only,
// and later ones answer normally, so Retry can be shown to work.
import type { IncomingMessage, ServerResponse } from 'node:http';

interface TestStats {
  sessions: number;
  runs: number;
  /** The JSON bodies of every `/runs` POST, in order. */
  bodies: unknown[];
  cancels: string[];
  decisions: { run_id: string; approval_id: string; decision: unknown }[];
}

const stats = new Map<string, TestStats>();
/** Approvals already decided, so a second decision is refused like a real backend does. */
const decided = new Set<string>();

function statsFor(testId: string): TestStats {
  let entry = stats.get(testId);
  if (!entry) {
    entry = { sessions: 0, runs: 0, bodies: [], cancels: [], decisions: [] };
    stats.set(testId, entry);
  }
  return entry;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** An SSE writer that stops quietly once the client has gone. */
class Sse {
  closed = false;
  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    res.on('close', () => (this.closed = true));
  }
  event(name: string, data: Record<string, unknown>): void {
    this.raw(`event: ${name}\ndata: ${JSON.stringify({ v: 1, ...data })}\n\n`);
  }
  raw(text: string): void {
    if (!this.closed) this.res.write(text);
  }
  end(): void {
    if (!this.closed) this.res.end();
  }
  /** Cuts the connection mid-body, as a crashed proxy or a lost network would. */
  drop(): void {
    this.closed = true;
    this.res.socket?.destroy();
  }
}

let runCounter = 0;

async function normalReply(sse: Sse, runId: string, text = 'Hello from the fault server.'): Promise<void> {
  sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
  for (const word of text.split(/(?<= )/)) {
    sse.event('message.delta', { run_id: runId, delta: word });
    await sleep(5);
  }
  sse.event('run.completed', { run_id: runId, stop_reason: 'end_turn' });
  sse.end();
}

function httpDate(msFromNow: number): string {
  return new Date(Date.now() + msFromNow).toUTCString();
}

async function runs(scenario: string, testId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const entry = statsFor(testId);
  entry.runs++;
  entry.bodies.push(await readBody(req));
  const attempt = entry.runs;
  const runId = `run_fault_${++runCounter}`;

  // Refusals before any stream: first attempt only, then a normal reply.
  if (attempt === 1) {
    switch (scenario) {
      case 'error-json':
        return json(res, 503, { error: { code: 'unavailable', message: 'Down for <b>maintenance</b>.' } });
      case 'error-html':
        res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><script>window.__faultPwned = true</script><hr>nginx</body></html>');
        return;
      case 'rate-seconds':
        return json(res, 429, { error: { code: 'rate_limited', message: 'Slow down.' } }, { 'retry-after': '2' });
      case 'rate-date-soon':
        // HTTP dates have whole seconds: 3 s ahead is at least 2 s of waiting.
        return json(res, 429, { error: { code: 'rate_limited', message: 'Slow down.' } }, { 'retry-after': httpDate(3000) });
      case 'rate-date-later':
        return json(res, 429, { error: { code: 'rate_limited', message: 'Slow down.' } }, { 'retry-after': httpDate(2 * 60 * 60 * 1000) });
    }
  }

  const sse = new Sse(res);
  switch (scenario) {
    case 'drop':
      if (attempt > 1) return normalReply(sse, runId, 'The full answer, this time.');
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      sse.event('message.delta', { run_id: runId, delta: 'The first half ' });
      sse.event('message.delta', { run_id: runId, delta: 'of an answer' });
      await sleep(150); // let the partial reply reach the page before the cut
      return sse.drop();
    case 'idle':
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      sse.event('message.delta', { run_id: runId, delta: 'Thinking about it' });
      // …and then nothing, until the client gives up.
      await new Promise<void>((resolve) => res.on('close', resolve));
      return;
    case 'pings': {
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      sse.event('message.delta', { run_id: runId, delta: 'Still ' });
      for (let elapsed = 0; elapsed < 2000 && !sse.closed; elapsed += 100) {
        await sleep(100);
        sse.raw(': ping\n\n');
      }
      sse.event('message.delta', { run_id: runId, delta: 'here.' });
      sse.event('run.completed', { run_id: runId, stop_reason: 'end_turn' });
      return sse.end();
    }
    case 'malformed':
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      sse.event('message.delta', { run_id: runId, delta: 'Hello ' });
      sse.raw('event: message.delta\ndata: {"v":1,"run_id":"' + runId + '","delta":"BROKEN\n\n');
      sse.event('message.delta', { run_id: runId, delta: 'world' });
      sse.raw('event: message.delta\ndata: {not json at all}\n\n');
      sse.event('message.delta', { run_id: runId, delta: '!' });
      sse.event('run.completed', { run_id: runId, stop_reason: 'end_turn' });
      return sse.end();
    case 'unknown':
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread', region: 'eu', future: { nested: true } });
      sse.raw(`event: run.progress\ndata: {"v":1,"run_id":"${runId}","percent":10}\n\n`);
      sse.raw(`data: {"v":1,"run_id":"${runId}","delta":"unnamed event"}\n\n`);
      sse.event('message.delta', { run_id: runId, delta: 'Known ', sentiment: 'positive', tokens: [1, 2] });
      sse.raw(`event: message.delta\ndata: {"v":2,"run_id":"${runId}","delta":"FROM THE FUTURE"}\n\n`);
      sse.raw(`retry: 1000\nid: 7\nfoo: bar\nevent: message.delta\ndata: {"v":1,"run_id":"${runId}","delta":"fields only."}\n\n`);
      sse.event('run.completed', { run_id: runId, stop_reason: 'end_turn', usage: { input_tokens: 3 } });
      return sse.end();
    case 'duplicate':
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      sse.event('message.delta', { run_id: runId, delta: 'Exactly once.' });
      sse.event('run.completed', { run_id: runId, stop_reason: 'end_turn' });
      sse.event('message.delta', { run_id: runId, delta: ' AFTER THE END' });
      sse.event('run.completed', { run_id: runId, stop_reason: 'end_turn' });
      return sse.end();
    case 'failed':
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      sse.event('message.delta', { run_id: runId, delta: 'A partial ' });
      sse.event('message.delta', { run_id: runId, delta: 'answer' });
      sse.event('run.failed', { run_id: runId, error: { code: 'upstream_error', message: 'The model provider failed.' } });
      return sse.end();
    case 'slow':
    case 'slow-ok': {
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      const words = scenario === 'slow' ? 200 : 12;
      for (let i = 0; i < words && !sse.closed; i++) {
        sse.event('message.delta', { run_id: runId, delta: `word${i} ` });
        await sleep(scenario === 'slow' ? 100 : 60);
        if (entry.cancels.includes(runId)) break;
      }
      sse.event('run.completed', { run_id: runId, stop_reason: entry.cancels.includes(runId) ? 'cancelled' : 'end_turn' });
      return sse.end();
    }
    case 'tools':
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      sse.event('message.delta', { run_id: runId, delta: 'Let me check. ' });
      sse.event('tool_call.started', { run_id: runId, tool_call_id: 'call_1', name: 'web_search', arguments: { query: 'notably <b>export</b>' } });
      await sleep(300); // long enough for a test to see it running
      sse.event('tool_call.completed', {
        run_id: runId,
        tool_call_id: 'call_1',
        name: 'web_search',
        output: { results: [{ title: 'Export guide', url: 'https://example.com/export' }] },
      });
      sse.event('message.delta', { run_id: runId, delta: 'Found a guide. ' });
      sse.event('tool_call.started', { run_id: runId, tool_call_id: 'call_2', name: 'crm_sync', arguments: '{"account":42}' });
      sse.event('tool_call.completed', { run_id: runId, tool_call_id: 'call_2', name: 'crm_sync', is_error: true, output: '<img src=x onerror="window.__faultPwned=true">' });
      sse.event('message.delta', { run_id: runId, delta: 'The sync failed.' });
      sse.event('run.completed', { run_id: runId, stop_reason: 'end_turn' });
      return sse.end();
    case 'approval':
      sse.event('run.started', { run_id: runId, thread_id: 'fault-thread' });
      sse.event('message.delta', { run_id: runId, delta: 'I can open a ticket for you. ' });
      sse.event('approval.requested', {
        run_id: runId,
        approval_id: `apr_${runId}`,
        tool_call_id: `call_${runId}`,
        name: 'open_ticket',
        arguments: { subject: 'Refund for order A-1001', priority: 'high' },
        reason: 'A ticket sends this conversation to the support team.',
      });
      sse.event('run.completed', { run_id: runId, stop_reason: 'awaiting_approval' });
      return sse.end();
    default:
      return normalReply(sse, runId);
  }
}

async function approval(testId: string, runId: string, approvalId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = (await readBody(req)) as { decision?: unknown } | null;
  const decision = body?.decision;
  statsFor(testId).decisions.push({ run_id: runId, approval_id: approvalId, decision });
  if (decision !== 'approve' && decision !== 'deny') return json(res, 400, { error: { code: 'invalid_request', message: 'decision must be approve or deny' } });
  const key = `${runId}/${approvalId}`;
  if (decided.has(key)) return json(res, 400, { error: { code: 'invalid_request', message: 'This approval was already decided.' } });
  decided.add(key);
  const sse = new Sse(res);
  if (decision === 'deny') {
    sse.event('message.delta', { run_id: runId, delta: 'OK, I did not open a ticket.' });
  } else {
    sse.event('tool_call.started', { run_id: runId, tool_call_id: `call_${runId}`, name: 'open_ticket', arguments: { subject: 'Refund for order A-1001' } });
    await sleep(20);
    sse.event('tool_call.completed', { run_id: runId, tool_call_id: `call_${runId}`, name: 'open_ticket', output: { ticket_id: 'T-4242' } });
    sse.event('message.delta', { run_id: runId, delta: 'Done: ticket **T-4242** is open.' });
  }
  sse.event('run.completed', { run_id: runId, stop_reason: 'end_turn' });
  sse.end();
}

/** The Node listener mounted at `/api/faults` by test-server.ts. */
export async function faultListener(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname
    .replace(/^\/api\/faults\/?/, '')
    .split('/')
    .map(decodeURIComponent);
  try {
    if (path[0] === '_stats' && path[1]) return json(res, 200, statsFor(path[1]));
    const [scenario, testId, ...route] = path;
    if (!scenario || !testId || req.method !== 'POST') return json(res, 404, { error: { code: 'not_found', message: 'No such fault route.' } });
    if (route.length === 1 && route[0] === 'session') {
      await readBody(req);
      statsFor(testId).sessions++;
      return json(res, 200, {
        v: 1,
        visitor: { kind: 'anonymous' },
        limits: { max_file_bytes: 5 * 1024 * 1024, max_files: 4, accept: ['image/png', 'image/jpeg', 'application/pdf'] },
      });
    }
    if (route.length === 1 && route[0] === 'runs') return await runs(scenario, testId, req, res);
    if (route.length === 3 && route[0] === 'runs' && route[2] === 'cancel') {
      await readBody(req);
      statsFor(testId).cancels.push(route[1]!);
      return json(res, 202, { v: 1, run_id: route[1], status: 'cancelling' });
    }
    if (route.length === 4 && route[0] === 'runs' && route[2] === 'approvals') return await approval(testId, route[1]!, route[3]!, req, res);
    return json(res, 404, { error: { code: 'not_found', message: 'No such fault route.' } });
  } catch (error) {
    if (!res.headersSent) json(res, 500, { error: { code: 'internal_error', message: String(error) } });
    else res.destroy();
  }
}
