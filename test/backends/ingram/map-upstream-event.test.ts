// The one place where the vendor's run envelope becomes protocol v1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsFromUpstreamRun, mapUpstreamEvent, MAX_PASS_THROUGH_FIELD_CHARS, TRUNCATED_MARKER } from '../../../src/backends/ingram/index.js';
import { boundPayload } from '../../../src/backends/ingram/map-upstream-event.js';
import type { UpstreamRun } from '../../../src/backends/ingram/index.js';

const m = (event: string, data: unknown) => ({ event, data: typeof data === 'string' ? data : JSON.stringify(data) });

describe('mapUpstreamEvent', () => {
  it('maps every known event, copying only known fields (the smith id never reaches the browser)', () => {
    assert.deepEqual(
      mapUpstreamEvent(
        m('run.started', {
          v: 1,
          run_id: 'run_1',
          smith_id: 'smt_9',
          thread_id: 't',
          external_id: 'anon:x',
          files: [{ file_id: 'f', media_type: 'image/png', size: 3, extra: 1 }],
        }),
      ),
      {
        type: 'run.started',
        v: 1,
        run_id: 'run_1',
        thread_id: 't',
        files: [{ file_id: 'f', media_type: 'image/png', size: 3 }],
      },
    );
    assert.deepEqual(mapUpstreamEvent(m('message.delta', { v: 1, run_id: 'r', delta: 'Hi', token_count: 1 })), { type: 'message.delta', v: 1, run_id: 'r', delta: 'Hi' });
    assert.deepEqual(mapUpstreamEvent(m('tool_call.started', { v: 1, run_id: 'r', tool_call_id: 'c', name: 'web_search', arguments: { q: 1 } })), {
      type: 'tool_call.started',
      v: 1,
      run_id: 'r',
      tool_call_id: 'c',
      name: 'web_search',
      arguments: { q: 1 },
    });
    assert.deepEqual(mapUpstreamEvent(m('tool_call.completed', { v: 1, run_id: 'r', tool_call_id: 'c', name: 'n', output: 'o', is_error: true })), {
      type: 'tool_call.completed',
      v: 1,
      run_id: 'r',
      tool_call_id: 'c',
      name: 'n',
      output: 'o',
      is_error: true,
    });
    assert.deepEqual(mapUpstreamEvent(m('approval.requested', { v: 1, run_id: 'r', approval_id: 'a', tool_call_id: 'c', name: 'open_ticket', arguments: {}, reason: 'why' })), {
      type: 'approval.requested',
      v: 1,
      run_id: 'r',
      approval_id: 'a',
      tool_call_id: 'c',
      name: 'open_ticket',
      arguments: {},
      reason: 'why',
    });
    assert.deepEqual(mapUpstreamEvent(m('run.completed', { v: 1, run_id: 'r', stop_reason: 'max_tokens' })), {
      type: 'run.completed',
      v: 1,
      run_id: 'r',
      stop_reason: 'max_tokens',
    });
  });

  it('keeps known error codes of run.failed, turns others into upstream_error, and never passes the API’s text on', () => {
    const seen: unknown[] = [];
    const listener = (upstream: unknown, visitor: unknown, runId: string) => seen.push([upstream, visitor, runId]);
    const rate = mapUpstreamEvent(m('run.failed', { v: 1, run_id: 'r', error: { code: 'rate_limited', message: 'slow, see /srv/limits.py' } }), listener);
    assert.deepEqual(rate, { type: 'run.failed', v: 1, run_id: 'r', error: { code: 'rate_limited', message: 'Too many messages right now. Please wait a moment and try again.' } });
    const odd = mapUpstreamEvent(m('run.failed', { v: 1, run_id: 'r2', error: { code: 'model_overloaded', message: 'busy' } }), listener);
    assert.deepEqual(odd, { type: 'run.failed', v: 1, run_id: 'r2', error: { code: 'upstream_error', message: 'The support service had a problem. Please try again.' } });
    // The listener (the server log) gets the API's own words next to what the visitor saw.
    assert.deepEqual(seen, [
      [{ code: 'rate_limited', message: 'slow, see /srv/limits.py' }, (rate as { error: unknown }).error, 'r'],
      [{ code: 'model_overloaded', message: 'busy' }, (odd as { error: unknown }).error, 'r2'],
    ]);
  });

  it('skips unknown events, bad JSON, and events missing required fields', () => {
    assert.equal(mapUpstreamEvent(m('run.heartbeat', { v: 1, run_id: 'r' })), null);
    assert.equal(mapUpstreamEvent(m('message.delta', '{not json')), null);
    assert.equal(mapUpstreamEvent(m('message.delta', { v: 1, delta: 'x' })), null);
    assert.equal(mapUpstreamEvent(m('message.delta', { v: 1, run_id: 'r', delta: 5 })), null);
    assert.equal(mapUpstreamEvent(m('run.started', { v: 1, run_id: 'r' })), null);
    assert.equal(mapUpstreamEvent(m('tool_call.started', { v: 1, run_id: 'r', name: 'x' })), null);
    assert.equal(mapUpstreamEvent(m('approval.requested', { v: 1, run_id: 'r', approval_id: 'a', name: 'x' })), null);
    assert.equal(mapUpstreamEvent(m('message.delta', '[1,2]')), null);
  });
});

