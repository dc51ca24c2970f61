// The emulator, driven through the real IngramClient over real HTTP: the API semantics the
// backend relies on (auth, versions, upsert, archive, prefix filters, threads, files, approvals).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import { IngramApiError, IngramClient } from '../../../src/backends/ingram/index.js';
import { collect, PDF_BYTES, PDF_DATA_URL, PNG_BYTES, PNG_DATA_URL, startEmulator, text, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

let emu: EmulatorServer;
before(async () => {
  emu = await startEmulator();
});
after(() => emu.close());

const headers = (extra: Record<string, string> = {}) => ({ 'IC-Api-Version': '2026-05-01', 'Content-Type': 'application/json', ...extra });

describe('emulator: authentication and headers', () => {
  it('answers 401 without a token, with a wrong token, and with a non-Bearer scheme', async () => {
    for (const auth of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await fetch(`${emu.url}/v1/smiths`, { headers: headers(auth ? { Authorization: auth } : {}) });
      assert.equal(res.status, 401, String(auth));
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'unauthorized');
    }
  });

  it('refuses a request without IC-Api-Version, or with an unknown one', async () => {
    let res = await fetch(`${emu.url}/v1/smiths`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 400);
    res = await fetch(`${emu.url}/v1/smiths`, { headers: { Authorization: `Bearer ${TOKEN}`, 'IC-Api-Version': '1999-01-01' } });
    assert.equal(res.status, 400);
  });

  it('refuses a JSON body sent without Content-Type: application/json (415)', async () => {
    const res = await fetch(`${emu.url}/v1/smiths`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'IC-Api-Version': '2026-05-01', 'Content-Type': 'text/plain' },
      body: JSON.stringify({ external_id: 'x' }),
    });
    assert.equal(res.status, 415);
  });

  it('maps a wrong token onto upstream_error (502) without the token in the message', async () => {
    const bad = new IngramClient({ token: 'not-the-token', baseUrl: emu.url });
    await assert.rejects(bad.listSmiths(), (err: unknown) => {
      assert.ok(err instanceof IngramApiError);
      assert.equal(err.code, 'upstream_error');
      assert.equal(err.status, 502);
      assert.equal(err.upstreamStatus, 401);
      assert.ok(!err.message.includes('not-the-token'));
      return true;
    });
  });
});

describe('emulator: agents', () => {
  it('creates an agent; the first publish goes live, the second waits', async () => {
    const agent = await emu.client.createAgent({ slug: 'support-x', name: 'Support bot', instructions: 'Be concise.', enabled_hosted_tools: ['web_search'] });
    assert.match(agent.id, /^agt_/);
    assert.equal(agent.live_version, null);
    assert.deepEqual(await emu.client.publishAgentVersion(agent.id, { note: 'first version' }), { version: 1, live: true });
    assert.deepEqual(await emu.client.publishAgentVersion(agent.id, {}), { version: 2, live: false });
    assert.equal((await emu.client.getAgent(agent.id)).live_version, 1);
    await assert.rejects(
      emu.client.createAgent({ slug: 'support-x', name: 'Again', instructions: 'x' }),
      (err: unknown) => err instanceof IngramApiError && err.upstreamStatus === 409,
    );
  });

  it('refuses a run on a smith whose agent was never published', async () => {
    const agent = await emu.client.createAgent({ slug: 'draft', name: 'Draft', instructions: 'x' });
    const smith = await emu.client.upsertSmith({ external_id: 'draft-user', agent_id: agent.id });
    await assert.rejects(
      emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'hi' }] }),
      (err: unknown) => err instanceof IngramApiError && err.upstreamStatus === 409,
    );
  });
});

