// GET /runs/{id}/events and Idempotency-Key at the edges: who may resume, from where, until when,
// and what a repeated or conflicting POST gets. Real handler on a real HTTP server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSupportHandler, InMemoryRunLogStore, SupportError } from '../../../src/backends/core/index.js';
import type { RunEvent, SessionResponse } from '../../../src/protocol/types.js';
import { completeFrames, deltasOf, readUntilCut } from './resume-kit.js';
import { errorOf, postJson, scriptedBackend, startSupport } from './support-test-kit.js';

const body = (thread_id = 'th_1', content = 'hi') => ({ thread_id, input: [{ role: 'user', content }] });

/** A backend whose runs wait for `release()` before finishing, with unique run ids. */
function gatedBackend() {
  let n = 0;
  let open: (() => void)[] = [];
  const backend = scriptedBackend({
    async *run(input) {
      const run_id = `run_g${++n}`;
      yield { type: 'run.started', v: 1, run_id, thread_id: input.thread_id };
      yield { type: 'message.delta', v: 1, run_id, delta: 'A' };
      await new Promise<void>((resolve) => open.push(resolve));
      yield { type: 'message.delta', v: 1, run_id, delta: 'B' };
      yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' } satisfies RunEvent;
    },
  });
  const release = () => {
    const waiting = open;
    open = [];
    for (const go of waiting) go();
  };
  return { backend, release };
}

