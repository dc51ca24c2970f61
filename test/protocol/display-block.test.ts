// Issue 17: the optional display block on approval.requested and tool_call.* (protocol v1, additive).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventDecoder, displayBlock } from '../../src/protocol/event-decoder.js';
import { runResultEvents } from '../../src/protocol/run-client.js';

const base = { v: 1, run_id: 'run_1' };
const decode = (event: string, data: unknown) => new EventDecoder().decode({ event, data: JSON.stringify(data) });
const display = { title: 'Open a ticket', title_done: 'Opened a ticket', fields: [{ label: 'Subject', value: 'Refund' }] };

describe('display blocks', () => {
  it('are kept on approval.requested, tool_call.started and tool_call.completed', () => {
    const approval = decode('approval.requested', { ...base, approval_id: 'a', tool_call_id: 'c', name: 'open_ticket', arguments: {}, display });
    assert.deepEqual(approval && 'display' in approval ? approval.display : null, display);
    const started = decode('tool_call.started', { ...base, tool_call_id: 'c', name: 'x', display });
    assert.deepEqual(started && 'display' in started ? started.display : null, display);
    const completed = decode('tool_call.completed', { ...base, tool_call_id: 'c', name: 'x', output: 1, display });
    assert.deepEqual(completed && 'display' in completed ? completed.display : null, display);
  });

  it('an event without one decodes as before (the block is optional)', () => {
    const started = decode('tool_call.started', { ...base, tool_call_id: 'c', name: 'x' });
    assert.ok(started && !('display' in started));
  });

  it('only the well-formed part of a block is kept: strings, trimmed and capped; bad fields dropped; never a throw', () => {
    assert.equal(displayBlock(null), undefined);
    assert.equal(displayBlock('title'), undefined);
    assert.equal(displayBlock({ title: 42, fields: 'x' }), undefined);
    assert.deepEqual(displayBlock({ title: '  Look up  ', extra: '<b>', fields: [{ label: 'A', value: 'b' }, { label: 'no value' }, 'junk', { label: 1, value: 'x' }, null] }), {
      title: 'Look up',
      fields: [{ label: 'A', value: 'b' }],
    });
    const long = displayBlock({ title: 'x'.repeat(10_000), fields: Array.from({ length: 100 }, (_, i) => ({ label: `L${i}`, value: 'v' })) })!;
    assert.equal(long.title!.length, 501);
    assert.equal(long.fields!.length, 12);
    // A garbled block leaves the rest of the event intact.
    const event = decode('tool_call.started', { ...base, tool_call_id: 'c', name: 'x', display: { fields: [{}] } });
    assert.ok(event && event.type === 'tool_call.started' && !('display' in event));
  });

  it('a stream:false JSON reply gives the same events, display blocks included', () => {
    const events = runResultEvents({
      v: 1,
      run_id: 'run_1',
      thread_id: 't',
      status: 'awaiting_approval',
      stop_reason: 'awaiting_approval',
      output: [],
      tool_calls: [{ tool_call_id: 'c1', name: 'lookup_order', arguments: {}, output: {}, display }],
      approvals: [{ approval_id: 'a', tool_call_id: 'c2', name: 'open_ticket', arguments: {}, display: { ...display, fields: 'bad' } }],
    });
    const byType = (type: string) => events.filter((e) => e.type === type).map((e) => ('display' in e ? e.display : undefined));
    assert.deepEqual(byType('tool_call.started'), [display]);
    assert.deepEqual(byType('tool_call.completed'), [display]);
    assert.deepEqual(byType('approval.requested'), [{ title: 'Open a ticket', title_done: 'Opened a ticket' }]);
  });
});
