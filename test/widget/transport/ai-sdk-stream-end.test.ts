// A finished AI SDK reply is read to the end of its body (`finish`, then `[DONE]`, then EOF): a body
// cancelled at `finish` was a failed request (net::ERR_ABORTED, "(canceled)") in every turn's network
// log. Stop still cancels. The route (test/support/ai-sdk-route.ts) holds each body open `linger` ms
// after its last byte and records whether the client took it to the end or cancelled it.
import { expect, oneEvent } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { RunEvent } from '../../../src/protocol/types.js';
import { AiSdkTransport } from '../../../src/widget/transport/ai-sdk-transport.js';
import { parts } from '../support/dom.js';
import { aiSdkChat, typeAndSend } from '../support/ai-sdk-chat.js';

const LINGER_MS = 2000;
let counter = 0;
const newThread = () => `chat_aisdk_end_${Date.now()}_${++counter}`;

type StreamEnd = 'open' | 'consumed' | 'cancelled';

async function streamEnds(threadId: string): Promise<StreamEnd[]> {
  return (await (await fetch(`/api/ai-sdk/streams?id=${encodeURIComponent(threadId)}`)).json()) as StreamEnd[];
}

/** The route's record once every body of the thread has ended (or the time is up). */
async function settledEnds(threadId: string, timeoutMs = 5000): Promise<StreamEnd[]> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const ends = await streamEnds(threadId);
    if ((ends.length > 0 && !ends.includes('open')) || performance.now() > until) return ends;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A `fetch` whose response bodies log, in the browser, whether they were read to the end or cancelled. */
function watchingFetch(log: string[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    const reader = response.body.getReader();
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        // A read pending when the body is cancelled resolves as done: that is not the end.
        if (cancelled) return;
        if (done) {
          log.push('end');
          controller.close();
        } else {
          controller.enqueue(value);
        }
      },
      cancel(reason) {
        cancelled = true;
        log.push('cancel');
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!condition() && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
}

// The route's module (the `ai` package) loads on first use: not inside a timed turn.
before(async () => {
  await streamEnds('warm-up');
});

describe('AiSdkTransport: the end of a reply body', () => {
  it('reads a finished reply to the end of its body, yet ends the turn at `finish`', async () => {
    const log: string[] = [];
    const transport = new AiSdkTransport(`/api/ai-sdk/chat?linger=${LINGER_MS}`, { fetch: watchingFetch(log) });
    const thread = newThread();
    const events: RunEvent[] = [];
    for await (const e of transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'Hello there' }] }, { signal: new AbortController().signal })) {
      events.push(e);
    }
    expect(events.at(-1)!.type).to.equal('run.completed');
    // The body stays open LINGER_MS after `[DONE]`: the turn ended without waiting for that.
    expect(await streamEnds(thread)).to.deep.equal(['open']);
    expect(log).to.deep.equal([]);

    expect(await settledEnds(thread)).to.deep.equal(['consumed']);
    await until(() => log.length > 0);
    expect(log).to.deep.equal(['end']);
  });

  it('reads to the end when the consumer stops iterating at run.completed (as the store does)', async () => {
    const log: string[] = [];
    const transport = new AiSdkTransport(`/api/ai-sdk/chat?linger=${LINGER_MS}`, { fetch: watchingFetch(log) });
    const thread = newThread();
    for await (const e of transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'Where is my order?' }] }, { signal: new AbortController().signal })) {
      if (e.type === 'run.completed') break;
    }
    expect(await settledEnds(thread)).to.deep.equal(['consumed']);
    await until(() => log.length > 0);
    expect(log).to.deep.equal(['end']);
  });

  it('reads a paused reply (awaiting approval) and its continuation to the end', async () => {
    const transport = new AiSdkTransport(`/api/ai-sdk/chat?linger=300`);
    const thread = newThread();
    let approval: Extract<RunEvent, { type: 'approval.requested' }> | undefined;
    for await (const e of transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'Open a ticket please' }] }, { signal: new AbortController().signal })) {
      if (e.type === 'approval.requested') approval = e;
    }
    expect(approval).to.exist;
    for await (const e of transport.continueRun(approval!.run_id, approval!.approval_id, 'approve', { signal: new AbortController().signal })) void e;
    expect(await settledEnds(thread)).to.deep.equal(['consumed', 'consumed']);
  });

  it('reads a failed reply (an `error` chunk) to the end too', async () => {
    const transport = new AiSdkTransport(`/api/ai-sdk/chat?linger=300`);
    const thread = newThread();
    const events: RunEvent[] = [];
    for await (const e of transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'please fail' }] }, { signal: new AbortController().signal })) events.push(e);
    expect(events.at(-1)!.type).to.equal('run.failed');
    expect(await settledEnds(thread)).to.deep.equal(['consumed']);
  });

  it('Stop still cancels the body mid-reply', async () => {
    const log: string[] = [];
    const transport = new AiSdkTransport('/api/ai-sdk/chat', { fetch: watchingFetch(log) });
    const thread = newThread();
    const controller = new AbortController();
    let caught: unknown;
    try {
      for await (const e of transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'slow please' }] }, { signal: controller.signal })) {
        if (e.type === 'message.delta') controller.abort();
      }
    } catch (err) {
      caught = err;
    }
    expect(caught, 'the aborted turn rejects').to.exist;
    expect(await settledEnds(thread)).to.deep.equal(['cancelled']);
    expect(log).to.not.include('end');
  });

  it('a consumer that leaves mid-reply (without Stop) cancels the body', async () => {
    const log: string[] = [];
    const transport = new AiSdkTransport('/api/ai-sdk/chat', { fetch: watchingFetch(log) });
    const thread = newThread();
    for await (const e of transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'slow please' }] }, { signal: new AbortController().signal })) {
      if (e.type === 'message.delta') break;
    }
    expect(await settledEnds(thread)).to.deep.equal(['cancelled']);
    await until(() => log.length > 0);
    expect(log).to.deep.equal(['cancel']);
  });
});

describe('<ic-support-chat protocol="ai-sdk">: the end of a reply body', () => {
  it('completes the turn at `finish` and still reads the body to its end', async () => {
    const el = await aiSdkChat(`/api/ai-sdk/chat?linger=${LINGER_MS}`);
    const startedEvent = oneEvent(el, 'ic-run-start');
    const completed = oneEvent(el, 'ic-run-complete');
    await typeAndSend(el, 'Hello widget');
    const thread = ((await startedEvent) as CustomEvent<{ threadId: string }>).detail.threadId;
    expect((await completed).detail.stopReason).to.equal('end_turn');
    expect(await streamEnds(thread), 'the turn ended while the body was still open').to.deep.equal(['open']);
    expect(await settledEnds(thread)).to.deep.equal(['consumed']);
  });

  it('Stop cancels the reply body', async () => {
    const el = await aiSdkChat('/api/ai-sdk/chat');
    const startedEvent = oneEvent(el, 'ic-run-start');
    const stopped = oneEvent(el, 'ic-run-complete');
    // Stop as the first words arrive, with the button a visitor would press.
    const off = el.store.on('delta', () => {
      off();
      parts(el).stopButton()!.click();
    });
    await typeAndSend(el, 'slow please');
    const thread = ((await startedEvent) as CustomEvent<{ threadId: string }>).detail.threadId;
    expect((await stopped).detail.stopReason).to.equal('cancelled');
    expect(await settledEnds(thread)).to.deep.equal(['cancelled']);
  });
});
