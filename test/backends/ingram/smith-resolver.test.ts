// The visitor → smith resolution on its own: SmithResolver against the emulator over real HTTP,
// each upstream call recorded, so what it creates, asks and caches is visible without the handler.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RetiredVisitorError } from '../../../src/backends/core/index.js';
import type { Visitor } from '../../../src/backends/core/index.js';
import { directoryKeys, IngramClient, InMemorySmithDirectory } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import { SmithResolver, type SmithResolverOptions } from '../../../src/backends/ingram/smith-resolver.js';
import { recordingFetch, writes } from './http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

let emu: EmulatorServer;
let calls: string[];
let client: IngramClient;
let directory: InMemorySmithDirectory;
let seq = 0;

before(async () => {
  emu = await startEmulator();
});
after(() => emu.close());
beforeEach(() => {
  calls = [];
  client = new IngramClient({ token: TOKEN, baseUrl: emu.url, fetch: recordingFetch(calls), timeoutMs: 5000 });
  directory = new InMemorySmithDirectory();
});

function resolver(options: Partial<SmithResolverOptions> = {}): SmithResolver {
  return new SmithResolver({ client, agentId: EMULATOR_AGENT_ID, directory, cacheSize: 100, ...options });
}

/** A fresh anonymous visitor (the emulator is shared by every test). */
function anon(): Visitor {
  return { kind: 'anonymous', id: `tok${++seq}_${Math.random().toString(36).slice(2)}` };
}
function user(extra: { display_name?: string; customer_id?: string } = {}): Visitor & { kind: 'user' } {
  return { kind: 'user', id: `user_${++seq}_${Math.random().toString(36).slice(2)}`, ...extra };
}

describe('SmithResolver: anonymous visitors', () => {
  it('findSmithId creates nothing for a visitor without a smith; smithIdFor upserts one with memory off', async () => {
    const r = resolver();
    const v = anon();
    assert.equal(await r.findSmithId(v), null);
    assert.deepEqual(writes(calls), []);
    const id = await r.smithIdFor(v);
    assert.deepEqual(writes(calls), ['POST /v1/smiths']);
    const smith = await emu.client.getSmith(id);
    assert.equal(smith.external_id, `anon:${v.id}`);
    assert.equal(smith.auto_memory, false);
    assert.equal(smith.agent_id, EMULATOR_AGENT_ID);
  });

  it('anonymousAutoMemory turns memory on for logged-out smiths', async () => {
    const id = await resolver({ anonymousAutoMemory: true }).smithIdFor(anon());
    assert.equal((await emu.client.getSmith(id)).auto_memory, true);
  });

  it('concurrent first requests of one visitor share one upsert; later ones hit the cache', async () => {
    const r = resolver();
    const v = anon();
    const ids = await Promise.all(Array.from({ length: 5 }, () => r.smithIdFor(v)));
    assert.equal(new Set(ids).size, 1);
    assert.equal(await r.smithIdFor(v), ids[0]);
    assert.equal(await r.findSmithId(v), ids[0]);
    assert.deepEqual(writes(calls), ['POST /v1/smiths']);
  });

  it('another process (no cache) finds the smith by its external_id, and ignores an archived one', async () => {
    const v = anon();
    const id = await resolver().smithIdFor(v);
    assert.equal(await resolver().findSmithId(v), id);
    await emu.client.archiveSmith(id);
    assert.equal(await resolver().findSmithId(v), null);
  });

  it('a claimed (retired) identity is refused even from the cache, finds nothing and owns nothing', async () => {
    const r = resolver();
    const v = anon();
    const id = await r.smithIdFor(v);
    await directory.set(directoryKeys.claimed(`anon:${v.id}`), id);
    await assert.rejects(r.smithIdFor(v), RetiredVisitorError);
    assert.equal(await r.findSmithId(v), null);
    assert.equal(await r.owns(v, id, new AbortController().signal), false);
    assert.equal(await r.wasClaimed(v), true);
    assert.deepEqual(await r.archive(v), [], 'an account’s smith now: never archived through the old identity');
    assert.equal((await emu.client.getSmith(id)).archived_at, null);
  });
});

describe('SmithResolver: ownership', () => {
  it('owns its own smith, not another visitor’s, not an unknown id; a cold process asks the API once', async () => {
    const a = anon();
    const b = anon();
    const signal = new AbortController().signal;
    const aId = await resolver().smithIdFor(a);
    const bId = await resolver().smithIdFor(b);
    const cold = resolver();
    calls.length = 0;
    assert.equal(await cold.owns(a, aId, signal), true);
    assert.deepEqual(calls, [`GET /v1/smiths/${aId}`]);
    assert.equal(await cold.owns(a, bId, signal), false, 'answered from the cache now');
    assert.equal(calls.length, 1);
    assert.equal(await resolver().owns(a, bId, signal), false, 'cold: the API says b’s smith is keyed to b');
    assert.equal(await resolver().owns(a, 'smt_does_not_exist', signal), false);
  });

  it('a user’s recorded (claimed) smith is theirs without asking the API', async () => {
    const u = user();
    await directory.set(directoryKeys.user(u.id), 'smt_recorded');
    calls.length = 0;
    assert.equal(await resolver().owns(u, 'smt_recorded', new AbortController().signal), true);
    assert.deepEqual(calls, []);
  });
});

