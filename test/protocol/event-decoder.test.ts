import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventDecoder } from '../../src/protocol/event-decoder.js';
import type { SseMessage } from '../../src/protocol/sse-parser.js';
import type { RunEvent } from '../../src/protocol/types.js';

function msg(event: string, data: unknown): SseMessage {
  return { event, data: typeof data === 'string' ? data : JSON.stringify(data) };
}

function decoder(): { decode: EventDecoder['decode']; warnings: string[] } {
  const warnings: string[] = [];
  const d = new EventDecoder({ onWarning: (m) => warnings.push(m) });
  return { decode: (m) => d.decode(m), warnings };
}

const base = { v: 1, run_id: 'run_1' };

describe('EventDecoder: the seven v1 events', () => {
  it('decodes run.started with its files', () => {
    const { decode, warnings } = decoder();
    const files = [{ file_id: 'f1', filename: 'a.png', media_type: 'image/png', size: 10, extra: true }, { file_id: 'broken' }];
    assert.deepEqual(decode(msg('run.started', { ...base, thread_id: 'chat_1', smith_id: 'smt_1', files })), {
      type: 'run.started',
      ...base,
      thread_id: 'chat_1',
      smith_id: 'smt_1',
      files: [{ file_id: 'f1', filename: 'a.png', media_type: 'image/png', size: 10 }],
    });
    assert.deepEqual(warnings, []);
  });

  it('decodes message.delta, keeping an empty delta', () => {
    const { decode } = decoder();
    assert.deepEqual(decode(msg('message.delta', { ...base, delta: 'Hi' })), { type: 'message.delta', ...base, delta: 'Hi' });
    assert.deepEqual(decode(msg('message.delta', { ...base, delta: '' })), { type: 'message.delta', ...base, delta: '' });
  });

  it('decodes tool calls', () => {
    const { decode } = decoder();
    assert.deepEqual(decode(msg('tool_call.started', { ...base, tool_call_id: 't1', name: 'lookup_order', arguments: { id: 7 } })), {
      type: 'tool_call.started',
      ...base,
      tool_call_id: 't1',
      name: 'lookup_order',
      arguments: { id: 7 },
    });
    assert.deepEqual(decode(msg('tool_call.completed', { ...base, tool_call_id: 't1', name: 'lookup_order', output: 'shipped', is_error: false })), {
      type: 'tool_call.completed',
      ...base,
      tool_call_id: 't1',
      name: 'lookup_order',
      output: 'shipped',
      is_error: false,
    });
  });

  it('decodes approval.requested, run.completed and run.failed', () => {
    const { decode } = decoder();
    assert.deepEqual(decode(msg('approval.requested', { ...base, approval_id: 'a1', tool_call_id: 't2', name: 'open_ticket', arguments: { s: 'x' }, reason: 'Opens a ticket' })), {
      type: 'approval.requested',
      ...base,
      approval_id: 'a1',
      tool_call_id: 't2',
      name: 'open_ticket',
      arguments: { s: 'x' },
      reason: 'Opens a ticket',
    });
    assert.deepEqual(decode(msg('run.completed', { ...base, stop_reason: 'awaiting_approval' })), {
      type: 'run.completed',
      ...base,
      stop_reason: 'awaiting_approval',
    });
    assert.deepEqual(decode(msg('run.failed', { ...base, error: { code: 'upstream_error', message: 'Boom' } })), {
      type: 'run.failed',
      ...base,
      error: { code: 'upstream_error', message: 'Boom' },
    });
  });

  it('drops unknown fields and never lets data override the event name', () => {
    const { decode } = decoder();
    assert.deepEqual(decode(msg('message.delta', { ...base, delta: 'x', type: 'run.failed', novel: 1 })), {
      type: 'message.delta',
      ...base,
      delta: 'x',
    });
  });
});

