import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStreamParser, parseEventStream, type ParseEventStreamOptions, type SseMessage } from '../../src/protocol/sse-parser.js';

const utf8 = new TextEncoder();

/** A body that hands out exactly these chunks, one per read. */
function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const queue = chunks.map((c) => (typeof c === 'string' ? utf8.encode(c) : c));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

async function parse(chunks: (string | Uint8Array)[], options?: ParseEventStreamOptions): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const message of parseEventStream(streamOf(chunks), options)) out.push(message);
  return out;
}

/** Splits bytes into pieces of `size`. */
function pieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

describe('parseEventStream: line ends', () => {
  it('splits lines on LF', async () => {
    assert.deepEqual(await parse(['event: a\ndata: 1\n\ndata: 2\n\n']), [
      { event: 'a', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('splits lines on CR', async () => {
    assert.deepEqual(await parse(['event: a\rdata: 1\r\rdata: 2\r\r']), [
      { event: 'a', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('splits lines on CRLF (one line end, not two)', async () => {
    assert.deepEqual(await parse(['event: a\r\ndata: 1\r\ndata: x\r\n\r\n']), [{ event: 'a', data: '1\nx' }]);
  });

  it('accepts LF, CR and CRLF mixed in one stream', async () => {
    assert.deepEqual(await parse(['data: 1\rdata: 2\ndata: 3\r\n\ndata: 4\r\r\n']), [
      { event: 'message', data: '1\n2\n3' },
      { event: 'message', data: '4' },
    ]);
  });

  it('treats a CR at the end of one chunk and a LF at the start of the next as one line end', async () => {
    // Were the LF taken as a second (blank) line, "a" would be dispatched alone.
    assert.deepEqual(await parse(['data: a\r', '\ndata: b\r', '\n\r', '\n']), [{ event: 'message', data: 'a\nb' }]);
  });

  it('dispatches at a CR without waiting for a possible LF', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8.encode('data: now\r\r'));
        // never closed: the event must come out anyway
      },
    });
    const iterator = parseEventStream(body)[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.deepEqual(first.value, { event: 'message', data: 'now' });
    await iterator.return();
  });

  it('a CR followed by a chunk that does not start with LF ends the line normally', async () => {
    assert.deepEqual(await parse(['data: a\r', 'data: b\r', '\r']), [{ event: 'message', data: 'a\nb' }]);
  });
});

describe('parseEventStream: chunk boundaries', () => {
  it('joins a field name split across chunks', async () => {
    assert.deepEqual(await parse(['ev', 'ent: x\nda', 't', 'a: 1\n', '\n']), [{ event: 'x', data: '1' }]);
  });

  it('keeps multi-byte UTF-8 characters split across chunks whole', async () => {
    const text = 'data: €uro 🎉 ünï\n\n';
    const bytes = utf8.encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const events = await parse([bytes.slice(0, cut), bytes.slice(cut)]);
      assert.deepEqual(events, [{ event: 'message', data: '€uro 🎉 ünï' }], `cut at byte ${cut}`);
    }
    assert.deepEqual(await parse(pieces(bytes, 1)), [{ event: 'message', data: '€uro 🎉 ünï' }]);
  });
});

describe('parseEventStream: BOM', () => {
  it('strips one leading BOM', async () => {
    assert.deepEqual(await parse(['\uFEFFdata: a\n\n']), [{ event: 'message', data: 'a' }]);
  });

  it('strips a leading BOM whose bytes arrive in separate chunks', async () => {
    const bytes = utf8.encode('\uFEFFdata: a\n\n');
    assert.deepEqual(await parse(pieces(bytes, 1)), [{ event: 'message', data: 'a' }]);
  });

  it('strips only one BOM: a second one belongs to the field name (an unknown field)', async () => {
    assert.deepEqual(await parse(['\uFEFF\uFEFFdata: a\n\ndata: b\n\n']), [{ event: 'message', data: 'b' }]);
  });

  it('does not strip a BOM that is not at the start of the stream', async () => {
    assert.deepEqual(await parse(['data: a\n\n\uFEFFdata: b\n\ndata: c\n\n']), [
      { event: 'message', data: 'a' },
      { event: 'message', data: 'c' },
    ]);
  });
});

describe('parseEventStream: fields', () => {
  it('ignores comment lines and reports them through onComment', async () => {
    const comments: string[] = [];
    const events = await parse([': ping\ndata: a\n:no-space\n:\n\n'], { onComment: (c) => comments.push(c) });
    assert.deepEqual(events, [{ event: 'message', data: 'a' }]);
    assert.deepEqual(comments, ['ping', 'no-space', '']);
  });

  it('a comment alone does not dispatch anything', async () => {
    assert.deepEqual(await parse([': ping\n\n: ping\n\n']), []);
  });

  it('treats a line without a colon as a field with an empty value', async () => {
    assert.deepEqual(await parse(['data\n\n']), [{ event: 'message', data: '' }]);
    assert.deepEqual(await parse(['data\ndata\ndata: x\n\n']), [{ event: 'message', data: '\n\nx' }]);
    // `event` with no value → the default type
    assert.deepEqual(await parse(['event: a\nevent\ndata: 1\n\n']), [{ event: 'message', data: '1' }]);
  });

  it('strips exactly one space after the colon', async () => {
    assert.deepEqual(await parse(['data:none\n\n']), [{ event: 'message', data: 'none' }]);
    assert.deepEqual(await parse(['data: one\n\n']), [{ event: 'message', data: 'one' }]);
    assert.deepEqual(await parse(['data:  two\n\n']), [{ event: 'message', data: ' two' }]);
    assert.deepEqual(await parse(['event:  x\ndata:\ttab\n\n']), [{ event: ' x', data: '\ttab' }]);
  });

  it('keeps colons inside the value', async () => {
    assert.deepEqual(await parse(['data: {"a":"b:c"}\n\n']), [{ event: 'message', data: '{"a":"b:c"}' }]);
  });

  it('joins multi-line data with \\n', async () => {
    assert.deepEqual(await parse(['data: one\ndata: two\ndata:\ndata: four\n\n']), [{ event: 'message', data: 'one\ntwo\n\nfour' }]);
  });

  it('ignores unknown fields', async () => {
    assert.deepEqual(await parse(['foo: bar\nData: no\nEVENT: no\ndata: x\nbaz\n\n']), [{ event: 'message', data: 'x' }]);
  });

  it('sets the id, keeps it for later events, and clears it with an empty id', async () => {
    assert.deepEqual(await parse(['id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n']), [
      { event: 'message', data: 'a', id: '7' },
      { event: 'message', data: 'b', id: '7' },
      { event: 'message', data: 'c' },
    ]);
  });

  it('ignores an id that contains NUL', async () => {
    assert.deepEqual(await parse(['id: 1\ndata: a\n\nid: x\u0000y\ndata: b\n\n']), [
      { event: 'message', data: 'a', id: '1' },
      { event: 'message', data: 'b', id: '1' },
    ]);
    assert.deepEqual(await parse(['id: \u0000\ndata: b\n\n']), [{ event: 'message', data: 'b' }]);
  });

  it('reports a valid retry field and ignores an invalid one', async () => {
    const retries: number[] = [];
    await parse(['retry: 1500\nretry: 1.5\nretry: x\nretry\n\n'], { onRetry: (ms) => retries.push(ms) });
    assert.deepEqual(retries, [1500]);
  });
});

describe('parseEventStream: dispatch', () => {
  it('defaults the event type to "message" and resets it after each event', async () => {
    assert.deepEqual(await parse(['event: first\ndata: 1\n\ndata: 2\n\n']), [
      { event: 'first', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('does not dispatch an event without data, and forgets its type', async () => {
    assert.deepEqual(await parse(['event: lonely\n\ndata: x\n\n']), [{ event: 'message', data: 'x' }]);
    assert.deepEqual(await parse(['\n\n\n']), []);
  });

  it('discards an event left open when the stream ends', async () => {
    assert.deepEqual(await parse(['data: done\n\ndata: open\n']), [{ event: 'message', data: 'done' }]);
    assert.deepEqual(await parse(['data: done\n\ndata: no line end']), [{ event: 'message', data: 'done' }]);
    assert.deepEqual(await parse(['event: x\ndata: y']), []);
  });

  it('calls onChunk for every chunk received', async () => {
    const sizes: number[] = [];
    await parse(['data: a', '\n', '\n'], { onChunk: (c) => sizes.push(c.byteLength) });
    assert.deepEqual(sizes, [7, 1, 1]);
  });
});

describe('parseEventStream: any chunking gives the same events', () => {
  const sample =
    '\uFEFF: hello\r\n' +
    'event: run.started\r\ndata: {"v":1,"run_id":"r1"}\r\n\r\n' +
    'retry: 3000\n' +
    'event: message.delta\ndata: {"delta":"Grüße, 世界 🎉"}\n\n' +
    'id: 42\revent: multi\rdata: line one\rdata:  line two\rdata\r\r' +
    ': ping\n\n' +
    'unknown: field\ndata:x\n\n' +
    'event: ignored\n\n' +
    'data: trailing CR\r\n\r' +
    'data: last\r\n\r\n' +
    'data: left open';
  const bytes = utf8.encode(sample);
  const expected: SseMessage[] = [
    { event: 'run.started', data: '{"v":1,"run_id":"r1"}' },
    { event: 'message.delta', data: '{"delta":"Grüße, 世界 🎉"}' },
    { event: 'multi', data: 'line one\n line two\n', id: '42' },
    { event: 'message', data: 'x', id: '42' },
    { event: 'message', data: 'trailing CR', id: '42' },
    { event: 'message', data: 'last', id: '42' },
  ];

  it('in one chunk', async () => {
    assert.deepEqual(await parse([bytes]), expected);
  });

  it('split in two at every byte offset', async () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const events = await parse([bytes.slice(0, cut), bytes.slice(cut)]);
      assert.deepEqual(events, expected, `split at byte ${cut}`);
    }
  });

  it('split into three at many pairs of offsets', async () => {
    for (let a = 0; a <= bytes.length; a += 3) {
      for (let b = a; b <= bytes.length; b += 7) {
        const events = await parse([bytes.slice(0, a), bytes.slice(a, b), bytes.slice(b)]);
        assert.deepEqual(events, expected, `split at bytes ${a} and ${b}`);
      }
    }
  });

  it('in 1-byte chunks', async () => {
    assert.deepEqual(await parse(pieces(bytes, 1)), expected);
  });

  it('through the text-level parser fed one character at a time', () => {
    const out: SseMessage[] = [];
    const parser = new EventStreamParser((m) => out.push(m));
    for (const ch of sample) parser.feed(ch);
    parser.end();
    assert.deepEqual(out, expected);
  });
});

describe('parseEventStream: size', () => {
  it('parses a 4 MB event arriving in 1 KB chunks', { timeout: 60_000 }, async () => {
    const line = 'x'.repeat(4 * 1024 * 1024);
    const bytes = utf8.encode(`event: big\ndata: ${line}\ndata: ${line.slice(0, 10)}\n\n`);
    const events = await parse(pieces(bytes, 1024));
    assert.equal(events.length, 1);
    assert.equal(events[0]?.event, 'big');
    assert.equal(events[0]?.data.length, line.length + 11);
  });

  it('parses many small events in one large chunk', { timeout: 60_000 }, async () => {
    const text = 'data: a\n\n'.repeat(200_000);
    const events = await parse([text]);
    assert.equal(events.length, 200_000);
  });
});

describe('parseEventStream: stopping early', () => {
  it('cancels the body and releases its lock when the consumer stops iterating', async () => {
    let cancelled = false;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(utf8.encode(`data: ${sent++}\n\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    const seen: string[] = [];
    for await (const message of parseEventStream(body)) {
      seen.push(message.data);
      if (seen.length === 3) break;
    }
    assert.deepEqual(seen, ['0', '1', '2']);
    assert.equal(cancelled, true);
    assert.equal(body.locked, false);
  });

  it('releases the lock after a normal end', async () => {
    const body = streamOf(['data: a\n\n']);
    for await (const _ of parseEventStream(body)) void _;
    assert.equal(body.locked, false);
  });

  it('passes a body read error to the consumer', async () => {
    const failure = new Error('socket hang up');
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(utf8.encode('data: a\n\n'));
        else controller.error(failure);
      },
    });
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const m of parseEventStream(body)) seen.push(m.data);
    }, failure);
    assert.deepEqual(seen, ['a']);
  });
});
