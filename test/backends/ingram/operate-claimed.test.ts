// The operate helpers never touch a claimed smith. A claimed smith keeps its `anon:` external_id
// (immutable upstream), so `external_id_prefix=anon:` lists signed-in accounts too; listing,
// idle filtering and archiving the anonymous segment must leave them alone. Real handler and
// emulator over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  archiveByExternalId,
  archiveIdleAnonymousSmiths,
  createIngramBackend,
  listAllSmiths,
  listAnonymousActivity,
  type IngramBackend,
} from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../../src/node/index.js';
import { Browser, replyText, SECRET, serveHandler } from './http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

let emu: EmulatorServer;
let backend: IngramBackend;
let app: ServeHandle;
/** Claimed with a display name (stamped upstream) and claimed with nothing to stamp (directory only). */
const claimed: { smith: string; token: string; user: string }[] = [];
/** Logged-out visitors' smiths. */
const anonymous: string[] = [];

async function chat(thread: string): Promise<{ browser: Browser; smith: string }> {
  const browser = new Browser(app.url);
  await browser.run(thread, `question in ${thread}`);
  const smith = await backend.findSmithId({ kind: 'anonymous', id: browser.token });
  assert.ok(smith);
  return { browser, smith };
}

before(async () => {
  emu = await startEmulator();
  backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET } });
  app = await serveHandler({ backend, onError: () => {} });
  for (const [user, name] of [
    ['user_named', 'Named User'],
    ['user_plain', undefined],
  ] as const) {
    const { browser, smith } = await chat(`chat_${user}`);
    const result = await backend.claim(new Request(`${app.url}/login`, { headers: { cookie: browser.cookie! } }), {
      user_id: user,
      ...(name ? { display_name: name } : {}),
    });
    assert.equal(result.outcome, 'carried_over');
    claimed.push({ smith, token: browser.token, user });
  }
  for (const t of ['chat_b', 'chat_d']) anonymous.push((await chat(t)).smith);
});
after(async () => {
  await app.close();
  await emu.close();
});

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe('operate: claimed smiths are not logged-out visitors', () => {
  it('the raw anon: prefix lists the claimed smiths (the trap), the anonymous helpers do not', async () => {
    const raw: string[] = [];
    for await (const s of listAllSmiths(emu.client, { prefix: 'anon:' })) raw.push(s.id);
    for (const c of claimed) assert.ok(raw.includes(c.smith), 'a claimed smith keeps its anon: external_id');

    const listed = [];
    for await (const s of backend.listAnonymousSmiths()) listed.push(s);
    assert.deepEqual(ids(listed), [...anonymous].sort());

    const runs = [];
    for await (const r of backend.listAnonymousRuns()) runs.push(r);
    assert.ok(runs.length >= 2);
    for (const r of runs) assert.ok(anonymous.includes(r.smith_id), `run ${r.id} of a claimed smith listed`);
  });

  it('the idle filter uses the last run, not the creation time', async () => {
    const fresh = await emu.client.upsertSmith({ external_id: `anon:${'z'.repeat(43)}`, agent_id: EMULATOR_AGENT_ID, auto_memory: false });
    await new Promise((r) => setTimeout(r, 50));
    await emu.client.createRun(fresh.id, { input: [{ role: 'user', content: 'late run' }], stream: false });
    const lastRun = (await emu.client.listRuns({ external_id_prefix: fresh.external_id })).data[0]!.created_at;
    // 30 days after the run, less 10 ms: idle by creation time, not idle by the last run.
    const now = new Date(Date.parse(lastRun) + 30 * 86_400_000 - 10);
    const report = await listAnonymousActivity(emu.client, { directory: backend.directory, idleDays: 30, now });
    assert.ok(!report.smiths.some((a) => a.smith.id === fresh.id));
    const later = await listAnonymousActivity(emu.client, { directory: backend.directory, idleDays: 30, now: new Date(now.getTime() + 20) });
    const entry = later.smiths.find((a) => a.smith.id === fresh.id);
    assert.ok(entry);
    assert.deepEqual([entry.lastRunAt, entry.runs], [lastRun, 1]);
    assert.equal(later.claimedSkipped, 2);
    await emu.client.archiveSmith(fresh.id);
  });

  it('a dry run reports the anonymous smiths and changes nothing; --idle-days keeps recent ones', async () => {
    const recent = await archiveIdleAnonymousSmiths(emu.client, { directory: backend.directory, idleDays: 30 });
    assert.deepEqual(recent.archived, [], 'nothing is 30 days idle yet');
    const dry = await archiveIdleAnonymousSmiths(emu.client, { directory: backend.directory, idleDays: 0, dryRun: true });
    assert.deepEqual(dry.archived.map((a) => a.smith.id).sort(), [...anonymous].sort());
    for (const id of [...anonymous, ...claimed.map((c) => c.smith)]) assert.equal((await emu.client.getSmith(id)).archived_at, null);
  });

  it('archiving the whole anonymous segment leaves every claimed smith and its conversation alone', async () => {
    const done = await archiveIdleAnonymousSmiths(emu.client, { directory: backend.directory, idleDays: 0 });
    assert.deepEqual(done.archived.map((a) => a.smith.id).sort(), [...anonymous].sort());
    assert.equal(done.claimedSkipped, 2);
    for (const id of anonymous) assert.ok((await emu.client.getSmith(id)).archived_at);
    for (const c of claimed) {
      assert.equal((await emu.client.getSmith(c.smith)).archived_at, null);
      const account = new Browser(app.url);
      account.user = { id: c.user };
      assert.match(replyText(await account.run(`chat_${c.user}`, 'still there?')), /\(turn 2 in this thread\)/);
    }
  });

  it('archiveVisitor and archiveByExternalId refuse a claimed anonymous identity', async () => {
    const [named, plain] = claimed as [(typeof claimed)[0], (typeof claimed)[0]];
    assert.deepEqual(await backend.archiveVisitor({ kind: 'anonymous', id: named.token }), []);
    await assert.rejects(archiveByExternalId(emu.client, `anon:${plain.token}`), TypeError, 'an anon: id needs the directory');
    assert.equal(await archiveByExternalId(emu.client, `anon:${plain.token}`, { directory: backend.directory }), null);
    for (const c of claimed) assert.equal((await emu.client.getSmith(c.smith)).archived_at, null);
  });
});
