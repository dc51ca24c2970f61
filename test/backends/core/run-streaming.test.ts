import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SupportError } from '../../../src/backends/core/index.js';
import type { RunEvent, RunResult } from '../../../src/protocol/types.js';
import { parseFrames, postJson, scriptedBackend, startSupport } from './support-test-kit.js';

const body = (extra: Record<string, unknown> = {}) => ({ thread_id: 'chat_1', input: [{ role: 'user', content: 'hi' }], ...extra });

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function postJsonWith(url: string, payload: unknown, signal: AbortSignal): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal });
}

/** Reads a streamed body frame by frame as the bytes arrive. */
function frameReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    reader,
    async next(): Promise<string | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 2);
          return frame;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe('streaming runs (SSE)', () => {
  it('streams v1 frames with the SSE headers', async () => {
    const s = await startSupport({ backend: scriptedBackend() });
    try {
      const res = await postJson(`${s.endpoint}/runs`, body());
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'no-cache, no-transform');
      assert.equal(res.headers.get('x-accel-buffering'), 'no');
      assert.match(res.headers.getSetCookie()[0]!, /^ic_visitor=/, 'a first-time visitor gets its cookie on the stream');
      const text = await res.text();
      assert.equal(
        text,
        'id: 1\nevent: run.started\ndata: {"v":1,"run_id":"run_1","thread_id":"chat_1"}\n\n' +
          'id: 2\nevent: message.delta\ndata: {"v":1,"run_id":"run_1","delta":"You said: "}\n\n' +
          'id: 3\nevent: message.delta\ndata: {"v":1,"run_id":"run_1","delta":"hi"}\n\n' +
          'id: 4\nevent: run.completed\ndata: {"v":1,"run_id":"run_1","stop_reason":"end_turn"}\n\n',
      );
    } finally {
      await s.close();
    }
  });

  it('sends each event as it is produced: the first arrives while the backend is still waiting', async () => {
    const release = deferred();
    let finished = false;
    const s = await startSupport({
      backend: scriptedBackend({
        async *run(input) {
          yield { type: 'run.started', v: 1, run_id: 'r', thread_id: input.thread_id };
          await release.promise; // only resolved once the test has read the first event
          yield { type: 'message.delta', v: 1, run_id: 'r', delta: 'late' };
          yield { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' };
          finished = true;
        },
      }),
    });
    try {
      const frames = frameReader(await postJson(`${s.endpoint}/runs`, body()));
      const first = await frames.next();
      assert.match(first!, /^id: 1\nevent: run.started\n/);
      assert.equal(finished, false);
      release.resolve();
      assert.match((await frames.next())!, /"delta":"late"/);
      assert.match((await frames.next())!, /run.completed/);
      assert.equal(await frames.next(), null);
      assert.equal(finished, true);
    } finally {
      release.resolve();
      await s.close();
    }
  });

  it('writes `: ping` comments while the backend is idle', async () => {
    const release = deferred();
    const s = await startSupport({
      pingIntervalMs: 30,
      backend: scriptedBackend({
        async *run() {
          yield { type: 'run.started', v: 1, run_id: 'r', thread_id: 't' };
          await release.promise;
          yield { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' };
        },
      }),
    });
    try {
      const frames = frameReader(await postJson(`${s.endpoint}/runs`, body()));
      await frames.next();
      assert.equal(await frames.next(), ': ping\n\n');
      assert.equal(await frames.next(), ': ping\n\n');
      release.resolve();
      let rest = '';
      for (let f = await frames.next(); f !== null; f = await frames.next()) rest += f;
      assert.match(rest, /event: run.completed/);
    } finally {
      release.resolve();
      await s.close();
    }
  });

  it('leaves TurnContext.signal alone when the client disconnects: the run finishes and the rest can be resumed', async () => {
    const release = deferred();
    let signal: AbortSignal | undefined;
    let finished = false;
    const s = await startSupport({
      backend: scriptedBackend({
        async *run(_input, ctx) {
          signal = ctx.signal;
          yield { type: 'run.started', v: 1, run_id: 'r', thread_id: 't' };
          yield { type: 'message.delta', v: 1, run_id: 'r', delta: 'one ' };
          await release.promise;
          yield { type: 'message.delta', v: 1, run_id: 'r', delta: 'two' };
          yield { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' };
          finished = true;
        },
      }),
    });
    try {
      const controller = new AbortController();
      const live = await postJsonWith(`${s.endpoint}/runs`, body(), controller.signal);
      const cookie = live.headers.getSetCookie()[0]!.split(';')[0]!;
      const frames = frameReader(live);
      assert.match((await frames.next())!, /^id: 1\n/);
      assert.match((await frames.next())!, /^id: 2\n/);
      controller.abort();
      await new Promise((r) => setTimeout(r, 50));
      release.resolve();
      const resumed = await fetch(`${s.endpoint}/runs/r/events`, { headers: { cookie, 'last-event-id': '2' } });
      assert.equal(resumed.status, 200);
      const rest = parseFrames(await resumed.text());
      assert.deepEqual(
        rest.map((f) => f.event),
        ['message.delta', 'run.completed'],
      );
      assert.equal(finished, true);
      assert.equal(signal!.aborted, false, 'nothing stopped the backend');
    } finally {
      release.resolve();
      await s.close();
    }
  });

  it('a browser that stops reading for a while still gets every event once, in order (the stream waits for its socket, the run does not)', { timeout: 20_000 }, async () => {
    // 1,500 events of 2 KB: far more than the socket buffers hold, so writes report "full" and the
    // stream waits for drain while the run goes on recording.
    const filler = 'x'.repeat(2048);
    let finished = false;
    const s = await startSupport({
      backend: scriptedBackend({
        async *run(input) {
          yield { type: 'run.started', v: 1, run_id: 'r_slow', thread_id: input.thread_id };
          for (let i = 0; i < 1500; i++) {
            yield { type: 'message.delta', v: 1, run_id: 'r_slow', delta: `${i}:${filler}` };
            if (i % 100 === 0) await new Promise((r) => setTimeout(r, 1));
          }
          yield { type: 'run.completed', v: 1, run_id: 'r_slow', stop_reason: 'end_turn' };
          finished = true;
        },
      }),
    });
    try {
      const res = await postJson(`${s.endpoint}/runs`, body());
      const reader = res.body!.getReader();
      const first = await reader.read();
      // Not reading while the run records the rest.
      for (let i = 0; i < 100 && !finished; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(finished, true, 'the run did not wait for the browser');
      let text = new TextDecoder().decode(first.value);
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      assert.deepEqual(
        ids,
        Array.from({ length: 1502 }, (_, i) => i + 1),
      );
      const deltas = parseFrames(text)
        .filter((f) => f.event === 'message.delta')
        .map((f) => (f.data as { delta: string }).delta);
      assert.deepEqual(
        deltas,
        Array.from({ length: 1500 }, (_, i) => `${i}:${filler}`),
      );
    } finally {
      await s.close();
    }
  });

  it('a backend that never awaits neither starves the server nor outlives a Stop', { timeout: 10_000 }, async () => {
    const closed = deferred();
    let signal: AbortSignal | undefined;
    const s = await startSupport({
      backend: scriptedBackend({
        // Ignores its signal on purpose: only iterator.return() can stop it.
        async *run(_input, ctx) {
          signal = ctx.signal;
          try {
            yield { type: 'run.started', v: 1, run_id: 'r', thread_id: 't' };
            for (;;) yield { type: 'message.delta', v: 1, run_id: 'r', delta: '.' };
          } finally {
            closed.resolve();
          }
        },
      }),
    });
    try {
      const client = new AbortController();
      const res = await postJsonWith(`${s.endpoint}/runs`, body(), client.signal);
      const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
      const frames = frameReader(res);
      assert.match((await frames.next())!, /run.started/);
      client.abort();
      // The server still answers while the run spins.
      const session = await postJson(`${s.endpoint}/session`, {}, { cookie });
      assert.equal(session.status, 200);
      assert.equal(signal!.aborted, false);
      const cancel = await postJson(`${s.endpoint}/runs/r/cancel`, {}, { cookie });
      assert.equal(cancel.status, 200);
      await closed.promise;
      assert.equal(signal!.aborted, true);
    } finally {
      await s.close();
    }
  });

  it('turns a backend error after output into a run.failed event, then closes', async () => {
    const errors: unknown[] = [];
    const s = await startSupport({
      onError: (e) => errors.push(e),
      backend: scriptedBackend({
        async *run() {
          yield { type: 'run.started', v: 1, run_id: 'r5', thread_id: 't' };
          yield { type: 'message.delta', v: 1, run_id: 'r5', delta: 'partial' };
          throw new Error('upstream exploded with secret details');
        },
      }),
    });
    try {
      const res = await postJson(`${s.endpoint}/runs`, body());
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.doesNotMatch(text, /secret details/);
      const frames = parseFrames(text);
      assert.deepEqual(
        frames.map((f) => f.event),
        ['run.started', 'message.delta', 'run.failed'],
      );
      assert.deepEqual(frames[2]!.data, {
        v: 1,
        run_id: 'r5',
        error: { code: 'internal_error', message: 'Something went wrong on the server. Please try again.' },
      });
      assert.equal(errors.length, 1);
    } finally {
      await s.close();
    }
  });

  it('keeps a SupportError message in run.failed', async () => {
    const s = await startSupport({
      onError: () => {},
      backend: scriptedBackend({
        async *run() {
          yield { type: 'run.started', v: 1, run_id: 'r6', thread_id: 't' };
          throw new SupportError('upstream_error', 'The assistant service timed out.');
        },
      }),
    });
    try {
      const frames = parseFrames(await (await postJson(`${s.endpoint}/runs`, body())).text());
      assert.deepEqual(frames.at(-1), {
        event: 'run.failed',
        data: { v: 1, run_id: 'r6', error: { code: 'upstream_error', message: 'The assistant service timed out.' } },
      });
    } finally {
      await s.close();
    }
  });
});

describe('stream:false', () => {
  const toolRun = async function* (): AsyncGenerator<RunEvent> {
    yield { type: 'run.started', v: 1, run_id: 'r7', thread_id: 'chat_1', files: [{ file_id: 'f1', filename: 'a.png', media_type: 'image/png', size: 3 }] };
    yield { type: 'message.delta', v: 1, run_id: 'r7', delta: 'Let me ' };
    yield { type: 'tool_call.started', v: 1, run_id: 'r7', tool_call_id: 'tc1', name: 'lookup_order', arguments: { id: 42 } };
    yield { type: 'tool_call.completed', v: 1, run_id: 'r7', tool_call_id: 'tc1', name: 'lookup_order', output: { status: 'shipped' } };
    yield { type: 'message.delta', v: 1, run_id: 'r7', delta: 'check.' };
    yield { type: 'approval.requested', v: 1, run_id: 'r7', approval_id: 'ap1', tool_call_id: 'tc2', name: 'open_ticket', arguments: {}, reason: 'Needs your OK' };
    yield { type: 'run.completed', v: 1, run_id: 'r7', stop_reason: 'awaiting_approval' };
  };

  it('answers one RunResult JSON gathering text, tool calls, approvals and files', async () => {
    const s = await startSupport({ backend: scriptedBackend({ run: toolRun }) });
    try {
      const res = await postJson(`${s.endpoint}/runs`, body({ stream: false }));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^application\/json/);
      const result = (await res.json()) as RunResult;
      assert.deepEqual(result, {
        v: 1,
        run_id: 'r7',
        thread_id: 'chat_1',
        status: 'awaiting_approval',
        stop_reason: 'awaiting_approval',
        output: [{ role: 'assistant', content: 'Let me check.' }],
        tool_calls: [{ tool_call_id: 'tc1', name: 'lookup_order', arguments: { id: 42 }, output: { status: 'shipped' } }],
        approvals: [{ approval_id: 'ap1', tool_call_id: 'tc2', name: 'open_ticket', arguments: {}, reason: 'Needs your OK' }],
        files: [{ file_id: 'f1', filename: 'a.png', media_type: 'image/png', size: 3 }],
      });
    } finally {
      await s.close();
    }
  });

  it('reports a run that ends without run.completed as failed', async () => {
    const s = await startSupport({
      backend: scriptedBackend({
        async *run() {
          yield { type: 'message.delta', v: 1, run_id: 'r9', delta: 'cut' };
        },
      }),
    });
    try {
      const result = (await (await postJson(`${s.endpoint}/runs`, body({ stream: false }))).json()) as RunResult;
      assert.equal(result.run_id, 'r9');
      assert.equal(result.status, 'failed');
      assert.equal(result.error?.code, 'upstream_error');
    } finally {
      await s.close();
    }
  });

  it('reports a failure part-way as status "failed" with the partial text', async () => {
    const s = await startSupport({
      onError: () => {},
      backend: scriptedBackend({
        async *run() {
          yield { type: 'run.started', v: 1, run_id: 'r8', thread_id: 'chat_1' };
          yield { type: 'message.delta', v: 1, run_id: 'r8', delta: 'half' };
          throw new SupportError('upstream_error', 'Lost the upstream.');
        },
      }),
    });
    try {
      const result = (await (await postJson(`${s.endpoint}/runs`, body({ stream: false }))).json()) as RunResult;
      assert.equal(result.status, 'failed');
      assert.equal(result.output[0]!.content, 'half');
      assert.deepEqual(result.error, { code: 'upstream_error', message: 'Lost the upstream.' });
    } finally {
      await s.close();
    }
  });
});