describe('emulator: smiths', () => {
  it('upserts on external_id: the same id comes back, with the fields updated', async () => {
    const first = await emu.client.upsertSmith({ external_id: 'user_123', display_name: 'Ada', agent_id: EMULATOR_AGENT_ID });
    const second = await emu.client.upsertSmith({ external_id: 'user_123', display_name: 'Ada Lovelace' });
    assert.equal(second.id, first.id);
    assert.equal(second.display_name, 'Ada Lovelace');
    assert.equal(second.agent_id, EMULATOR_AGENT_ID);
  });

  it('answers 201 for a new smith and 200 for an existing one', async () => {
    const call = () =>
      fetch(`${emu.url}/v1/smiths`, { method: 'POST', headers: headers({ Authorization: `Bearer ${TOKEN}` }), body: JSON.stringify({ external_id: 'status-check' }) });
    assert.equal((await call()).status, 201);
    assert.equal((await call()).status, 200);
  });

  it('refuses an unknown agent_id (404) and a non-boolean auto_memory (400)', async () => {
    await assert.rejects(emu.client.upsertSmith({ external_id: 'x1', agent_id: 'agt_nope' }), (e: unknown) => e instanceof IngramApiError && e.code === 'not_found');
    await assert.rejects(
      emu.client.upsertSmith({ external_id: 'x1', auto_memory: 'yes' as unknown as boolean }),
      (e: unknown) => e instanceof IngramApiError && e.code === 'invalid_request',
    );
  });

  it('PATCH updates fields; external_id is immutable (400)', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'anon:patch-me', auto_memory: false, agent_id: EMULATOR_AGENT_ID });
    const patched = await emu.client.updateSmith(smith.id, { display_name: 'Grace', customer_id: 'cus_1', auto_memory: true });
    assert.equal(patched.display_name, 'Grace');
    assert.equal(patched.customer_id, 'cus_1');
    assert.equal(patched.auto_memory, true);
    assert.equal(patched.external_id, 'anon:patch-me');
    await assert.rejects(emu.client.updateSmith(smith.id, { external_id: 'user_9' } as never), (e: unknown) => e instanceof IngramApiError && e.upstreamStatus === 400);
    assert.equal((await emu.client.getSmith(smith.id)).external_id, 'anon:patch-me');
  });

  it('lists by external_id_prefix, across pages', async () => {
    for (let i = 0; i < 5; i++) await emu.client.upsertSmith({ external_id: `pfx:${i}` });
    await emu.client.upsertSmith({ external_id: 'other:1' });
    const page1 = await emu.client.listSmiths({ external_id_prefix: 'pfx:', limit: 3 });
    assert.equal(page1.data.length, 3);
    assert.equal(page1.has_more, true);
    const page2 = await emu.client.listSmiths({ external_id_prefix: 'pfx:', limit: 3, after: page1.next_cursor! });
    assert.equal(page2.data.length, 2);
    assert.equal(page2.has_more, false);
    const all = [...page1.data, ...page2.data].map((s) => s.external_id).sort();
    assert.deepEqual(all, ['pfx:0', 'pfx:1', 'pfx:2', 'pfx:3', 'pfx:4']);
  });

  it('DELETE soft-archives: the smith leaves lists and runs, and its external_id is free again', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'anon:leaving', agent_id: EMULATOR_AGENT_ID });
    const archived = await emu.client.archiveSmith(smith.id);
    assert.ok(archived.archived_at);
    assert.equal((await emu.client.listSmiths({ external_id_prefix: 'anon:leaving' })).data.length, 0);
    await assert.rejects(emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'hi' }] }), (e: unknown) => e instanceof IngramApiError && e.code === 'not_found');
    await assert.rejects(emu.client.updateSmith(smith.id, { display_name: 'x' }), (e: unknown) => e instanceof IngramApiError && e.code === 'not_found');
    const again = await emu.client.upsertSmith({ external_id: 'anon:leaving' });
    assert.notEqual(again.id, smith.id);
  });

  it('answers 404 for unknown ids', async () => {
    for (const call of [
      () => emu.client.getSmith('smt_nope'),
      () => emu.client.archiveSmith('smt_nope'),
      () => emu.client.getFile('file_nope'),
      () => emu.client.getFileContent('file_nope'),
      () => emu.client.getAgent('agt_nope'),
    ]) {
      await assert.rejects(call(), (e: unknown) => e instanceof IngramApiError && e.code === 'not_found' && e.status === 404);
    }
  });
});