describe('EventDecoder: skips', () => {
  it('skips unknown event names silently', () => {
    const { decode, warnings } = decoder();
    assert.equal(decode(msg('reasoning.delta', { ...base, delta: 'x' })), null);
    assert.equal(decode(msg('message', { ...base, delta: 'x' })), null);
    assert.deepEqual(warnings, []);
  });

  it('skips malformed JSON with a warning', () => {
    const { decode, warnings } = decoder();
    assert.equal(decode(msg('message.delta', '{"v":1,"run_id":"r","delta":')), null);
    assert.equal(decode(msg('message.delta', '')), null);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /not valid JSON/);
  });

  it('skips events of a newer protocol version with one warning per decoder', () => {
    const { decode, warnings } = decoder();
    assert.equal(decode(msg('message.delta', { v: 2, run_id: 'r', delta: 'a' })), null);
    assert.equal(decode(msg('message.delta', { v: 3, run_id: 'r', delta: 'b' })), null);
    assert.equal(decode(msg('run.completed', { v: 2, run_id: 'r', stop_reason: 'end_turn' })), null);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /v2/);
    const second = decoder();
    second.decode(msg('message.delta', { v: 2, run_id: 'r', delta: 'a' }));
    assert.equal(second.warnings.length, 1);
  });

  it('skips data that is not an object, or lacks v or run_id', () => {
    const { decode, warnings } = decoder();
    assert.equal(decode(msg('message.delta', [1, 2])), null);
    assert.equal(decode(msg('message.delta', 'null')), null);
    assert.equal(decode(msg('message.delta', { run_id: 'r', delta: 'a' })), null);
    assert.equal(decode(msg('message.delta', { v: '1', run_id: 'r', delta: 'a' })), null);
    assert.equal(decode(msg('message.delta', { v: 1, delta: 'a' })), null);
    assert.equal(warnings.length, 5);
  });

  it('skips events whose required fields are missing or of the wrong type', () => {
    const { decode, warnings } = decoder();
    assert.equal(decode(msg('message.delta', { ...base, delta: 5 })), null);
    assert.equal(decode(msg('message.delta', { ...base })), null);
    assert.equal(decode(msg('run.started', { ...base })), null);
    assert.equal(decode(msg('tool_call.started', { ...base, name: 'x' })), null);
    assert.equal(decode(msg('tool_call.completed', { ...base, tool_call_id: 't' })), null);
    assert.equal(decode(msg('approval.requested', { ...base, tool_call_id: 't', name: 'n' })), null);
    assert.equal(warnings.length, 6);
  });

  it('keeps a run.completed or run.failed with garbled details: the run is over either way', () => {
    const { decode } = decoder();
    assert.deepEqual(decode(msg('run.completed', { ...base })), { type: 'run.completed', ...base, stop_reason: 'end_turn' });
    assert.deepEqual(decode(msg('run.failed', { ...base, error: 'nope' })), {
      type: 'run.failed',
      ...base,
      error: { code: 'upstream_error', message: 'The run failed.' },
    });
  });

  it('works without an onWarning callback', () => {
    const d = new EventDecoder();
    assert.equal(d.decode(msg('message.delta', '{')), null);
    assert.equal(d.decode(msg('message.delta', { v: 9, run_id: 'r', delta: 'a' })), null);
  });
});

describe('round trip through the protocol entry point', () => {
  it('formatEvent → parseEventStream → EventDecoder gives back every event', async () => {
    const protocol = await import('../../src/protocol/index.js');
    const events: RunEvent[] = [
      { type: 'run.started', v: 1, run_id: 'r', thread_id: 'chat_x', files: [{ file_id: 'f', media_type: 'application/pdf', size: 3 }] },
      { type: 'message.delta', v: 1, run_id: 'r', delta: 'line one\nline two\r\n: not a comment\n\ndata: not a field' },
      { type: 'tool_call.started', v: 1, run_id: 'r', tool_call_id: 't', name: 'web_search', arguments: { q: 'é 🎉' } },
      { type: 'tool_call.completed', v: 1, run_id: 'r', tool_call_id: 't', name: 'web_search', output: null, is_error: true },
      { type: 'approval.requested', v: 1, run_id: 'r', approval_id: 'a', tool_call_id: 't', name: 'open_ticket', arguments: [] },
      { type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'awaiting_approval' },
    ];
    const text = protocol.formatComment('hello\nworld') + events.map((e) => protocol.formatEvent(e)).join(protocol.formatComment());
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 5) controller.enqueue(bytes.slice(i, i + 5));
        controller.close();
      },
    });
    const decoder = new protocol.EventDecoder();
    const comments: string[] = [];
    const out: RunEvent[] = [];
    for await (const message of protocol.parseEventStream(body, { onComment: (c) => comments.push(c) })) {
      const event = decoder.decode(message);
      if (event) out.push(event);
    }
    assert.deepEqual(out, events);
    assert.deepEqual(comments, ['hello world', 'ping', 'ping', 'ping', 'ping', 'ping']);
    for (const name of ['startRun', 'continueRun', 'cancelRun', 'openSession', 'ProtocolError', 'parseRetryAfter', 'PROTOCOL_VERSION']) {
      assert.ok(name in protocol, `index exports ${name}`);
    }
  });
});
