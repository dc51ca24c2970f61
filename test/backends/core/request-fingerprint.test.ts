// test:alone — it bounds how long the event loop is held, so scripts/test.mjs runs it without neighbours.
// The Idempotency-Key fingerprint of a POST /runs body: the same turn hashes alike, any other body
// differently, and a turn with large attachments is hashed without holding the event loop (the
// widget sends a key with every turn, so this runs on every large upload).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestFingerprint } from '../../../src/backends/core/resume-request.js';

const MB = 1024 * 1024;
const bigDataUrl = (fill: string, at = -1) => {
  const chars = 'data:image/png;base64,' + fill.repeat(12 * MB);
  return at < 0 ? chars : chars.slice(0, at) + 'B' + chars.slice(at + 1);
};
const turn = (image: string, thread = 't1', text = 'see attached') => ({
  thread_id: thread,
  input: [
    {
      role: 'user',
      content: [
        { type: 'text', text },
        { type: 'image', image },
      ],
    },
  ],
  stream: true,
});

describe('requestFingerprint', () => {
  it('is the same for the same turn, whatever `stream` says', async () => {
    const a = await requestFingerprint(turn(bigDataUrl('A')));
    const b = await requestFingerprint({ ...turn(bigDataUrl('A')), stream: false });
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(a, b);
  });

  it('differs for one changed character deep inside an attachment, another thread or other text', async () => {
    const base = await requestFingerprint(turn(bigDataUrl('A')));
    assert.notEqual(await requestFingerprint(turn(bigDataUrl('A', 7 * MB + 3))), base);
    assert.notEqual(await requestFingerprint(turn(bigDataUrl('A'), 't2')), base);
    assert.notEqual(await requestFingerprint(turn(bigDataUrl('A'), 't1', 'see attached.')), base);
  });

  it('does not take a short string that spells the stand-in for a long one as that long string', async () => {
    const long = bigDataUrl('A');
    const spoof = `\u0000long:0:${long.length}`;
    assert.notEqual(await requestFingerprint(turn(spoof)), await requestFingerprint(turn(long)));
  });

  it('hands the event loop back while it hashes a large attachment', async () => {
    // 48 MB: hashed in one go this held the loop ~270 ms here (JSON.stringify and encoding the whole
    // body); in slices the longest stretch measured ~10 ms idle, ~40 ms with a full test run beside
    // it. 150 ms is the abuse tests' bound (test/abuse/event-loop-attachments.test.ts).
    const body = turn('data:image/png;base64,' + 'A'.repeat(48 * MB));
    let last = performance.now();
    let longest = 0;
    let ticking = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await requestFingerprint(body);
    ticking = false;
    assert.ok(longest < 150, `the event loop was held ${longest.toFixed(0)} ms while 48 MB were hashed`);
  });
});
