// `ic-support-chat smiths list|archive` and `agent publish` against the emulator over real HTTP,
// with the SQLite smith directory a server wrote its claims to: claimed smiths are never listed
// or archived, --dry-run changes nothing, bad arguments exit 2.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/ic-support-chat.js';
import { createIngramBackend, listAllSmiths, SqliteSmithDirectory, type IngramBackend } from '../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../src/node/index.js';
import { Browser, SECRET, serveHandler } from '../backends/ingram/http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';

let emu: EmulatorServer;
let dir: string;
let dbFile: string;
let directory: SqliteSmithDirectory | undefined;
let backend: IngramBackend;
let app: ServeHandle | undefined;
let claimedSmith = '';
const anonymousSmiths: string[] = [];

before(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'ic-cli-smiths-'));
  dbFile = join(dir, 'smiths.db');
  try {
    directory = await SqliteSmithDirectory.open(dbFile);
  } catch {
    return; // better-sqlite3 (optional) missing: the tests skip
  }
  backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, directory });
  app = await serveHandler({ backend, onError: () => {} });
  const chat = async (thread: string) => {
    const b = new Browser(app!.url);
    await b.run(thread, 'hello');
    return { b, smith: (await backend.findSmithId({ kind: 'anonymous', id: b.token }))! };
  };
  const toClaim = await chat('chat_claim');
  const result = await backend.claim(new Request(`${app.url}/login`, { headers: { cookie: toClaim.b.cookie! } }), { user_id: 'user_cli' });
  assert.equal(result.outcome, 'carried_over');
  claimedSmith = toClaim.smith;
  for (const t of ['chat_1', 'chat_2']) anonymousSmiths.push((await chat(t)).smith);
});
after(async () => {
  await app?.close();
  directory?.close();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { IC_TOKEN: TOKEN, IC_BASE_URL: emu.url }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function active(): Promise<string[]> {
  const out: string[] = [];
  for await (const s of listAllSmiths(emu.client, { prefix: 'anon:' })) out.push(s.id);
  return out.sort();
}

const listedIds = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]!)
    .sort();

describe('ic-support-chat smiths', () => {
  it('refuses to run without the directory, with a missing file, or with a bad --idle-days', async (t) => {
    if (!directory) return t.skip('better-sqlite3 is not installed');
    assert.equal((await cli(['smiths', 'list'])).code, 2);
    const missing = join(dir, 'typo.db');
    const r = await cli(['smiths', 'archive', '--idle-days', '0', '--directory', missing]);
    assert.equal(r.code, 2);
    assert.ok(!existsSync(missing), 'a mistyped path is not created as an empty directory');
    assert.equal((await cli(['smiths', 'archive', '--directory', dbFile])).code, 2, 'archive needs --idle-days');
    for (const bad of ['-1', 'abc', '']) assert.equal((await cli(['smiths', 'list', '--directory', dbFile, '--idle-days', bad])).code, 2, bad);
    assert.equal((await cli(['smiths', 'delete', '--directory', dbFile])).code, 2);
  });

  it('list shows the logged-out visitors’ smiths only', async (t) => {
    if (!directory) return t.skip('better-sqlite3 is not installed');
    const r = await cli(['smiths', 'list', '--directory', dbFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(listedIds(r.stdout), [...anonymousSmiths].sort());
    assert.match(r.stderr, /1 claimed/);
    const json = await cli(['smiths', 'list', '--directory', dbFile, '--json']);
    assert.deepEqual((JSON.parse(json.stdout) as { smith: { id: string } }[]).map((a) => a.smith.id).sort(), [...anonymousSmiths].sort());
    const idle = await cli(['smiths', 'list', '--directory', dbFile, '--idle-days', '30']);
    assert.equal(idle.stdout, '', 'nothing is 30 days idle');
  });

  it('archive --dry-run changes nothing; archive then archives every anonymous smith but the claimed one', async (t) => {
    if (!directory) return t.skip('better-sqlite3 is not installed');
    const before = await active();
    const dry = await cli(['smiths', 'archive', '--directory', dbFile, '--idle-days', '0', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(listedIds(dry.stdout), [...anonymousSmiths].sort());
    assert.match(dry.stderr, /Would archive 2 .*Dry run: nothing changed/);
    assert.deepEqual(await active(), before);

    const real = await cli(['smiths', 'archive', '--directory', dbFile, '--idle-days', '0']);
    assert.equal(real.code, 0, real.stderr);
    assert.deepEqual(listedIds(real.stdout), [...anonymousSmiths].sort());
    assert.deepEqual(await active(), [claimedSmith]);
    assert.equal((await emu.client.getSmith(claimedSmith)).archived_at, null);
  });
});

describe('ic-support-chat agent publish', () => {
  it('publishes the next version (not live until rolled out) and prints its number', async () => {
    const r = await cli(['agent', 'publish', '--agent', EMULATOR_AGENT_ID, '--note', 'second']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '2\n');
    assert.match(r.stderr, /not live/);
    assert.equal((await emu.client.getAgent(EMULATOR_AGENT_ID)).live_version, 1);
    assert.equal((await cli(['agent', 'publish'])).code, 2);
    assert.equal((await cli(['agent', 'publish', '--agent', 'agt_nope'])).code, 1);
  });
});
