// Chromium's fetch body queues every network chunk separately, so a reply whose events are written
// one by one (as protocol v1 requires) arrives as one small chunk per event. Reading the stream at
// most every `readInterval` must still take everything queued meanwhile; one chunk per read fell
// behind any stream faster than 1000/readInterval events a second, and the reply lagged ever more.
import { expect } from '@open-wc/testing';
import { parseEventBatches } from '../../../src/protocol/sse-parser.js';
import { ProtocolV1Transport } from '../../../src/widget/state/transport.js';

const utf8 = new TextEncoder();

describe('reading a reply stream at an interval', () => {
  it('takes every chunk already queued in one read step', async () => {
    const events = Array.from({ length: 30 }, (_, i) => `event: message.delta\ndata: {"i":${i}}\n\n`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const e of events) controller.enqueue(utf8.encode(e));
        controller.close();
      },
    });
    const batches: number[] = [];
    for await (const batch of parseEventBatches(body, { readInterval: 60 })) batches.push(batch.length);
    expect(batches.reduce((a, b) => a + b, 0)).to.equal(30);
    // One chunk per 60 ms read would be 30 batches over 1.7 s.
    expect(batches.length).to.equal(1);
  });

  it('keeps up with a real HTTP stream faster than one event per interval', async () => {
    // The reference handler (its `Cache-Control: no-cache` is what makes Chromium hand each event
    // over as its own chunk) with the local backend's slow reply: one word every 100 ms. Reading
    // every 300 ms, one chunk per read would need at least 19 × 300 ms for the first 20 words.
    const transport = new ProtocolV1Transport('/api/support', { readInterval: 300 });
    const controller = new AbortController();
    const request = { thread_id: `chat_stream_reads_${Date.now()}`, input: [{ role: 'user' as const, content: 'slow reply please' }], stream: true };
    let text = '';
    let first = 0;
    let elapsed = 0;
    try {
      for await (const event of transport.startRun(request, { signal: controller.signal })) {
        if (event.type !== 'message.delta') continue;
        text += event.delta;
        if (!first) first = performance.now();
        if (text.trim().split(/\s+/).length >= 20) {
          elapsed = performance.now() - first;
          break;
        }
      }
    } finally {
      controller.abort();
    }
    expect(text).to.match(/^Here is a deliberately slow reply/);
    // The server needs 1.9 s for these words; reading adds at most one interval.
    expect(elapsed, `20 words took ${Math.round(elapsed)} ms`).to.be.within(1, 4500);
  });
});
