/**
 * The protocol v1 conformance checks, each a name and an async function that throws a
 * `ConformanceError` saying what is wrong, or answers `{ skipped }` when the endpoint does not
 * offer what it checks (approvals, stored files, a run slow enough to stop).
 */
import { isRecord } from '../internal/helpers.js';
import { ConformanceError, ConformanceVisitor, expect, expectError, type SeenEvent } from './conformance-client.js';

export interface ConformanceOptions {
  /** A message the backend answers with an ordinary, complete reply. Default `"Hello, can you help me?"`. */
  prompt?: string;
  /**
   * A message after which the backend asks the visitor to approve a tool call (e.g. the local
   * backend's `"Please open a ticket"`). Without it, the approval flow is skipped.
   */
  approvalPrompt?: string;
  /**
   * A message the backend answers slowly enough to be stopped (a second or more). Without it, the
   * owner's cancel is skipped (another visitor's cancel is always checked).
   */
  slowPrompt?: string;
  /** How long one request or stream may take, in ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * The headers that sign a request in as the account `userId` in your app (a test session
   * cookie, a bearer token, a header your `identify` reads). Without it, the past-conversations
   * checks (signed-in visitors only) are skipped.
   */
  signIn?: (userId: string) => Record<string, string>;
}

/** Skipped, and why: the endpoint does not offer what the check is about. */
export interface Skipped {
  skipped: string;
}

export interface ConformanceCheck {
  /** What the check proves, e.g. `runs (stream): run_id on every event`. */
  name: string;
  run(): Promise<void | Skipped>;
}

/** Where the checks send their requests: a fresh visitor (own cookie jar) per call, signed in as `userId` when given. */
export interface ConformanceEnvironment {
  visitor(userId?: string): ConformanceVisitor;
}

const TERMINAL = new Set(['run.completed', 'run.failed']);
/** A 1×1 PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

export const describe = (e: SeenEvent, i: number) => `event ${i + 1} (${e.event})`;

/**
 * The rules every run's stream keeps: `v:1` and one `run_id` on every event, `run.started` first
 * (on a new run), exactly one terminal event and nothing after it. Returns the run id and the end.
 */
