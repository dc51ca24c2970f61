import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InMemorySmithDirectory, LruCache, SqliteSmithDirectory, type SmithDirectory } from '../../../src/backends/ingram/index.js';

async function contract(dir: SmithDirectory) {
  assert.equal(await dir.get('user:1'), null);
  await dir.set('user:1', 'smt_a');
  assert.equal(await dir.get('user:1'), 'smt_a');
  await dir.set('user:1', 'smt_b');
  assert.equal(await dir.get('user:1'), 'smt_b');
  await dir.delete('user:1');
  assert.equal(await dir.get('user:1'), null);
}

describe('SmithDirectory', () => {
  it('InMemorySmithDirectory: get / set (overwrite) / delete', () => contract(new InMemorySmithDirectory()));

  it('SqliteSmithDirectory: same contract, and durable across reopening the file', async (t) => {
    let probe: SqliteSmithDirectory;
    try {
      probe = await SqliteSmithDirectory.open(':memory:');
    } catch {
      t.skip('better-sqlite3 (optional) is not installed');
      return;
    }
    await contract(probe);
    probe.close();
    const dirPath = mkdtempSync(join(tmpdir(), 'ic-smiths-'));
    try {
      const file = join(dirPath, 'smiths.db');
      const first = await SqliteSmithDirectory.open(file);
      await first.set('user:ada', 'smt_ada');
      first.close();
      const second = await SqliteSmithDirectory.open(file);
      assert.equal(await second.get('user:ada'), 'smt_ada');
      second.close();
    } finally {
      rmSync(dirPath, { recursive: true, force: true });
    }
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1); // a is now the youngest
    lru.set('c', 3);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 1);
    assert.equal(lru.get('c'), 3);
    assert.equal(lru.size, 2);
  });

  it('refuses a size that is not a positive integer', () => {
    assert.throws(() => new LruCache(0), RangeError);
  });
});