describe('eventsFromUpstreamRun', () => {
  const base: UpstreamRun = {
    id: 'run_1',
    smith_id: 'smt_1',
    external_id: 'anon:x',
    thread_id: 't',
    status: 'completed',
    stop_reason: 'end_turn',
    input: [],
    output: [{ role: 'assistant', content: 'Hello there' }],
    tool_calls: [{ tool_call_id: 'c', name: 'web_search', arguments: { q: 'x' }, output: [] }],
    approvals: [],
    files: [{ file_id: 'f', media_type: 'image/png', size: 1 }],
    created_at: '',
  };

  it('turns a JSON run into the same events a stream would carry', () => {
    assert.deepEqual(
      eventsFromUpstreamRun(base).map((e) => e.type),
      ['run.started', 'tool_call.started', 'tool_call.completed', 'message.delta', 'run.completed'],
    );
  });

  it('lists pending approvals and the awaiting_approval stop; failed runs end in run.failed', () => {
    const waiting = eventsFromUpstreamRun({
      ...base,
      status: 'awaiting_approval',
      stop_reason: 'awaiting_approval',
      approvals: [{ approval_id: 'a', tool_call_id: 'c2', name: 'open_ticket', arguments: {}, decision: null }],
    });
    assert.deepEqual(
      waiting.slice(-2).map((e) => e.type),
      ['approval.requested', 'run.completed'],
    );
    const failed = eventsFromUpstreamRun({ ...base, status: 'failed', error: { code: 'boom', message: 'x' } });
    assert.deepEqual(failed.at(-1), {
      type: 'run.failed',
      v: 1,
      run_id: 'run_1',
      error: { code: 'upstream_error', message: 'The support service had a problem. Please try again.' },
    });
  });
});

describe('pass-through hygiene (boundPayload)', () => {
  const redact = (text: string) => text.split('sekrit_token').join('[redacted]');

  it('redacts the token in strings, nested values and keys', () => {
    assert.equal(boundPayload('a sekrit_token b', { redact }), 'a [redacted] b');
    assert.deepEqual(boundPayload({ sekrit_token: ['x sekrit_token', 1] }, { redact }), { '[redacted]': ['x [redacted]', 1] });
  });

  it('cuts a payload over the bound to a string with the marker, and keeps smaller ones as they are', () => {
    const big = { rows: 'y'.repeat(MAX_PASS_THROUGH_FIELD_CHARS) };
    const cut = boundPayload(big, undefined) as string;
    assert.equal(typeof cut, 'string');
    assert.equal(cut.length, MAX_PASS_THROUGH_FIELD_CHARS + TRUNCATED_MARKER.length);
    assert.ok(cut.endsWith(TRUNCATED_MARKER));
    assert.deepEqual(boundPayload({ ok: true }, undefined), { ok: true });
    assert.equal(boundPayload(undefined, { redact }), undefined);
    assert.equal(boundPayload('z'.repeat(20), { maxFieldChars: 5 }) as string, 'zzzzz' + TRUNCATED_MARKER);
  });

  it('mapUpstreamEvent applies it to tool arguments, outputs and approval payloads', () => {
    const msg = (event: string, data: Record<string, unknown>) => ({ event, data: JSON.stringify({ v: 1, run_id: 'r', ...data }), id: '', retry: undefined });
    const started = mapUpstreamEvent(msg('tool_call.started', { tool_call_id: 'c', name: 'n', arguments: { k: 'sekrit_token' } }) as never, undefined, { redact });
    assert.deepEqual((started as { arguments: unknown }).arguments, { k: '[redacted]' });
    const done = mapUpstreamEvent(msg('tool_call.completed', { tool_call_id: 'c', name: 'n', output: 'sekrit_token' }) as never, undefined, { redact });
    assert.equal((done as { output: unknown }).output, '[redacted]');
    const approval = mapUpstreamEvent(
      msg('approval.requested', { approval_id: 'a', tool_call_id: 'c', name: 'n', arguments: {}, reason: 'r'.repeat(20_000) }) as never,
      undefined,
      { redact },
    );
    assert.ok((approval as { reason: string }).reason.endsWith(TRUNCATED_MARKER));
  });
});
