// The conformance kit (`ic-support-chat/backends/testing`) run against the project's own backends:
// local (in process), Ingram over the emulator (real HTTP both ways) and the AI SDK backend with a
// scripted model; then against broken backends, to show it reports what they get wrong.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { jsonSchema, simulateReadableStream, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { createAiSdkBackend } from '../../../src/backends/ai-sdk/index.js';
import { createSupportHandler, type RunInput, type StoredFile, type SupportBackend } from '../../../src/backends/core/index.js';
import { createIngramBackend } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { conformanceChecks, runConformance, type ConformanceReport, type ConformanceTarget } from '../../../src/backends/testing/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import type { RunEvent } from '../../../src/protocol/types.js';
import { finish, text, toolCall } from '../ai-sdk/ai-sdk-test-kit.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../ingram/ingram-test-kit.js';

let runs = 0;

/** Echoes the visitor's text, each run with its own id. */
async function* echo(input: RunInput): AsyncGenerator<RunEvent> {
  const run_id = `run_${++runs}`;
  const last = input.input[input.input.length - 1]!.content;
  yield { type: 'run.started', v: 1, run_id, thread_id: input.thread_id };
  yield { type: 'message.delta', v: 1, run_id, delta: `You said: ${typeof last === 'string' ? last : 'parts'}` };
  yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' };
}

/** A correct minimal backend (only `run`: the core answers 404 for what it does not offer). */
function echoBackend(overrides: Partial<SupportBackend> = {}): SupportBackend {
  return { run: echo, ...overrides };
}

/** The test's sign-in: a header naming the account, read by `identify` (a host app's session, on a real site). */
const SIGNED_IN = 'x-conformance-user';
const signIn = (userId: string) => ({ [SIGNED_IN]: userId });
const identify = (request: Request) => {
  const user = request.headers.get(SIGNED_IN);
  return user ? { user_id: user } : null;
};