describe('SmithResolver: signed-in users', () => {
  it('upserts the user-keyed smith with the account patch (memory only when the host chose it)', async () => {
    const u = user({ display_name: 'Ada', customer_id: 'cus_1' });
    const id = await resolver().smithIdFor(u);
    const smith = await emu.client.getSmith(id);
    assert.equal(smith.external_id, u.id);
    assert.equal(smith.display_name, 'Ada');
    assert.equal(smith.customer_id, 'cus_1');
    const off = user();
    assert.equal((await emu.client.getSmith(await resolver({ userAutoMemory: false }).smithIdFor(off))).auto_memory, false);
  });

  it('a user id in the anonymous namespace is refused before any call', async () => {
    await assert.rejects(resolver().smithIdFor({ kind: 'user', id: 'anon:abc' }), /reserved "anon:" namespace/);
    assert.deepEqual(calls, []);
  });

  it('a recorded smith is re-stamped (PATCH), not upserted; an archived one falls back to the user-keyed smith', async () => {
    const claimed = await resolver().smithIdFor(anon());
    const u = user({ display_name: 'Bo' });
    await directory.set(directoryKeys.user(u.id), claimed);
    calls.length = 0;
    assert.equal(await resolver().smithIdFor(u), claimed);
    assert.deepEqual(writes(calls), [`PATCH /v1/smiths/${claimed}`]);
    assert.equal((await emu.client.getSmith(claimed)).display_name, 'Bo');

    await emu.client.archiveSmith(claimed);
    const own = await resolver().smithIdFor(u);
    assert.notEqual(own, claimed);
    assert.equal((await emu.client.getSmith(own)).external_id, u.id);
    assert.equal(await directory.get(directoryKeys.user(u.id)), null, 'the stale record is dropped');
  });

  it('findSmithId of a user answers from the directory, else finds or creates their smith', async () => {
    const u = user();
    await directory.set(directoryKeys.user(u.id), 'smt_from_directory');
    assert.equal(await resolver().findSmithId(u), 'smt_from_directory');
    assert.deepEqual(calls, []);
    const v = user();
    const id = await resolver().findSmithId(v);
    assert.ok(id);
    assert.equal((await emu.client.getSmith(id)).external_id, v.id);
  });

  it('the claim patch carries memory on unless the host turned it off', () => {
    const who = { display_name: 'Cy', customer_id: 'cus_2' };
    assert.deepEqual(resolver().claimPatch(who), { auto_memory: true, display_name: 'Cy', customer_id: 'cus_2' });
    assert.deepEqual(resolver({ userAutoMemory: false }).claimPatch({}), { auto_memory: false });
    assert.deepEqual(resolver().accountPatch(who, undefined), { display_name: 'Cy', customer_id: 'cus_2' }, 'a re-stamp leaves memory alone');
  });
});

describe('SmithResolver: archived smiths and archive()', () => {
  it('withSmith re-upserts once when the API no longer knows the cached smith, and retries', async () => {
    const r = resolver();
    const v = anon();
    const first = await r.smithIdFor(v);
    await emu.client.archiveSmith(first);
    const seen: string[] = [];
    // PATCH answers 404 for an archived smith, as a run on it would.
    const result = await r.withSmith(v, new AbortController().signal, async (id) => {
      seen.push(id);
      return (await client.updateSmith(id, {})).id;
    });
    assert.deepEqual(seen, [first, result]);
    assert.notEqual(result, first);
    assert.equal(await r.smithIdFor(v), result, 'the new smith is cached');
  });

  it('withSmith gives up after one retry when the fresh smith is the same one', async () => {
    const r = resolver();
    const v = anon();
    const id = await r.smithIdFor(v);
    let tries = 0;
    await assert.rejects(
      r.withSmith(v, new AbortController().signal, async () => {
        tries++;
        await client.cancelRun(id, 'run_missing'); // the API's 404
      }),
      (err: Error) => err.name === 'IngramApiError',
    );
    assert.equal(tries, 1, 'the upsert answered the same smith: no second try');
  });

  it('archive() archives the visitor’s smith and forgets it: the next turn gets a new one', async () => {
    const r = resolver();
    const v = anon();
    const id = await r.smithIdFor(v);
    assert.deepEqual(await r.archive(v), [id]);
    assert.ok((await emu.client.getSmith(id)).archived_at);
    assert.equal(await r.findSmithId(v), null);
    assert.notEqual(await r.smithIdFor(v), id);
  });
});