async function visitor(endpoint: string): Promise<string> {
  const res = await postJson(`${endpoint}/session`, {});
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

/** Reads frames until `count` complete ones arrived (the stream stays open). */
async function firstFrames(res: Response, count: number) {
  const reader = res.body!.getReader();
  let text = '';
  while (completeFrames(text).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  return { frames: completeFrames(text), reader };
}

describe('resuming a run: GET /runs/{run_id}/events', () => {
  it('announces features.resume, and the visitor active run until it ends', async () => {
    const { backend, release } = gatedBackend();
    const s = await startSupport({ backend });
    try {
      const cookie = await visitor(s.endpoint);
      const idle = (await (await postJson(`${s.endpoint}/session`, {}, { cookie })).json()) as SessionResponse;
      assert.deepEqual(idle.features, { resume: true });
      assert.equal(idle.active_run, undefined);
      const live = await postJson(`${s.endpoint}/runs`, body('th_active'), { cookie });
      const { reader } = await firstFrames(live, 2);
      const busy = (await (await postJson(`${s.endpoint}/session`, {}, { cookie })).json()) as SessionResponse;
      assert.deepEqual(busy.active_run, { run_id: 'run_g1', thread_id: 'th_active' });
      const other = (await (await postJson(`${s.endpoint}/session`, {})).json()) as SessionResponse;
      assert.equal(other.active_run, undefined, "another visitor never sees this visitor's run");
      release();
      while (!(await reader.read()).done);
      const done = (await (await postJson(`${s.endpoint}/session`, {}, { cookie })).json()) as SessionResponse;
      assert.equal(done.active_run, undefined);
    } finally {
      release();
      await s.close();
    }
  });

  it('replays from the start, from ?after= or Last-Event-ID (the header wins), and answers 204 after the end', async () => {
    const s = await startSupport({ backend: scriptedBackend() });
    try {
      const cookie = await visitor(s.endpoint);
      await readUntilCut(await postJson(`${s.endpoint}/runs`, body(), { cookie }));
      const get = (query: string, headers: Record<string, string> = {}) => fetch(`${s.endpoint}/runs/run_1/events${query}`, { headers: { cookie, ...headers } });
      const all = completeFrames(await readUntilCut(await get('')));
      assert.deepEqual(
        all.map((f) => f.id),
        ['1', '2', '3', '4'],
      );
      assert.deepEqual(
        completeFrames(await readUntilCut(await get('?after=2'))).map((f) => f.id),
        ['3', '4'],
      );
      assert.deepEqual(
        completeFrames(await readUntilCut(await get('?after='))).map((f) => f.id),
        ['1', '2', '3', '4'],
      );
      assert.deepEqual(
        completeFrames(await readUntilCut(await get('?after=0', { 'last-event-id': '3' }))).map((f) => f.id),
        ['4'],
      );
      const ended = await get('', { 'last-event-id': '4' });
      assert.equal(ended.status, 204);
    } finally {
      await s.close();
    }
  });

  it('refuses a position that is not a decimal event id with 400 and a clear message', async () => {
    const s = await startSupport({ backend: scriptedBackend() });
    try {
      const cookie = await visitor(s.endpoint);
      await readUntilCut(await postJson(`${s.endpoint}/runs`, body(), { cookie }));
      for (const [query, headers, source] of [
        ['?after=-1', {}, '"after" parameter'],
        ['?after=1.5', {}, '"after" parameter'],
        ['?after=abc', {}, '"after" parameter'],
        ['?after=1e3', {}, '"after" parameter'],
        ['?after=9999999999999999', {}, '"after" parameter'],
        ['', { 'last-event-id': 'x12' }, 'Last-Event-ID header'],
        ['?after=2', { 'last-event-id': '0x10' }, 'Last-Event-ID header'],
      ] as const) {
        const res = await fetch(`${s.endpoint}/runs/run_1/events${query}`, { headers: { cookie, ...headers } });
        const error = await errorOf(res);
        assert.equal(error.status, 400, `${query} ${JSON.stringify(headers)}`);
        assert.equal(error.code, 'invalid_request');
        assert.match(error.message, new RegExp(`${source}.*decimal id`));
      }
    } finally {
      await s.close();
    }
  });

  it("answers 404 for another visitor's run, an unknown run and a cookie-less request", async () => {
    const s = await startSupport({ backend: scriptedBackend() });
    try {
      const cookie = await visitor(s.endpoint);
      await readUntilCut(await postJson(`${s.endpoint}/runs`, body(), { cookie }));
      const stranger = await visitor(s.endpoint);
      for (const [path, headers] of [
        ['/runs/run_1/events', { cookie: stranger }],
        ['/runs/run_nope/events', { cookie }],
        ['/runs/run_1/events', {}],
      ] as const) {
        const error = await errorOf(await fetch(`${s.endpoint}${path}`, { headers }));
        assert.deepEqual([error.status, error.code], [404, 'not_found'], `${path} ${JSON.stringify(headers)}`);
      }
    } finally {
      await s.close();
    }
  });

  it('answers 410 run_expired once the log expired, and for a part trimmed away', async () => {
    const s = await startSupport({ backend: scriptedBackend(), stores: { runLog: new InMemoryRunLogStore({ ttlMs: 150, maxEvents: 2 }) } });
    try {
      const cookie = await visitor(s.endpoint);
      await readUntilCut(await postJson(`${s.endpoint}/runs`, body(), { cookie }));
      const trimmed = await errorOf(await fetch(`${s.endpoint}/runs/run_1/events?after=1`, { headers: { cookie } }));
      assert.deepEqual([trimmed.status, trimmed.code], [410, 'run_expired']);
      assert.deepEqual(
        completeFrames(await readUntilCut(await fetch(`${s.endpoint}/runs/run_1/events?after=2`, { headers: { cookie } }))).map((f) => f.id),
        ['3', '4'],
      );
      await new Promise((r) => setTimeout(r, 400));
      const expired = await errorOf(await fetch(`${s.endpoint}/runs/run_1/events`, { headers: { cookie } }));
      assert.deepEqual([expired.status, expired.code], [410, 'run_expired']);
      const stranger = await visitor(s.endpoint);
      assert.equal((await fetch(`${s.endpoint}/runs/run_1/events`, { headers: { cookie: stranger } })).status, 404);
    } finally {
      await s.close();
    }
  });

  it('a resume of a long run still streaming here reads what this instance no longer holds from the log, then memory', async () => {
    let go!: () => void;
    const gate = new Promise<void>((resolve) => (go = resolve));
    const s = await startSupport({
      backend: scriptedBackend({
        async *run(input) {
          yield { type: 'run.started', v: 1, run_id: 'run_long', thread_id: input.thread_id };
          // More than the recorder keeps in memory (256 to 512 entries).
          for (let i = 0; i < 700; i++) yield { type: 'message.delta', v: 1, run_id: 'run_long', delta: `${i},` };
          await gate;
          yield { type: 'run.completed', v: 1, run_id: 'run_long', stop_reason: 'end_turn' };
        },
      }),
    });
    try {
      const cookie = await visitor(s.endpoint);
      const original = await postJson(`${s.endpoint}/runs`, body(), { cookie });
      const { reader } = await firstFrames(original, 701);
      const resumed = fetch(`${s.endpoint}/runs/run_long/events?after=3`, { headers: { cookie } });
      const { frames, reader: resumedReader } = await firstFrames(await resumed, 698);
      go();
      let rest = '';
      for (;;) {
        const { value, done } = await resumedReader.read();
        if (done) break;
        rest += new TextDecoder().decode(value);
      }
      const all = [...frames, ...completeFrames(rest)];
      assert.deepEqual(
        all.map((f) => Number(f.id)),
        Array.from({ length: 699 }, (_, i) => i + 4),
      );
      assert.equal(deltasOf(all), Array.from({ length: 698 }, (_, i) => `${i + 2},`).join(''));
      while (!(await reader.read()).done);
    } finally {
      go();
      await s.close();
    }
  });

  it('numbers an approval continuation after the first segment, in the same log', async () => {
    const s = await startSupport({
      backend: scriptedBackend({
        async *run(input) {
          yield { type: 'run.started', v: 1, run_id: 'run_ap', thread_id: input.thread_id };
          yield { type: 'approval.requested', v: 1, run_id: 'run_ap', approval_id: 'ap_1', tool_call_id: 'c1', name: 'refund', arguments: {} };
          yield { type: 'run.completed', v: 1, run_id: 'run_ap', stop_reason: 'awaiting_approval' };
        },
      }),
    });
    try {
      const cookie = await visitor(s.endpoint);
      const first = completeFrames(await readUntilCut(await postJson(`${s.endpoint}/runs`, body(), { cookie })));
      assert.deepEqual(
        first.map((f) => f.id),
        ['1', '2', '3'],
      );
      const second = completeFrames(await readUntilCut(await postJson(`${s.endpoint}/runs/run_ap/approvals/ap_1`, { decision: 'approve' }, { cookie })));
      assert.deepEqual(
        second.map((f) => f.id),
        ['4', '5'],
      );
      const replay = completeFrames(await readUntilCut(await fetch(`${s.endpoint}/runs/run_ap/events?after=3`, { headers: { cookie } })));
      assert.deepEqual(
        replay.map((f) => [f.id, f.event]),
        [
          ['4', 'message.delta'],
          ['5', 'run.completed'],
        ],
      );
    } finally {
      await s.close();
    }
  });
});

describe('an approval decision sent again', () => {
  const approvalRun = () =>
    scriptedBackend({
      async *run(input) {
        yield { type: 'run.started', v: 1, run_id: 'run_ap', thread_id: input.thread_id };
        yield { type: 'approval.requested', v: 1, run_id: 'run_ap', approval_id: 'ap_1', tool_call_id: 'c1', name: 'refund', arguments: {} };
        yield { type: 'run.completed', v: 1, run_id: 'run_ap', stop_reason: 'awaiting_approval' };
      },
    });

  it('the same decision (its reply lost) answers the same continuation, replayed; the backend decides once', async () => {
    const backend = approvalRun();
    const s = await startSupport({ backend });
    try {
      const cookie = await visitor(s.endpoint);
      await readUntilCut(await postJson(`${s.endpoint}/runs`, body(), { cookie }));
      const decide = (decision: string, stream = true) => postJson(`${s.endpoint}/runs/run_ap/approvals/ap_1`, { decision, stream }, { cookie });
      const first = completeFrames(await readUntilCut(await decide('approve')));
      const again = await decide('approve');
      assert.equal(again.status, 200);
      const repeated = completeFrames(await readUntilCut(again));
      assert.deepEqual(
        repeated.map((f) => [f.id, f.event]),
        [
          ['4', 'message.delta'],
          ['5', 'run.completed'],
        ],
      );
      assert.deepEqual(repeated, first);
      const json = (await (await decide('approve', false)).json()) as { run_id: string; output: { content: string }[] };
      assert.equal(json.run_id, 'run_ap');
      assert.equal(backend.calls.approvals.length, 1, 'one decision reached the backend');
      // Another decision for the decided approval: refused, saying what was decided.
      const other = await decide('deny');
      assert.equal(other.status, 409);
      const error = await errorOf(other);
      assert.equal(error.code, 'conflict');
      assert.match(error.message, /already approved/);
      // Another visitor's decision for this run is theirs to be refused by the backend, not a replay.
      const stranger = await visitor(s.endpoint);
      await postJson(`${s.endpoint}/runs/run_ap/approvals/ap_1`, { decision: 'approve' }, { cookie: stranger }).then((r) => r.arrayBuffer());
      assert.equal(backend.calls.approvals.length, 2);
    } finally {
      await s.close();
    }
  });

  it('a decision the backend refused is not remembered: sending it again asks the backend again', async () => {
    let refuse = true;
    const backend = scriptedBackend({
      ...approvalRun(),
      approve(input) {
        if (refuse) throw new SupportError('unavailable', 'Try again.');
        return (async function* (): AsyncGenerator<RunEvent> {
          yield { type: 'run.completed', v: 1, run_id: input.run_id, stop_reason: 'end_turn' };
        })();
      },
    });
    const s = await startSupport({ backend });
    try {
      const cookie = await visitor(s.endpoint);
      await readUntilCut(await postJson(`${s.endpoint}/runs`, body(), { cookie }));
      const decide = () => postJson(`${s.endpoint}/runs/run_ap/approvals/ap_1`, { decision: 'deny' }, { cookie });
      assert.equal((await decide()).status, 503);
      refuse = false;
      const frames = completeFrames(await readUntilCut(await decide()));
      assert.deepEqual(
        frames.map((f) => [f.id, f.event]),
        [['4', 'run.completed']],
      );
    } finally {
      await s.close();
    }
  });
});

describe('Idempotency-Key on POST /runs', () => {
  it('a repeat while the run streams, and after it ended, replays the same run from the start and starts nothing', async () => {
    const { backend, release } = gatedBackend();
    const s = await startSupport({ backend });
    try {
      const cookie = await visitor(s.endpoint);
      const headers = { cookie, 'idempotency-key': 'turn-1' };
      const original = await postJson(`${s.endpoint}/runs`, body(), headers);
      const { reader } = await firstFrames(original, 2);
      const repeat = await postJson(`${s.endpoint}/runs`, body(), headers);
      const { frames: repeated, reader: repeatReader } = await firstFrames(repeat, 2);
      assert.deepEqual(
        repeated.map((f) => [f.id, f.data['run_id']]),
        [
          ['1', 'run_g1'],
          ['2', 'run_g1'],
        ],
      );
      release();
      while (!(await reader.read()).done);
      while (!(await repeatReader.read()).done);
      const later = completeFrames(await readUntilCut(await postJson(`${s.endpoint}/runs`, { ...body(), stream: true }, headers)));
      assert.equal(deltasOf(later), 'AB');
      const json = (await (await postJson(`${s.endpoint}/runs`, { ...body(), stream: false }, headers)).json()) as { run_id: string; output: { content: string }[] };
      assert.equal(json.run_id, 'run_g1');
      assert.equal(backend.calls.runs.length, 1, 'one run upstream');
      // The same key of another visitor is another turn.
      const stranger = await visitor(s.endpoint);
      const theirs = postJson(`${s.endpoint}/runs`, body(), { cookie: stranger, 'idempotency-key': 'turn-1' });
      await new Promise((r) => setTimeout(r, 50));
      release();
      assert.equal(completeFrames(await readUntilCut(await theirs))[0]!.data['run_id'], 'run_g2');
    } finally {
      release();
      await s.close();
    }
  });

  it('answers 422 idempotency_conflict for the same key with another body, and 400 for a malformed key', async () => {
    const s = await startSupport({ backend: scriptedBackend() });
    try {
      const cookie = await visitor(s.endpoint);
      await readUntilCut(await postJson(`${s.endpoint}/runs`, body('th_1', 'first'), { cookie, 'idempotency-key': 'k-1' }));
      for (const other of [body('th_1', 'second'), body('th_2', 'first')]) {
        const error = await errorOf(await postJson(`${s.endpoint}/runs`, other, { cookie, 'idempotency-key': 'k-1' }));
        assert.deepEqual([error.status, error.code], [422, 'idempotency_conflict']);
        assert.match(error.message, /different message/);
      }
      for (const bad of ['', 'x'.repeat(201), 'has space', 'ümlaut']) {
        const res = await fetch(`${s.endpoint}/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'idempotency-key': bad },
          body: JSON.stringify(body()),
        }).catch(() => null);
        if (!res) continue; // a header value fetch itself refuses to send
        const error = await errorOf(res);
        assert.deepEqual([error.status, error.code], [400, 'invalid_request'], JSON.stringify(bad));
        assert.match(error.message, /Idempotency-Key must be 1 to 200 visible ASCII characters/);
      }
    } finally {
      await s.close();
    }
  });

  it('a key whose first request failed before its run started can be retried', async () => {
    let fail = true;
    const s = await startSupport({
      onError: () => {},
      backend: scriptedBackend({
        async *run(input) {
          if (fail) throw new Error('upstream down');
          yield { type: 'run.started', v: 1, run_id: 'run_r', thread_id: input.thread_id };
          yield { type: 'run.completed', v: 1, run_id: 'run_r', stop_reason: 'end_turn' };
        },
      }),
    });
    try {
      const cookie = await visitor(s.endpoint);
      const headers = { cookie, 'idempotency-key': 'retry-me' };
      assert.equal((await postJson(`${s.endpoint}/runs`, body(), headers)).status, 500);
      fail = false;
      const frames = completeFrames(await readUntilCut(await postJson(`${s.endpoint}/runs`, body(), headers)));
      assert.deepEqual(
        frames.map((f) => f.event),
        ['run.started', 'run.completed'],
      );
    } finally {
      await s.close();
    }
  });
});

describe('production mode and the run log', () => {
  it('refuses the in-memory run log in production unless singleInstance', () => {
    const base = { backend: scriptedBackend(), production: true, cookie: { secret: 'x'.repeat(40) } };
    const shared = { rateLimit: {} as never, concurrency: {} as never, runBus: {} as never };
    assert.throws(() => createSupportHandler({ ...base, stores: shared }), /stores\.runLog would be kept in this process's memory/);
    assert.doesNotThrow(() => createSupportHandler({ ...base, stores: { ...shared, runLog: new InMemoryRunLogStore() } }));
    assert.doesNotThrow(() => createSupportHandler({ ...base, singleInstance: true }));
  });
});