/** Fails the test with the kit's own report when any check failed. */
function assertPasses(report: ConformanceReport, skipped: string[] = []): void {
  const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.message}`);
  assert.deepEqual(failures, []);
  assert.deepEqual(
    report.results.filter((r) => r.status === 'skip').map((r) => r.name.split(':')[0]),
    skipped,
  );
}

/** The report's failures, by check name. */
function failuresOf(report: ConformanceReport): Map<string, string> {
  return new Map(report.results.filter((r) => r.status === 'fail').map((r) => [r.name, r.message ?? '']));
}

describe('conformance kit: the project’s backends pass', () => {
  it('local backend, in process: every check, approvals, cancel, files, resume, feedback, hand-off and past conversations included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ic-conformance-'));
    const backend = createLocalBackend({ articlesDir: 'demo/help', delayMs: 0, filesDir: join(dir, 'files'), handoffFile: join(dir, 'handoffs.jsonl') });
    const options = { approvalPrompt: 'Please open a ticket about my order', slowPrompt: 'slow reply please', signIn };
    const report = await runConformance({ backend, handlerOptions: { identify } }, options);
    assertPasses(report);
    assert.equal(report.passed, conformanceChecks({ backend }, options).length);
  });

  describe('Ingram backend over the emulator, through a real HTTP endpoint', () => {
    let emu: EmulatorServer;
    let app: ServeHandle;
    before(async () => {
      // A delay per word, so a run is still streaming when its owner stops it.
      emu = await startEmulator({ deltaDelayMs: 40 });
      const backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, onError: () => {} });
      app = await serve(
        createSupportHandler({
          backend,
          basePath: '/api/support',
          cookie: { secret: 'conformance-secret-0123456789abcdef0123' },
          rateLimit: false,
          newVisitorLimit: false,
          onError: () => {},
          // The core's own feedback and hand-off hooks, checked over HTTP.
          onFeedback: () => {},
          onHandoff: (handoff) => ({ reference: `T-${handoff.thread_id.length}` }),
        }),
        { port: 0 },
      );
    });
    after(async () => {
      await app.close();
      await emu.close();
    });

    it('passes every check by URL (past conversations skipped: it keeps no transcripts)', async () => {
      const report = await runConformance({ endpoint: `${app.url}/api/support` }, { approvalPrompt: 'Please open a ticket', slowPrompt: 'Tell me about your plans', signIn });
      assertPasses(report, ['threads']);
    });
  });

  it('AI SDK backend with a scripted model: every check (files, feedback and hand-off skipped: it offers none)', async () => {
    const lastUserText = (options: LanguageModelV3CallOptions) => {
      const last = options.prompt[options.prompt.length - 1]!;
      if (last.role !== 'user') return '';
      return last.content.map((p) => (p.type === 'text' ? p.text : '')).join(' ');
    };
    // Answers whatever it is asked, forever: a ticket request with a tool call that needs approval,
    // "slow" slowly, anything else with a short text.
    const model = new MockLanguageModelV3({
      doStream: async (options) => {
        const said = lastUserText(options);
        let parts: LanguageModelV3StreamPart[];
        if (/ticket/.test(said)) parts = [toolCall('call_1', 'open_ticket', { subject: 'order' }), finish('tool-calls')];
        else if (/slow/.test(said)) parts = [...text(...Array.from({ length: 60 }, (_, i) => `word${i} `)), finish()];
        else parts = [...text('Happy ', 'to help.'), finish()];
        return { stream: simulateReadableStream({ chunks: [{ type: 'stream-start', warnings: [] }, ...parts], chunkDelayInMs: /slow/.test(said) ? 50 : null }) };
      },
    });
    const backend = createAiSdkBackend({
      model,
      onError: () => {},
      tools: {
        open_ticket: tool({
          description: 'Opens a support ticket',
          inputSchema: jsonSchema<{ subject: string }>({ type: 'object', properties: { subject: { type: 'string' } }, required: ['subject'] }),
          needsApproval: true,
          execute: async () => ({ ticket_id: 'T-1' }),
        }),
      },
    });
    const report = await runConformance({ backend, handlerOptions: { identify } }, { approvalPrompt: 'open a ticket please', slowPrompt: 'slow please', signIn });
    assertPasses(report, ['files', 'feedback', 'handoff']);
  });
});

describe('conformance kit: broken backends fail, with the reason', () => {
  it('a backend whose events carry no run_id', async () => {
    async function* noRunId(input: RunInput): AsyncGenerator<RunEvent> {
      for await (const event of echo(input)) {
        const { run_id: _dropped, ...rest } = event;
        yield (event.type === 'run.started' ? event : rest) as RunEvent;
      }
    }
    const report = await runConformance({ backend: echoBackend({ run: noRunId }) });
    assert.equal(report.ok, false);
    const failures = failuresOf(report);
    assert.match(
      failures.get('runs (stream): text/event-stream of v:1 events, one run_id, run.started first, exactly one terminal event last') ?? '',
      /event 2 \(message\.delta\) has no run_id/,
    );
  });

  it('a backend that ends a run twice (the core ends the stream at the first), or never starts it', async () => {
    const twice = echoBackend({
      run: async function* (input) {
        let last: RunEvent | undefined;
        for await (const event of echo(input)) yield (last = event);
        yield last!;
      },
    });
    // The core records runs and stops at the first terminal event, so the wire stays valid.
    const report = await runConformance({ backend: twice });
    assert.doesNotMatch([...failuresOf(report).values()].join('\n'), /2 terminal events/);

    const unstarted = echoBackend({
      run: async function* () {
        yield { type: 'message.delta', v: 1, run_id: 'run_1', delta: 'hi' };
        yield { type: 'run.completed', v: 1, run_id: 'run_1', stop_reason: 'end_turn' };
      },
    });
    assert.match([...failuresOf(await runConformance({ backend: unstarted })).values()].join('\n'), /the first event is message\.delta, not run\.started/);
  });

  it('a backend that serves any visitor’s file', async () => {
    const stored = new Map<string, StoredFile>();
    const leaky = echoBackend({
      run: async function* (input) {
        const files = input.attachments.map((a, i) => {
          const info = { file_id: `file_${stored.size + i}`, media_type: a.media_type, size: a.bytes.length };
          stored.set(info.file_id, { ...info, body: a.bytes });
          return info;
        });
        yield { type: 'run.started', v: 1, run_id: 'run_f', thread_id: input.thread_id, ...(files.length ? { files } : {}) };
        yield { type: 'run.completed', v: 1, run_id: 'run_f', stop_reason: 'end_turn' };
      },
      // The defect: no owner check.
      getFile: async (fileId) => stored.get(fileId) ?? null,
    });
    const failures = failuresOf(await runConformance({ backend: leaky }));
    assert.match(
      failures.get('files: an attachment is served to its owner only (others and unknown ids 404)') ?? '',
      /by another visitor: expected 404 not_found, got 200 \(image\/png, not JSON\)/,
    );
  });

  it('an endpoint that lets another visitor cancel a run, or answers errors without the error JSON', async () => {
    // A hand-written endpoint in front of the real handler: it answers every cancel itself.
    const real = createSupportHandler({
      backend: echoBackend(),
      basePath: '/api/support',
      cookie: { secret: 'conformance-secret-0123456789abcdef0123' },
      rateLimit: false,
      newVisitorLimit: false,
      onError: () => {},
    });
    const target: ConformanceTarget = {
      handler: async (request) => {
        const path = new URL(request.url).pathname;
        if (path.endsWith('/cancel')) return Response.json({ v: 1, cancelled: true });
        if (path.endsWith('/no-such-route')) return new Response('Not Found', { status: 404 });
        return real(request);
      },
    };
    const failures = failuresOf(await runConformance(target));
    assert.match(failures.get('cancel: another visitor’s run, or a run that never existed, is 404') ?? '', /another visitor cancelling a run: expected 404 not_found, got 200/);
    assert.match(
      failures.get('errors: an unknown path is 404 not_found, as error JSON') ?? '',
      /expected 404 not_found, got 404 \(text\/plain;charset=UTF-8, not JSON\)|expected the error JSON/,
    );
  });

  it('an endpoint whose session, JSON reply and body validation break the protocol', async () => {
    const real = createSupportHandler({
      backend: echoBackend(),
      basePath: '/api/support',
      cookie: { secret: 'conformance-secret-0123456789abcdef0123' },
      rateLimit: false,
      newVisitorLimit: false,
      onError: () => {},
    });
    const target: ConformanceTarget = {
      handler: async (request) => {
        const path = new URL(request.url).pathname;
        if (path.endsWith('/session')) return Response.json({ v: 2, visitor: { kind: 'anonymous' }, limits: { max_file_bytes: 1, max_files: 1, accept: [] } });
        if (path.endsWith('/runs')) {
          let body: unknown;
          try {
            body = JSON.parse(await request.clone().text());
          } catch {
            return Response.json({ ok: true }); // the defect: broken JSON accepted
          }
          if ((body as { stream?: unknown }).stream === false) return Response.json({ v: 1, run_id: 'run_x', thread_id: 'conformance_json', status: 'completed', output: 'hi' });
        }
        return real(request);
      },
    };
    const failures = failuresOf(await runConformance(target));
    assert.match(failures.get('session: POST /session answers {v:1, visitor, limits}') ?? '', /"v" must be 1, got 2/);
    assert.match(failures.get('runs (JSON): stream:false answers one {v:1, run_id, thread_id, status, output, …}') ?? '', /output must be a list/);
    assert.match(failures.get('runs: bad bodies are 400 invalid_request') ?? '', /with a body that is not JSON: expected 400 invalid_request, got 200/);
  });

  it('an endpoint that ignores Last-Event-ID and Idempotency-Key, or answers another account about its threads', async () => {
    const real = createSupportHandler({
      backend: createLocalBackend({ articlesDir: 'demo/help', delayMs: 0 }),
      basePath: '/api/support',
      cookie: { secret: 'conformance-secret-0123456789abcdef0123' },
      rateLimit: false,
      newVisitorLimit: false,
      onError: () => {},
      identify,
    });
    const target: ConformanceTarget = {
      handler: async (request) => {
        // The defects: the two headers are dropped on their way, and a DELETE of any thread "works".
        const headers = new Headers(request.headers);
        headers.delete('last-event-id');
        headers.delete('idempotency-key');
        if (request.method === 'DELETE') return Response.json({ deleted: true });
        return real(new Request(request, { headers }));
      },
    };
    const failures = failuresOf(await runConformance(target, { signIn }));
    assert.match(
      failures.get('resume: frames carry ids 1, 2, 3…; GET /runs/{id}/events replays what follows Last-Event-ID or ?after=, 204 at the end') ?? '',
      /with Last-Event-ID: 1: expected the event with id 2 \(message\.delta\), got id 1 \(run\.started\)/,
    );
    assert.match(
      failures.get('resume: POST /runs sent again with its Idempotency-Key answers the same run; the key with another message is 422') ?? '',
      /started run \S+, not the same run/,
    );
    assert.match(
      failures.get('threads: a signed-in visitor’s conversation is listed, read back and deleted; another account’s is 404, an anonymous visitor 403') ?? '',
      /DELETE \/threads\/\S+ by another account: expected 404 not_found, got 200/,
    );
  });

  it('checks work one by one with any test runner (here node:test subtests)', async (t) => {
    for (const check of conformanceChecks({ backend: echoBackend() })) {
      await t.test(check.name, async (st) => {
        const outcome = await check.run();
        if (outcome) st.skip(outcome.skipped);
      });
    }
  });
});
