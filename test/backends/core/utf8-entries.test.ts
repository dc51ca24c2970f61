// The in-memory run log's byte store: what goes in comes out the same (any Unicode, any size,
// across chunk boundaries), sizes are UTF-8 bytes, and the oldest entries drop off the front.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Utf8Entries } from '../../../src/backends/core/utf8-entries.js';

const samples = ['', 'a', 'Hé "quoted" \\n', '日本語のテキスト', '🙂 emoji 🙂', 'x'.repeat(5000), 'ü'.repeat(70_000), '\u2028\u2029 lone surrogate pair ok: 𝄞'];

describe('Utf8Entries', () => {
  it('returns every string as appended, with its UTF-8 size, across many chunks', () => {
    const entries = new Utf8Entries();
    const kept: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const text = `${i}:${samples[i % samples.length]}`;
      assert.equal(entries.push(text), new TextEncoder().encode(text).length);
      kept.push(text);
    }
    assert.equal(entries.length, kept.length);
    for (let i = 0; i < kept.length; i += 7) assert.equal(entries.at(i), kept[i]);
    assert.equal(entries.at(kept.length - 1), kept[kept.length - 1]);
  });

  it('drops the oldest first, reporting their sizes, and keeps the rest readable (also after emptying)', () => {
    const entries = new Utf8Entries();
    const kept: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2_500; i++) {
        const text = `${round}/${i}:${samples[i % samples.length]!.slice(0, 300)}`;
        entries.push(text);
        kept.push(text);
        if (kept.length > 100) assert.equal(entries.shift(), new TextEncoder().encode(kept.shift()!).length);
      }
      assert.equal(entries.length, 100);
      for (let i = 0; i < 100; i++) assert.equal(entries.at(i), kept[i]);
      while (entries.length > 0) {
        entries.shift();
        kept.shift();
      }
    }
    entries.push('after');
    assert.equal(entries.at(0), 'after');
  });
});
