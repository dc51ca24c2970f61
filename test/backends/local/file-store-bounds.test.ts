// The file store's quotas and expiry, directly: all-or-nothing turns, a restart that keeps only
// live records, and documented defaults.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FILE_STORE_DEFAULTS, FileStore } from '../../../src/backends/local/file-store.js';
import { SupportError } from '../../../src/backends/core/support-error.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ic-file-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (size: number, fill = 1) => ({ bytes: new Uint8Array(size).fill(fill), media_type: 'image/png' });

describe('FileStore bounds', () => {
  it('documents its defaults', () => {
    assert.deepEqual(
      { ...FILE_STORE_DEFAULTS },
      { maxBytesPerVisitor: 50 * 1024 * 1024, maxFilesPerVisitor: 100, maxTotalBytes: 1024 * 1024 * 1024, maxAgeMs: 24 * 60 * 60 * 1000 },
    );
  });

  it('a turn over quota writes nothing, not even its first file', async () => {
    const store = new FileStore(dir, { maxBytesPerVisitor: 1000 });
    await assert.rejects(store.putAll('a', [file(600, 1), file(600, 2)]), (e: unknown) => e instanceof SupportError && e.status === 413);
    assert.deepEqual(readdirSync(join(dir, 'blobs')), []);
    assert.deepEqual(store.usage('a'), { files: 0, bytes: 0 });
  });

  it('two turns of one visitor at once cannot both pass the quota (storing hashes and writes asynchronously)', async () => {
    const store = new FileStore(dir, { maxBytesPerVisitor: 1000 });
    const results = await Promise.allSettled([store.putAll('a', [file(600, 1)]), store.putAll('a', [file(600, 2)])]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected'],
    );
    assert.deepEqual(store.usage('a'), { files: 1, bytes: 600 });
    assert.equal(readdirSync(join(dir, 'blobs')).length, 1);
  });

  it('the same content stored twice takes disk once but counts for each owner', async () => {
    const store = new FileStore(dir, { maxTotalBytes: 1000 });
    await store.put('a', file(600));
    await store.put('b', file(600));
    assert.equal(store.diskBytes, 600);
    assert.deepEqual(store.usage('b'), { files: 1, bytes: 600 });
    await assert.rejects(store.put('c', file(600, 9)), /storage of this server is full/);
  });

  it('expired files are swept from disk and index, and a restart keeps only live ones', async () => {
    let now = Date.parse('2026-03-01T00:00:00Z');
    const store = new FileStore(dir, { maxAgeMs: 1000, now: () => now });
    const old = await store.put('a', file(10, 1));
    now += 600;
    const young = await store.put('a', file(10, 2));
    now += 500; // old is 1100 ms old, young 500 ms
    store.sweep();
    assert.equal(store.get(old.file_id, 'a'), null);
    assert.ok(store.get(young.file_id, 'a'));
    assert.deepEqual(readdirSync(join(dir, 'blobs')), [young.sha256]);
    assert.equal(readFileSync(join(dir, 'files.jsonl'), 'utf8').trim().split('\n').length, 1);
    const reopened = new FileStore(dir, { maxAgeMs: 1000, now: () => now });
    assert.deepEqual(reopened.usage('a'), { files: 1, bytes: 10 });
    assert.ok(reopened.get(young.file_id, 'a'));
  });

  it('a turn refused for quota first sweeps what expired since the last sweep', async () => {
    let now = 5_000_000;
    const store = new FileStore(dir, { maxAgeMs: 1000, maxFilesPerVisitor: 1, now: () => now });
    await store.put('a', file(10, 1));
    now += 500;
    await assert.rejects(store.put('a', file(10, 2)), /at most 1 attachments/);
    now += 1000; // the first file is now 1500 ms old, well before the next periodic sweep
    assert.ok(await store.put('a', file(10, 3)));
    assert.deepEqual(store.usage('a'), { files: 1, bytes: 10 });
  });

  it('a blob shared with a live record survives the expiry of another', async () => {
    let now = 1_000_000;
    const store = new FileStore(dir, { maxAgeMs: 1000, now: () => now });
    const a = await store.put('a', file(10));
    now += 900;
    const b = await store.put('b', file(10));
    now += 200;
    store.sweep();
    assert.equal(store.get(a.file_id, 'a'), null);
    assert.ok(store.get(b.file_id, 'b'), 'same bytes, still there for b');
  });
});