export function checkRunEvents(events: SeenEvent[], what: string, expected: { started: boolean; threadId?: string; runId?: string }): { runId: string; terminal: SeenEvent } {
  expect(events.length > 0, `${what}: the stream ended without an event.`);
  events.forEach((e, i) => {
    expect(e.data['v'] === 1, `${what}: ${describe(e, i)} has "v": ${JSON.stringify(e.data['v'])}, not 1.`);
    expect(typeof e.data['run_id'] === 'string' && e.data['run_id'] !== '', `${what}: ${describe(e, i)} has no run_id.`);
  });
  const runId = expected.runId ?? (events[0]!.data['run_id'] as string);
  events.forEach((e, i) => expect(e.data['run_id'] === runId, `${what}: ${describe(e, i)} has run_id ${String(e.data['run_id'])}, not ${runId}.`));
  if (expected.started) {
    expect(events[0]!.event === 'run.started', `${what}: the first event is ${events[0]!.event}, not run.started.`);
    if (expected.threadId !== undefined) {
      const thread = events[0]!.data['thread_id'];
      expect(thread === expected.threadId, `${what}: run.started has thread_id ${JSON.stringify(thread)}, not the turn's "${expected.threadId}".`);
    }
  }
  const terminals = events.filter((e) => TERMINAL.has(e.event));
  expect(terminals.length === 1, `${what}: ${terminals.length} terminal events (run.completed / run.failed); exactly one is required.`);
  const terminal = terminals[0]!;
  expect(events[events.length - 1] === terminal, `${what}: events follow ${terminal.event}; it must be the last.`);
  if (terminal.event === 'run.completed') {
    expect(typeof terminal.data['stop_reason'] === 'string', `${what}: run.completed has no stop_reason.`);
  } else {
    const error = terminal.data['error'];
    expect(isRecord(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string', `${what}: run.failed has no error {code, message}.`);
  }
  events.forEach((e, i) => {
    if (e.event === 'message.delta') expect(typeof e.data['delta'] === 'string', `${what}: ${describe(e, i)} has no string delta.`);
  });
  return { runId, terminal };
}

export function expectCompleted(terminal: SeenEvent, what: string, stopReason?: string): void {
  if (terminal.event === 'run.failed') {
    const error = terminal.data['error'] as { code: string; message: string };
    throw new ConformanceError(`${what}: the run failed (${error.code}: ${error.message}).`);
  }
  const reason = terminal.data['stop_reason'];
  if (stopReason !== undefined) expect(reason === stopReason, `${what}: run.completed has stop_reason ${JSON.stringify(reason)}, not "${stopReason}".`);
}

/** A run the visitor starts and reads to its end, checked. */
export async function completedRun(visitor: ConformanceVisitor, prompt: string, threadId = 'conformance'): Promise<{ runId: string; events: SeenEvent[] }> {
  const events = await visitor.run(prompt, { thread_id: threadId });
  const { runId, terminal } = checkRunEvents(events, 'POST /runs', { started: true, threadId });
  expectCompleted(terminal, 'POST /runs');
  return { runId, events };
}

/** Every protocol v1 check, in a sensible order (cheap shape checks first). */
export function conformanceChecks(env: ConformanceEnvironment, options: ConformanceOptions = {}): ConformanceCheck[] {
  const prompt = options.prompt ?? 'Hello, can you help me?';
  const check = (name: string, run: () => Promise<void | Skipped>): ConformanceCheck => ({ name, run });

  return [
    check('session: POST /session answers {v:1, visitor, limits}', async () => {
      const reply = await env.visitor().json('/session');
      expect(reply.status === 200, `POST /session answered ${reply.status}, not 200: ${JSON.stringify(reply.body)}`);
      const body = reply.body;
      expect(isRecord(body) && body['v'] === 1, `POST /session: "v" must be 1, got ${JSON.stringify(isRecord(body) ? body['v'] : body)}.`);
      const visitor = body['visitor'];
      expect(isRecord(visitor) && (visitor['kind'] === 'user' || visitor['kind'] === 'anonymous'), 'POST /session: visitor.kind must be "user" or "anonymous".');
      if (visitor['display_name'] !== undefined) expect(typeof visitor['display_name'] === 'string', 'POST /session: visitor.display_name must be a string.');
      const limits = body['limits'];
      expect(isRecord(limits), 'POST /session: limits is missing.');
      expect(Number.isInteger(limits['max_file_bytes']) && (limits['max_file_bytes'] as number) >= 0, 'POST /session: limits.max_file_bytes must be a whole number ≥ 0.');
      expect(Number.isInteger(limits['max_files']) && (limits['max_files'] as number) >= 0, 'POST /session: limits.max_files must be a whole number ≥ 0.');
      expect(
        Array.isArray(limits['accept']) && limits['accept'].every((t) => typeof t === 'string' && /^[\w.+-]+\/[\w.+*-]+$/.test(t)),
        'POST /session: limits.accept must be a list of MIME types.',
      );
      if (limits['max_text_chars'] !== undefined)
        expect(Number.isInteger(limits['max_text_chars']) && (limits['max_text_chars'] as number) > 0, 'POST /session: limits.max_text_chars must be a whole number > 0.');
    }),

    check('session: unknown fields in the body are ignored', async () => {
      const reply = await env.visitor().json('/session', { from_a_future_client: { x: 1 } });
      expect(reply.status === 200, `POST /session with an unknown field answered ${reply.status}, not 200.`);
    }),

    check('runs (stream): text/event-stream of v:1 events, one run_id, run.started first, exactly one terminal event last', async () => {
      const visitor = env.visitor();
      await visitor.json('/session');
      const events = await visitor.run(prompt, { thread_id: 'conformance_stream' });
      const { terminal } = checkRunEvents(events, 'POST /runs', { started: true, threadId: 'conformance_stream' });
      expectCompleted(terminal, 'POST /runs');
    }),

    check('runs (JSON): stream:false answers one {v:1, run_id, thread_id, status, output, …}', async () => {
      const visitor = env.visitor();
      const reply = await visitor.json('/runs', { thread_id: 'conformance_json', input: [{ role: 'user', content: prompt }], stream: false });
      expect(reply.status === 200, `POST /runs stream:false answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      const body = reply.body;
      expect(isRecord(body) && body['v'] === 1, 'stream:false: "v" must be 1.');
      expect(typeof body['run_id'] === 'string' && body['run_id'] !== '', 'stream:false: run_id is missing.');
      expect(body['thread_id'] === 'conformance_json', `stream:false: thread_id is ${JSON.stringify(body['thread_id'])}, not the turn's.`);
      expect(typeof body['status'] === 'string', 'stream:false: status is missing.');
      expect(
        Array.isArray(body['output']) && body['output'].every((m) => isRecord(m) && m['role'] === 'assistant' && typeof m['content'] === 'string'),
        'stream:false: output must be a list of {role:"assistant", content}.',
      );
      expect(Array.isArray(body['tool_calls']) && Array.isArray(body['approvals']), 'stream:false: tool_calls and approvals must be lists.');
    }),

    check('runs: unknown fields (body, message, part) are ignored', async () => {
      const events = await env.visitor().run([{ type: 'text', text: prompt, emphasis: 'strong' }], {
        thread_id: 'conformance_unknown',
        input: [{ role: 'user', content: [{ type: 'text', text: prompt, emphasis: 'strong' }], sent_at: '2030-01-01T00:00:00Z' }],
        client_hint: { feature: 'from the future' },
      });
      const { terminal } = checkRunEvents(events, 'POST /runs with unknown fields', { started: true, threadId: 'conformance_unknown' });
      expectCompleted(terminal, 'POST /runs with unknown fields');
    }),

    check('runs: bad bodies are 400 invalid_request', async () => {
      const visitor = env.visitor();
      const bad: [string, unknown][] = [
        ['a body that is not JSON', '{"thread_id": '],
        ['a JSON array', '[]'],
        ['no input', { thread_id: 't', stream: true }],
        ['an empty input', { thread_id: 't', input: [], stream: true }],
        ['a message with role "assistant"', { thread_id: 't', input: [{ role: 'assistant', content: 'hi' }], stream: true }],
        ['empty content', { thread_id: 't', input: [{ role: 'user', content: '' }], stream: true }],
        ['a part of unknown type', { thread_id: 't', input: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }], stream: true }],
        ['a thread_id that is not a string', { thread_id: 42, input: [{ role: 'user', content: 'hi' }], stream: true }],
        ['stream that is not a boolean', { thread_id: 't', input: [{ role: 'user', content: 'hi' }], stream: 'yes' }],
      ];
      for (const [what, body] of bad) expectError(await visitor.reply('/runs', body), 400, 'invalid_request', `POST /runs with ${what}`);
    }),

    check('attachments: a type outside limits.accept is 415, too many files 413', async () => {
      const visitor = env.visitor();
      const session = (await visitor.json('/session')).body as { limits: { max_files: number; accept: string[] } };
      const exe = { type: 'file', filename: 'setup.exe', data: 'data:application/x-msdownload;base64,TVqQAAMAAAAEAAAA' };
      expect(!session.limits.accept.includes('application/x-msdownload'), 'limits.accept lists executables.');
      expectError(
        await visitor.reply('/runs', { thread_id: 't', input: [{ role: 'user', content: [{ type: 'text', text: 'see file' }, exe] }], stream: true }),
        415,
        'unsupported_media_type',
        'POST /runs with an .exe attachment',
      );
      if (!session.limits.accept.includes('image/png')) return;
      const images = Array.from({ length: session.limits.max_files + 1 }, () => ({ type: 'image', image: PNG_DATA_URL }));
      expectError(
        await visitor.reply('/runs', { thread_id: 't', input: [{ role: 'user', content: [{ type: 'text', text: 'pictures' }, ...images] }], stream: true }),
        413,
        'payload_too_large',
        `POST /runs with ${images.length} images (limits.max_files is ${session.limits.max_files})`,
      );
    }),

    check('errors: an unknown path is 404 not_found, as error JSON', async () => {
      expectError(await env.visitor().reply('/no-such-route', {}), 404, 'not_found', 'POST /no-such-route');
    }),

    check('cancel: another visitor’s run, or a run that never existed, is 404', async () => {
      const owner = env.visitor();
      const { runId } = await completedRun(owner, prompt);
      const other = env.visitor();
      await other.json('/session');
      expectError(await other.reply(`/runs/${encodeURIComponent(runId)}/cancel`, {}), 404, 'not_found', 'another visitor cancelling a run');
      expectError(await other.reply('/runs/run_does_not_exist/cancel', {}), 404, 'not_found', 'cancelling an unknown run');
    }),

    check('cancel: the owner stops a run in progress (run.completed, stop_reason "cancelled")', async () => {
      if (!options.slowPrompt) return { skipped: 'no slowPrompt given' };
      const visitor = env.visitor();
      const response = await visitor.request('/runs', { body: { thread_id: 'conformance_cancel', input: [{ role: 'user', content: options.slowPrompt }], stream: true } });
      let cancel: Promise<{ status: number; body: unknown }> | undefined;
      const events = await visitor.events(response, 'POST /runs (slow)', (event) => {
        if (event.event === 'run.started') cancel = visitor.json(`/runs/${encodeURIComponent(String(event.data['run_id']))}/cancel`, {});
      });
      expect(cancel, 'the slow run sent no run.started.');
      const reply = await cancel;
      expect(reply.status === 200, `POST /runs/{id}/cancel by its owner answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      const { terminal } = checkRunEvents(events, 'the stopped run', { started: true });
      expectCompleted(terminal, 'the stopped run');
      const reason = terminal.data['stop_reason'];
      expect(
        reason === 'cancelled',
        `the stopped run ended with stop_reason ${JSON.stringify(reason)}, not "cancelled": it finished before the Stop took effect ` +
          '(createSupportHandler gives a backend without cancel() cancelGraceMs, 2 s by default, to end the run itself; ' +
          'implement cancel(), or give a slowPrompt whose reply takes longer).',
      );
    }),

    check('approvals: another visitor’s run is 404, and bad decisions are 400', async () => {
      const owner = env.visitor();
      const { runId } = await completedRun(owner, prompt);
      const other = env.visitor();
      await other.json('/session');
      const path = `/runs/${encodeURIComponent(runId)}/approvals/apr_conformance`;
      expectError(await other.reply(path, { decision: 'approve', stream: false }), 404, 'not_found', 'another visitor deciding an approval');
      expectError(await owner.reply(path, { decision: 'maybe', stream: false }), 400, 'invalid_request', 'a decision that is neither approve nor deny');
    }),

    check('approvals: approval.requested ends the run awaiting it; the owner’s decision continues it', async () => {
      if (!options.approvalPrompt) return { skipped: 'no approvalPrompt given' };
      const owner = env.visitor();
      const events = await owner.run(options.approvalPrompt, { thread_id: 'conformance_approval' });
      const { runId, terminal } = checkRunEvents(events, 'POST /runs (approval)', { started: true, threadId: 'conformance_approval' });
      expectCompleted(terminal, 'POST /runs (approval)', 'awaiting_approval');
      const requested = events.find((e) => e.event === 'approval.requested');
      expect(requested, 'the run ended awaiting approval without an approval.requested event.');
      for (const field of ['approval_id', 'tool_call_id', 'name'] as const) {
        expect(typeof requested.data[field] === 'string' && requested.data[field] !== '', `approval.requested has no ${field}.`);
      }
      expect(isRecord(requested.data['arguments']), 'approval.requested has no arguments object.');
      const path = `/runs/${encodeURIComponent(runId)}/approvals/${encodeURIComponent(String(requested.data['approval_id']))}`;

      const other = env.visitor();
      await other.json('/session');
      expectError(await other.reply(path, { decision: 'approve', stream: true }), 404, 'not_found', 'another visitor deciding this approval');

      const continued = await owner.events(await owner.request(path, { body: { decision: 'approve', stream: true } }), 'POST /runs/{id}/approvals/{id}');
      const end = checkRunEvents(continued, 'the approved continuation', { started: false, runId });
      expectCompleted(end.terminal, 'the approved continuation');
    }),

    check('files: an attachment is served to its owner only (others and unknown ids 404)', async () => {
      const owner = env.visitor();
      const session = (await owner.json('/session')).body as { limits: { max_files: number; accept: string[] } };
      if (!session.limits.accept.includes('image/png') || session.limits.max_files < 1) return { skipped: 'the endpoint does not accept PNG images' };
      const events = await owner.run(
        [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', image: PNG_DATA_URL, filename: 'dot.png' },
        ],
        {
          thread_id: 'conformance_files',
        },
      );
      const { terminal } = checkRunEvents(events, 'POST /runs with an image', { started: true, threadId: 'conformance_files' });
      expectCompleted(terminal, 'POST /runs with an image');
      const files = events[0]!.data['files'];
      if (files === undefined) return { skipped: 'run.started lists no stored files (the backend does not store attachments)' };
      expect(Array.isArray(files) && files.length === 1 && isRecord(files[0]), 'run.started.files must list the one stored attachment.');
      const info = files[0] as Record<string, unknown>;
      expect(typeof info['file_id'] === 'string' && info['file_id'] !== '', 'run.started.files[0] has no file_id.');
      expect(info['media_type'] === 'image/png', `run.started.files[0].media_type is ${JSON.stringify(info['media_type'])}, not image/png.`);
      const path = `/files/${encodeURIComponent(info['file_id'] as string)}`;

      const mine = await owner.request(path, { method: 'GET' });
      expect(mine.status === 200, `GET ${path} by its owner answered ${mine.status}.`);
      expect((mine.headers.get('content-type') ?? '').startsWith('image/png'), `GET ${path}: Content-Type is ${mine.headers.get('content-type')}.`);
      const bytes = new Uint8Array(await mine.arrayBuffer());
      const sent = Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0));
      expect(bytes.length === sent.length && bytes.every((b, i) => b === sent[i]), `GET ${path}: the bytes are not the ones sent.`);

      const other = env.visitor();
      await other.json('/session');
      expectError(await other.reply(path, undefined, 'GET'), 404, 'not_found', `GET ${path} by another visitor`);
      expectError(await owner.reply('/files/file_does_not_exist', undefined, 'GET'), 404, 'not_found', 'GET /files/<unknown id>');
    }),
  ];
}
