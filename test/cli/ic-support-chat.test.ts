// The agent bootstrap CLI against the emulator over real HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/ic-support-chat.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';

let emu: EmulatorServer;
let dir: string;
before(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'ic-cli-'));
  writeFileSync(join(dir, 'support.md'), 'You are the support assistant for Acme. Be concise.\n');
});
after(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, env, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('ic-support-chat agent create', () => {
  it('creates the agent, publishes v1 (live) and prints only the agt_ id on stdout', async () => {
    const r = await cli(['agent', 'create', '--slug', 'support', '--name', 'Support bot', '--instructions-file', join(dir, 'support.md'), '--tools', 'web_search'], {
      IC_TOKEN: TOKEN,
      IC_BASE_URL: emu.url,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^agt_[a-z0-9]+\n$/);
    const agent = await emu.client.getAgent(r.stdout.trim());
    assert.equal(agent.live_version, 1);
    assert.deepEqual(agent.enabled_hosted_tools, ['web_search']);
    assert.equal(agent.instructions, 'You are the support assistant for Acme. Be concise.');
  });

  it('works against the in-memory emulator with IC_BASE_URL=emulator', async () => {
    const r = await cli(['agent', 'create', '--slug', 'support', '--name', 'S', '--instructions', 'Be nice.'], { IC_TOKEN: 'test', IC_BASE_URL: 'emulator' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^agt_/);
  });

  it('refuses to run without IC_TOKEN, without --slug, with a bad command or an unreadable file', async () => {
    const file = join(dir, 'support.md');
    assert.equal((await cli(['agent', 'create', '--slug', 's', '--name', 'n', '--instructions-file', file], {})).code, 2);
    assert.equal((await cli(['agent', 'create', '--name', 'n', '--instructions-file', file], { IC_TOKEN: TOKEN })).code, 2);
    assert.equal((await cli(['agent', 'delete', '--slug', 's', '--name', 'n', '--instructions', 'x'], { IC_TOKEN: TOKEN })).code, 2);
    assert.equal((await cli(['agent', 'create', '--slug', 's', '--name', 'n', '--bogus'], { IC_TOKEN: TOKEN })).code, 2);
    const missing = await cli(['agent', 'create', '--slug', 's', '--name', 'n', '--instructions-file', join(dir, 'nope.md')], { IC_TOKEN: TOKEN, IC_BASE_URL: emu.url });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ENOENT/);
  });

  it('reports an API failure without printing the token', async () => {
    const r = await cli(['agent', 'create', '--slug', 'bad', '--name', 'n', '--instructions', 'x'], { IC_TOKEN: 'wrong-token-value', IC_BASE_URL: emu.url });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Failed/);
    assert.ok(!r.stderr.includes('wrong-token-value') && !r.stdout.includes('wrong-token-value'));
  });
});
