// The contract of a SmithDirectory: get / set / delete, and `claim` as one atomic step: of many
// concurrent claims of one anonymous identity exactly one wins, and a user's smith is never overwritten.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SmithDirectory } from '../../../../src/backends/ingram/smith-directory.js';
import type { StoreFactory } from './contract-kit.js';

export function smithDirectoryContract(name: string, factory: StoreFactory<SmithDirectory>): void {
  describe(`SmithDirectory contract: ${name}`, () => {
    const use = async (t: { after(fn: () => Promise<void>): void }) => {
      const pair = await factory();
      if (pair.close) t.after(pair.close);
      return pair;
    };

    it('gets, overwrites and deletes, seen from every instance', async (t) => {
      const { a, b } = await use(t);
      assert.equal(await a.get('user:1'), null);
      await a.set('user:1', 'smt_a');
      assert.equal(await b.get('user:1'), 'smt_a');
      await b.set('user:1', 'smt_b');
      assert.equal(await a.get('user:1'), 'smt_b');
      await a.delete('user:1');
      assert.equal(await b.get('user:1'), null);
      await a.delete('user:1'); // deleting nothing is fine
    });

    it('claims: first for both keys, then already_claimed, and never overwrites a user’s smith', async (t) => {
      const { a, b } = await use(t);
      assert.deepEqual(await a.claim('user:ada', 'claimed:anon1', 'smt_anon1'), { outcome: 'claimed', smithId: 'smt_anon1' });
      assert.equal(await b.get('user:ada'), 'smt_anon1');
      assert.equal(await b.get('claimed:anon1'), 'smt_anon1');
      // The same anonymous identity again, by anyone: nothing changes.
      assert.deepEqual(await b.claim('user:bob', 'claimed:anon1', 'smt_anon1'), { outcome: 'already_claimed', smithId: 'smt_anon1' });
      assert.equal(await a.get('user:bob'), null);
      // Ada signs in from another browser: that identity is retired, her smith stays hers.
      assert.deepEqual(await b.claim('user:ada', 'claimed:anon2', 'smt_anon2'), { outcome: 'user_has_smith', smithId: 'smt_anon1' });
      assert.equal(await a.get('user:ada'), 'smt_anon1');
      assert.equal(await a.get('claimed:anon2'), 'smt_anon2');
    });

    it('of many concurrent claims of one anonymous identity by different users, exactly one wins', async (t) => {
      const { a, b } = await use(t);
      const users = Array.from({ length: 16 }, (_, i) => `user:u${i}`);
      const results = await Promise.all(users.map((u, i) => (i % 2 ? a : b).claim(u, 'claimed:shared', 'smt_shared')));
      const winners = users.filter((_, i) => results[i]!.outcome === 'claimed');
      assert.equal(winners.length, 1, JSON.stringify(results));
      assert.ok(results.every((r) => r.outcome === 'claimed' || r.outcome === 'already_claimed'));
      assert.ok(results.every((r) => r.smithId === 'smt_shared'));
      for (const u of users) assert.equal(await a.get(u), u === winners[0] ? 'smt_shared' : null);
    });

    it('of one user’s concurrent claims of different identities, one sets the user and all are retired', async (t) => {
      const { a, b } = await use(t);
      const anons = Array.from({ length: 12 }, (_, i) => `anon${i}`);
      const results = await Promise.all(anons.map((x, i) => (i % 2 ? a : b).claim('user:eve', `claimed:${x}`, `smt_${x}`)));
      const claimed = results.filter((r) => r.outcome === 'claimed');
      assert.equal(claimed.length, 1, JSON.stringify(results));
      const eve = await a.get('user:eve');
      assert.equal(eve, claimed[0]!.smithId);
      for (const r of results) if (r.outcome !== 'claimed') assert.deepEqual(r, { outcome: 'user_has_smith', smithId: eve });
      for (const x of anons) assert.equal(await b.get(`claimed:${x}`), `smt_${x}`);
    });
  });
}