describe('emulator: runs', () => {
  it('streams run.started, message.delta…, run.completed, each with v:1 and the run id', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'stream-1', agent_id: EMULATOR_AGENT_ID });
    const events = await collect(await emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'How do I reset my password?' }], thread_id: 'chat_a', stream: true }));
    assert.equal(events[0]!.event, 'run.started');
    assert.equal(events.at(-1)!.event, 'run.completed');
    assert.equal(events.at(-1)!.data['stop_reason'], 'end_turn');
    const runId = events[0]!.data['run_id'];
    assert.match(String(runId), /^run_/);
    for (const e of events) {
      assert.equal(e.data['v'], 1);
      assert.equal(e.data['run_id'], runId);
    }
    assert.ok(events.filter((e) => e.event === 'message.delta').length > 3);
    assert.match(text(events), /\(turn 1 in this thread\).*reset my password/);
  });

  it('keeps history per smith and thread: a follow-up is turn 2 and recalls the first question', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'thread-user', agent_id: EMULATOR_AGENT_ID });
    await collect(await emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'Where is my invoice?' }], thread_id: 'chat_t', stream: true }));
    const second = await emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'And the receipt?' }], thread_id: 'chat_t' });
    const reply = second.output.map((o) => o.content).join('');
    assert.match(reply, /\(turn 2 in this thread\)/);
    assert.match(reply, /Where is my invoice\?/);
    // The same thread_id under another smith is another conversation.
    const other = await emu.client.upsertSmith({ external_id: 'thread-other', agent_id: EMULATOR_AGENT_ID });
    const third = await emu.client.createRun(other.id, { input: [{ role: 'user', content: 'Hello' }], thread_id: 'chat_t' });
    assert.match(third.output[0]!.content, /\(turn 1 in this thread\)/);
    assert.doesNotMatch(third.output[0]!.content, /invoice/);
  });

  it('answers stream:false with one JSON run', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'json-1', agent_id: EMULATOR_AGENT_ID });
    const run = await emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'hello' }], thread_id: 'chat_j' });
    assert.equal(run.status, 'completed');
    assert.equal(run.stop_reason, 'end_turn');
    assert.equal(run.thread_id, 'chat_j');
    assert.match(run.output[0]!.content, /You said: “hello”/);
  });

  it('stores inline attachments: file_id in the stored input and run.started.files, bytes at /content', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'anon:files-1', agent_id: EMULATOR_AGENT_ID });
    const events = await collect(
      await emu.client.createRun(smith.id, {
        thread_id: 'chat_f',
        stream: true,
        input: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'See the screenshot.' },
              { type: 'image', image: PNG_DATA_URL },
              { type: 'file', filename: 'invoice.pdf', data: PDF_DATA_URL },
            ],
          },
        ],
      }),
    );
    const files = events[0]!.data['files'] as { file_id: string; filename?: string; media_type: string; size: number }[];
    assert.equal(files.length, 2);
    assert.deepEqual(
      files.map((f) => [f.media_type, f.size, f.filename]),
      [
        ['image/png', PNG_BYTES.length, undefined],
        ['application/pdf', PDF_BYTES.length, 'invoice.pdf'],
      ],
    );
    assert.match(text(events), /2 attachments/);
    const runs = await emu.client.listRuns({ external_id_prefix: 'anon:files-1' });
    const stored = JSON.stringify(runs.data[0]!.input);
    assert.ok(!stored.includes('base64'), 'the stored input keeps references, not payloads');
    assert.ok(stored.includes(files[0]!.file_id) && stored.includes(files[1]!.file_id));
    const png = await emu.client.getFileContent(files[0]!.file_id);
    assert.equal(png.media_type, 'image/png');
    assert.deepEqual(new Uint8Array(await new Response(png.body).arrayBuffer()), PNG_BYTES);
    const meta = await emu.client.getFile(files[1]!.file_id);
    assert.equal(meta.smith_id, smith.id);
    assert.equal(meta.filename, 'invoice.pdf');
  });

  it('refuses malformed input and attachment parts (400) and stores nothing', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'bad-input', agent_id: EMULATOR_AGENT_ID });
    const bad = [
      [],
      [{ role: 'assistant', content: 'x' }],
      [{ role: 'user', content: 42 }],
      [{ role: 'user', content: [{ type: 'image', image: 'https://example.com/x.png' }] }],
      [{ role: 'user', content: [{ type: 'video', url: 'x' }] }],
    ];
    for (const input of bad) {
      await assert.rejects(
        emu.client.createRun(smith.id, { input: input as never }),
        (e: unknown) => e instanceof IngramApiError && e.upstreamStatus === 400,
        JSON.stringify(input),
      );
    }
    assert.equal((await emu.client.listRuns({ external_id_prefix: 'bad-input' })).data.length, 0);
  });

  it('lists runs by external_id_prefix', async () => {
    const a = await emu.client.upsertSmith({ external_id: 'anon:list-a', agent_id: EMULATOR_AGENT_ID });
    const b = await emu.client.upsertSmith({ external_id: 'member:list-b', agent_id: EMULATOR_AGENT_ID });
    await emu.client.createRun(a.id, { input: [{ role: 'user', content: 'one' }] });
    await emu.client.createRun(b.id, { input: [{ role: 'user', content: 'two' }] });
    const anon = await emu.client.listRuns({ external_id_prefix: 'anon:list-' });
    assert.deepEqual(
      anon.data.map((r) => r.smith_id),
      [a.id],
    );
  });

  it('runs a web_search tool call for a search question', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'tools-1', agent_id: EMULATOR_AGENT_ID });
    const events = await collect(await emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'Please search the docs for SSO' }], stream: true }));
    const names = events.map((e) => e.event);
    assert.deepEqual(names.slice(0, 3), ['run.started', 'tool_call.started', 'tool_call.completed']);
    assert.equal(events[1]!.data['name'], 'web_search');
    assert.equal(events[1]!.data['tool_call_id'], events[2]!.data['tool_call_id']);
  });

  it('asks for approval before opening a ticket; approve continues the run, a second decision is refused', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'ticket-1', agent_id: EMULATOR_AGENT_ID });
    const first = await collect(await emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'Open a ticket please' }], thread_id: 'chat_k', stream: true }));
    const req = first.find((e) => e.event === 'approval.requested')!;
    assert.equal(req.data['name'], 'open_ticket');
    assert.equal(first.at(-1)!.data['stop_reason'], 'awaiting_approval');
    const runId = String(req.data['run_id']);
    const approvalId = String(req.data['approval_id']);
    const cont = await collect(await emu.client.decideApproval(smith.id, runId, approvalId, { decision: 'approve', stream: true }));
    assert.equal(cont.find((e) => e.event === 'tool_call.completed')!.data['name'], 'open_ticket');
    assert.match(text(cont), /opened ticket T-\d+/);
    assert.equal(cont.at(-1)!.data['stop_reason'], 'end_turn');
    await assert.rejects(emu.client.decideApproval(smith.id, runId, approvalId, { decision: 'deny' }), (e: unknown) => e instanceof IngramApiError && e.upstreamStatus === 409);
    // Another smith cannot see or decide this run.
    const other = await emu.client.upsertSmith({ external_id: 'ticket-2', agent_id: EMULATOR_AGENT_ID });
    await assert.rejects(emu.client.decideApproval(other.id, runId, approvalId, { decision: 'approve' }), (e: unknown) => e instanceof IngramApiError && e.code === 'not_found');
  });

  it('the decided call keeps its id: approval.requested.tool_call_id is the continuation’s tool_call id', async () => {
    for (const [decision, stream] of [
      ['approve', true],
      ['deny', true],
      ['approve', false],
      ['deny', false],
    ] as const) {
      const smith = await emu.client.upsertSmith({ external_id: `ticket-ids-${decision}-${stream}`, agent_id: EMULATOR_AGENT_ID });
      const first = await collect(await emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'Open a ticket please' }], stream: true }));
      const req = first.find((e) => e.event === 'approval.requested')!.data;
      const callId = req['tool_call_id'];
      assert.match(String(callId), /^call_/);
      const label = `${decision}, stream ${stream}`;
      if (stream) {
        const cont = await collect(await emu.client.decideApproval(smith.id, String(req['run_id']), String(req['approval_id']), { decision, stream: true }));
        const ids = cont.filter((e) => e.event.startsWith('tool_call.')).map((e) => [e.event, e.data['tool_call_id']]);
        assert.deepEqual(
          ids,
          [
            ['tool_call.started', callId],
            ['tool_call.completed', callId],
          ],
          label,
        );
      } else {
        const done = await emu.client.decideApproval(smith.id, String(req['run_id']), String(req['approval_id']), { decision });
        assert.deepEqual(
          done.tool_calls.map((c) => c.tool_call_id),
          [callId],
          label,
        );
        assert.equal(done.approvals[0]!.tool_call_id, callId, label);
      }
    }
  });

  it('a scripted failure ends the run with run.failed and status failed', async () => {
    const failing = await startEmulator({
      reply: () => [
        { type: 'delta', text: 'Hm. ' },
        { type: 'fail', code: 'overloaded', message: 'try later' },
        { type: 'delta', text: 'never sent' },
      ],
    });
    try {
      const smith = await failing.client.upsertSmith({ external_id: 'fail-1', agent_id: EMULATOR_AGENT_ID });
      const events = await collect(await failing.client.createRun(smith.id, { input: [{ role: 'user', content: 'hi' }], stream: true }));
      assert.deepEqual(
        events.map((e) => e.event),
        ['run.started', 'message.delta', 'run.failed'],
      );
      assert.deepEqual(events.at(-1)!.data['error'], { code: 'overloaded', message: 'try later' });
      const run = await failing.client.createRun(smith.id, { input: [{ role: 'user', content: 'hi' }] });
      assert.deepEqual([run.status, run.error], ['failed', { code: 'overloaded', message: 'try later' }]);
    } finally {
      await failing.close();
    }
  });

  it('answers with an injected fault (status, code, headers) after authentication', async () => {
    const faulty = await startEmulator({
      fault: ({ method, path }) =>
        method === 'GET' && path === '/v1/smiths' ? { status: 429, code: 'rate_limited', message: 'slow', headers: { 'Retry-After': '3' } } : undefined,
    });
    try {
      const res = await fetch(`${faulty.url}/v1/smiths`, { headers: headers({ Authorization: `Bearer ${TOKEN}` }) });
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '3');
      assert.deepEqual(await res.json(), { error: { code: 'rate_limited', message: 'slow' } });
      assert.equal((await fetch(`${faulty.url}/v1/smiths`, { headers: headers() })).status, 401, 'auth first');
      assert.equal((await faulty.client.upsertSmith({ external_id: 'x' })).external_id, 'x', 'other calls pass');
    } finally {
      await faulty.close();
    }
  });

  it('deny completes the run with the tool marked as an error', async () => {
    const smith = await emu.client.upsertSmith({ external_id: 'ticket-3', agent_id: EMULATOR_AGENT_ID });
    const run = await emu.client.createRun(smith.id, { input: [{ role: 'user', content: 'I want a ticket' }] });
    assert.equal(run.status, 'awaiting_approval');
    const done = await emu.client.decideApproval(smith.id, run.id, run.approvals[0]!.approval_id, { decision: 'deny' });
    assert.equal(done.status, 'completed');
    assert.equal(done.tool_calls.at(-1)!.is_error, true);
  });

  it('keeps each run at its own pace: a busy thread makes a delta late, not every delta after it', async () => {
    // 40 steps 20 ms apart while the (shared) thread is busy 12 ms in every 16: each timer fires a
    // few ms late. A run that slept 20 ms after each send added that lateness up at every step.
    const steps = 40;
    const paced = await startEmulator({ deltaDelayMs: 20, reply: () => Array.from({ length: steps }, (_, i) => ({ type: 'delta' as const, text: `w${i} ` })) });
    const busy = setInterval(() => {
      const until = performance.now() + 12;
      while (performance.now() < until);
    }, 16);
    try {
      const smith = await paced.client.upsertSmith({ external_id: 'paced-1', agent_id: EMULATOR_AGENT_ID });
      const stream = await paced.client.createRun(smith.id, { input: [{ role: 'user', content: 'pace' }], stream: true });
      let deltas = 0;
      let started = 0;
      for await (const m of stream) {
        if (m.event !== 'message.delta') continue;
        if (deltas++ === 0) started = performance.now();
      }
      const elapsed = performance.now() - started;
      assert.equal(deltas, steps);
      // On its own clock: ~39 × 20 = 780 ms; adding up the lateness took ~1,000 ms here.
      assert.ok(elapsed < (steps - 1) * 20 + 120, `the run kept its pace: ${Math.round(elapsed)} ms for ${steps} deltas 20 ms apart`);
    } finally {
      clearInterval(busy);
      paced.close();
    }
  });

  it('cancels a streaming run by the cancel endpoint, and when the client goes away', async () => {
    const slow = await startEmulator({ deltaDelayMs: 30 });
    try {
      const smith = await slow.client.upsertSmith({ external_id: 'cancel-1', agent_id: EMULATOR_AGENT_ID });
      const stream = await slow.client.createRun(smith.id, { input: [{ role: 'user', content: 'tell me a long story' }], stream: true });
      const first = await stream.next();
      const runId = JSON.parse(first.value!.data).run_id as string;
      assert.equal(await slow.client.cancelRun(smith.id, runId), true);
      const rest = await collect(stream);
      assert.equal(rest.at(-1)!.data['stop_reason'], 'cancelled');
      await assert.rejects(slow.client.cancelRun(smith.id, 'run_unknown'), (e: unknown) => e instanceof IngramApiError && e.code === 'not_found', 'an unknown run is a 404');

      const abort = new AbortController();
      const stream2 = await slow.client.createRun(smith.id, { input: [{ role: 'user', content: 'another long story' }], stream: true }, { signal: abort.signal });
      const started = await stream2.next();
      const runId2 = JSON.parse(started.value!.data).run_id as string;
      abort.abort();
      // Events already parsed from the chunk that carried run.started may still be handed out (a
      // busy machine puts a delta or two in it): past them, reading fails, never ends cleanly.
      await assert.rejects(async () => {
        for (let r = await stream2.next(); !r.done; r = await stream2.next());
      }, 'reading on after the abort fails');
      let status = '';
      for (let i = 0; i < 50 && status !== 'cancelled'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await slow.client.listRuns({ external_id_prefix: 'cancel-1' })).data.find((r) => r.id === runId2)!.status;
      }
      assert.equal(status, 'cancelled');
    } finally {
      await slow.close();
    }
  });
});
