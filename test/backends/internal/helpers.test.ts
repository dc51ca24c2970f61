// The helpers every backend shares (src/backends/internal/helpers.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRecord, newId, safeLogger, sleep, visitorKey } from '../../../src/backends/internal/helpers.js';

describe('backend helpers', () => {
  it('visitorKey: kinds never collide, whatever the ids look like', () => {
    assert.equal(visitorKey({ kind: 'user', id: 'u1' }), 'user:u1');
    assert.notEqual(visitorKey({ kind: 'user', id: 'abc' }), visitorKey({ kind: 'anonymous', id: 'abc' }));
  });

  it('newId: prefix, underscore, 96 random bits in hex; never repeats', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('run')));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, /^run_[0-9a-f]{24}$/);
  });

  it('sleep: resolves after the pause, at once when aborted (before or during), never rejects', { timeout: 5000 }, async () => {
    const started = Date.now();
    await sleep(20, new AbortController().signal);
    assert.ok(Date.now() - started >= 15);

    const aborted = new AbortController();
    aborted.abort();
    await sleep(60_000, aborted.signal);

    const later = new AbortController();
    const pending = sleep(60_000, later.signal);
    later.abort();
    await pending; // ignoring the abort would fail the test on its timeout
  });

  it('safeLogger: a throwing logger is swallowed; the default logs to console.error with the tag', () => {
    const seen: unknown[] = [];
    safeLogger((err) => {
      seen.push(err);
      throw new Error('logger down');
    })('first');
    assert.deepEqual(seen, ['first']);

    const original = console.error;
    const lines: unknown[][] = [];
    console.error = (...args: unknown[]) => lines.push(args);
    try {
      safeLogger(undefined, '[tag]')('boom');
    } finally {
      console.error = original;
    }
    assert.deepEqual(lines, [['[tag]', 'boom']]);
  });

  it('safeLogger: the default prints the first error of a kind, counts its repeats for 10 s, then says how many', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const original = console.error;
    const lines: string[] = [];
    console.error = (...args: unknown[]) => lines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
    try {
      const log = safeLogger(undefined, '[tag]');
      const outage = () => new Error('The service is not answering just now.', { cause: new Error('Redis did not answer EVALSHA within 5000 ms') });
      for (let i = 0; i < 500; i++) log(outage());
      log(new Error('Something else'));
      assert.deepEqual(lines, ['[tag] Error: The service is not answering just now.', '[tag] Error: Something else']);
      t.mock.timers.tick(10_000);
      assert.equal(lines[2], '[tag] 499 more like it in 10 s: Error: The service is not answering just now. (Redis did not answer EVALSHA within 5000 ms)');
      assert.equal(lines.length, 3, 'nothing to count for the error that came once');
      // The window is over: the next one is printed in full again.
      log(outage());
      assert.equal(lines[3], '[tag] Error: The service is not answering just now.');
      // A host's own onError sees every one.
      const seen: unknown[] = [];
      const host = safeLogger((err) => seen.push(err));
      for (let i = 0; i < 5; i++) host(outage());
      assert.equal(seen.length, 5);
    } finally {
      console.error = original;
    }
  });

  it('isRecord: plain objects only', () => {
    assert.equal(isRecord({}), true);
    assert.equal(isRecord([]), false);
    assert.equal(isRecord(null), false);
    assert.equal(isRecord('x'), false);
  });
});
