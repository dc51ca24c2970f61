import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSupportHandler, type TurnContext } from '../../../src/backends/core/index.js';
import { EVENT_FRAMES, eventStreamResponse, UPSTREAM_ACTIVITY, type EventFrames } from '../../../src/backends/core/event-stream-response.js';
import { formatEvent } from '../../../src/protocol/sse-writer.js';
import type { RunEvent } from '../../../src/protocol/types.js';
import { SECRET, scriptedBackend } from './support-test-kit.js';

// The portable path: the Fetch handler called directly, its body read as a web stream (no Node
// adapter, which takes the frames as strings instead — covered by the served tests).

const runRequest = () =>
  new Request('http://localhost/api/support/runs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ thread_id: 'chat_1', input: [{ role: 'user', content: 'hi' }] }),
  });

const options = () => ({ pingIntervalMs: 60_000, headers: new Headers(), abort: new AbortController(), onError: () => {} });

async function* events(list: RunEvent[]): AsyncGenerator<RunEvent> {
  for (const e of list) yield e;
}

describe('event-stream response: the portable body', () => {
  it('streams the frames through response.body, byte for byte as formatEvent writes them', async () => {
    const handler = createSupportHandler({ backend: scriptedBackend(), basePath: '/api/support', rateLimit: false, cookie: { secret: SECRET } });
    const res = await handler(runRequest());
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(
      await res.text(),
      'id: 1\nevent: run.started\ndata: {"v":1,"run_id":"run_1","thread_id":"chat_1"}\n\n' +
        'id: 2\nevent: message.delta\ndata: {"v":1,"run_id":"run_1","delta":"You said: "}\n\n' +
        'id: 3\nevent: message.delta\ndata: {"v":1,"run_id":"run_1","delta":"hi"}\n\n' +
        'id: 4\nevent: run.completed\ndata: {"v":1,"run_id":"run_1","stop_reason":"end_turn"}\n\n',
    );
  });

  it('writes events whose keys come in any order, or with odd characters, exactly as formatEvent does', async () => {
    const odd: RunEvent[] = [
      { v: 1, run_id: 'r', type: 'run.started', thread_id: 't' } as RunEvent,
      { type: 'message.delta', v: 1, run_id: 'r"\n\u2028', delta: 'a "quoted"\nline ✓' },
      { run_id: 'r', type: 'message.delta', delta: '', v: 1 } as RunEvent,
      { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' },
    ];
    const [first, ...rest] = odd;
    const res = eventStreamResponse(first!, events(rest), options());
    assert.equal(await res.text(), odd.map(formatEvent).join(''));
  });

  it('cancelling the body leaves the run going: the backend is not aborted and its reply can be resumed', async () => {
    let signal: AbortSignal | undefined;
    let go!: () => void;
    const gate = new Promise<void>((resolve) => (go = resolve));
    const backend = scriptedBackend({
      run: (_input, ctx: TurnContext) =>
        (async function* (): AsyncGenerator<RunEvent> {
          signal = ctx.signal;
          yield { type: 'run.started', v: 1, run_id: 'r', thread_id: 'chat_1' };
          await gate;
          yield { type: 'message.delta', v: 1, run_id: 'r', delta: 'still here' };
          yield { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' };
        })(),
    });
    const handler = createSupportHandler({ backend, basePath: '/api/support', rateLimit: false, cookie: { secret: SECRET } });
    const res = await handler(runRequest());
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    assert.match(new TextDecoder().decode(value), /^id: 1\nevent: run\.started\n/);
    await reader.cancel();
    go();
    assert.equal(signal?.aborted, false);
    const resumed = await handler(new Request('http://localhost/api/support/runs/r/events', { headers: { cookie, 'last-event-id': '1' } }));
    assert.equal(
      await resumed.text(),
      'id: 2\nevent: message.delta\ndata: {"v":1,"run_id":"r","delta":"still here"}\n\n' + 'id: 3\nevent: run.completed\ndata: {"v":1,"run_id":"r","stop_reason":"end_turn"}\n\n',
    );
  });

  it('hands the frames to one consumer only: a read body keeps them, a claimed body is empty', async () => {
    const list: RunEvent[] = [
      { type: 'run.started', v: 1, run_id: 'r', thread_id: 't' },
      { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' },
    ];
    const read = eventStreamResponse(list[0]!, events(list.slice(1)), options());
    const reader = read.body!.getReader();
    await reader.read();
    const late = (read as unknown as Record<symbol, EventFrames>)[EVENT_FRAMES]!;
    assert.equal(late.claim({ write: () => {}, close: () => {} }), false);
    await reader.cancel(); // ends the stream (and its ping timer)

    const claimed = eventStreamResponse(list[0]!, events(list.slice(1)), options());
    const frames = (claimed as unknown as Record<symbol, EventFrames>)[EVENT_FRAMES]!;
    const written: string[] = [];
    assert.equal(frames.claim({ write: (f) => void written.push(f), close: () => {} }), true);
    await frames.pump();
    assert.deepEqual(written, list.map(formatEvent));
    assert.equal(await claimed.text(), '', 'the body stream does not repeat the claimed frames');
  });

  it('a backend error after the first event becomes run.failed on either path', async () => {
    const failing = () =>
      // A generator, not an async function: the error must come from the stream's first step.
      // eslint-disable-next-line require-yield
      (async function* (): AsyncGenerator<RunEvent> {
        throw new Error('boom');
      })();
    const first: RunEvent = { type: 'run.started', v: 1, run_id: 'r', thread_id: 't' };
    const viaBody = await eventStreamResponse(first, failing(), options()).text();
    const frames = (eventStreamResponse(first, failing(), options()) as unknown as Record<symbol, EventFrames>)[EVENT_FRAMES]!;
    let viaClaim = '';
    frames.claim({ write: (f) => void (viaClaim += f), close: () => {} });
    await frames.pump();
    assert.match(viaBody, /event: run\.failed\ndata: \{"v":1,"run_id":"r","error":\{"code":"internal_error"/);
    assert.equal(viaClaim, viaBody);
  });
});

describe('event-stream response: keep-alive pings follow the upstream', () => {
  /** An iterator that yields nothing until closed; `activity` is its liveness signal, if any. */
  function silent(activity?: () => number | undefined): AsyncIterator<RunEvent> {
    let release: (() => void) | undefined;
    const iterator: AsyncIterator<RunEvent> & Record<symbol, unknown> = {
      next: () => new Promise<IteratorResult<RunEvent>>((resolve) => (release = () => resolve({ done: true, value: undefined }))),
      return: async () => {
        release?.();
        return { done: true, value: undefined };
      },
    };
    if (activity) iterator[UPSTREAM_ACTIVITY] = activity;
    return iterator;
  }

  /** The body's text over `ms`, then the stream is cancelled. */
  async function textFor(iterator: AsyncIterator<RunEvent>, ms: number): Promise<string> {
    const res = eventStreamResponse({ type: 'run.started', v: 1, run_id: 'r', thread_id: 't' }, iterator, { ...options(), pingIntervalMs: 20 });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const stop = setTimeout(() => void reader.cancel(), ms);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    clearTimeout(stop);
    return text;
  }

  it('a source without a liveness signal is pinged as before', async () => {
    assert.match(await textFor(silent(), 300), /: ping/);
  });

  it('a source whose upstream is heard from keeps being pinged', async () => {
    assert.match(
      await textFor(
        silent(() => Date.now()),
        300,
      ),
      /: ping/,
    );
  });

  it('a source whose upstream went silent gets no ping (the stall shows in the browser)', async () => {
    const since = Date.now() - 1_000;
    assert.doesNotMatch(
      await textFor(
        silent(() => since),
        300,
      ),
      /: ping/,
    );
  });

  it('a signal answering undefined counts as no signal', async () => {
    assert.match(
      await textFor(
        silent(() => undefined),
        300,
      ),
      /: ping/,
    );
  });
});
