// History was bounded by message count only, so 50 messages of any length stayed in memory per
// thread (six 40 MB messages left the server at 820 MB). It is now bounded in bytes per thread and
// over all threads, oldest dropped first.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { ConversationHistory, HISTORY_DEFAULTS, messageBytes, type HistoryMessage } from '../../../src/backends/local/history.js';
import { alice, bob, collect, ctxFor, textInput } from './fixtures/turns.js';

const msg = (text: string, i = 0): HistoryMessage => ({ role: 'user', content: text, run_id: `run_${i}` });

describe('ConversationHistory: bounded in bytes', () => {
  it('documents its defaults', () => {
    assert.deepEqual({ ...HISTORY_DEFAULTS }, { maxThreads: 1000, maxMessages: 50, maxThreadBytes: 256 * 1024, maxTotalBytes: 64 * 1024 * 1024 });
  });

  it('a thread drops its oldest messages past maxThreadBytes, keeping the newest', () => {
    const h = new ConversationHistory({ maxThreadBytes: 10_000 });
    for (let i = 0; i < 10; i++) h.append('o', 't', msg('x'.repeat(1000), i));
    const kept = h.get('o', 't');
    assert.ok(kept.reduce((s, m) => s + messageBytes(m), 0) <= 10_000);
    assert.equal(kept.at(-1)!.run_id, 'run_9');
    assert.equal(kept.length, 4, 'four messages of ~2.1 KB fit in 10 KB');
    assert.equal(
      h.totalBytes,
      kept.reduce((s, m) => s + messageBytes(m), 0),
    );
  });

  it('a single message over the thread cap is kept alone (the turn refers to it)', () => {
    const h = new ConversationHistory({ maxThreadBytes: 1000 });
    h.append('o', 't', msg('a'));
    h.append('o', 't', msg('b'.repeat(5000), 1));
    assert.deepEqual(
      h.get('o', 't').map((m) => m.run_id),
      ['run_1'],
    );
  });

  it('past maxTotalBytes the least recently used threads go first', () => {
    const h = new ConversationHistory({ maxTotalBytes: 30_000 });
    for (let t = 0; t < 10; t++) h.append('o', `t${t}`, msg('y'.repeat(5000)));
    assert.ok(h.totalBytes <= 30_000, `${h.totalBytes}`);
    assert.equal(h.get('o', 't0').length, 0);
    assert.equal(h.get('o', 't9').length, 1);
  });

  it('counts text parts and file references', () => {
    const parts: HistoryMessage = {
      role: 'user',
      run_id: 'r',
      content: [
        { type: 'text', text: 'abc' },
        { type: 'file_ref', file_id: 'file_1', media_type: 'image/png' },
      ],
    };
    assert.ok(messageBytes(parts) > messageBytes(msg('abc')));
  });
});

describe('local backend: history bytes options', () => {
  it('maxHistoryBytesPerThread and maxHistoryBytes bound what turns keep', async () => {
    const filesDir = mkdtempSync(join(tmpdir(), 'ic-history-'));
    try {
      const backend = createLocalBackend({ delayMs: 0, filesDir, maxHistoryBytesPerThread: 100_000, maxHistoryBytes: 150_000 });
      for (let i = 0; i < 10; i++) await collect(backend.run(textInput(`question ${i} ` + 'é'.repeat(15_000), 'chat_a'), ctxFor(alice)));
      const kept = backend.history(alice, 'chat_a');
      const bytes = kept.reduce((s, m) => s + messageBytes(m), 0);
      assert.ok(bytes <= 100_000, `${bytes} bytes kept`);
      assert.ok(kept.length < 20, `${kept.length} messages kept of 20`);
      assert.equal(kept.at(-1)!.role, 'assistant');
      for (let i = 0; i < 5; i++) await collect(backend.run(textInput('é'.repeat(15_000), 'chat_b'), ctxFor(bob)));
      assert.ok(backend.history(alice, 'chat_a').length + backend.history(bob, 'chat_b').length > 0);
      const total = [...backend.history(alice, 'chat_a'), ...backend.history(bob, 'chat_b')].reduce((s, m) => s + messageBytes(m), 0);
      assert.ok(total <= 150_000, `${total} bytes over both threads`);
    } finally {
      rmSync(filesDir, { recursive: true, force: true });
    }
  });
});
