import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStreamParser, type SseMessage } from '../../src/protocol/sse-parser.js';
import { formatEvent, formatEventWithId } from '../../src/protocol/sse-writer.js';
import { codeForStatus } from '../../src/protocol/errors.js';
import { ERROR_STATUS, isValidIdempotencyKey, runEventsPath, type RunEvent } from '../../src/protocol/types.js';

describe('protocol: resumable runs', () => {
  it('formatEventWithId writes the sequence number as the SSE id, which the parser reads back', () => {
    const event: RunEvent = { type: 'message.delta', v: 1, run_id: 'run_1', delta: 'Hi' };
    const frame = formatEventWithId(event, 7);
    assert.equal(frame, 'id: 7\nevent: message.delta\ndata: {"v":1,"run_id":"run_1","delta":"Hi"}\n\n');
    const seen: SseMessage[] = [];
    new EventStreamParser((m) => seen.push(m)).feed(frame);
    assert.deepEqual(seen, [{ event: 'message.delta', data: '{"v":1,"run_id":"run_1","delta":"Hi"}', id: '7' }]);
  });

  it('formatEvent without an id writes no id line, also as a map callback (index is not an id)', () => {
    const events: RunEvent[] = [{ type: 'run.completed', v: 1, run_id: 'r', stop_reason: 'end_turn' }];
    assert.ok(!formatEvent(events[0]!).includes('id:'));
    assert.ok(!events.map(formatEvent).join('').includes('id:'));
  });

  it('names the new error codes with their statuses, both ways', () => {
    assert.equal(ERROR_STATUS.run_expired, 410);
    assert.equal(ERROR_STATUS.idempotency_conflict, 422);
    assert.equal(codeForStatus(410), 'run_expired');
    assert.equal(codeForStatus(422), 'idempotency_conflict');
  });

  it('escapes the run id in the events path', () => {
    assert.equal(runEventsPath('run/1 x'), '/runs/run%2F1%20x/events');
  });

  it('accepts idempotency keys of 1–200 visible ASCII characters only', () => {
    assert.ok(isValidIdempotencyKey('turn-3f2a9c'));
    assert.ok(isValidIdempotencyKey('x'.repeat(200)));
    for (const bad of ['', 'x'.repeat(201), 'has space', 'tab\t', 'é', 'line\n']) assert.ok(!isValidIdempotencyKey(bad), JSON.stringify(bad));
  });
});
