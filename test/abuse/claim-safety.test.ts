// Sign-in mid-chat on the Ingram backend, tried as a shared computer and a returning user would:
// a claim never overwrites an account's smith, never hands over or merges a conversation, claims
// only a conversation, rotates the anonymous cookie, retires the old identity, and honours
// userAutoMemory. Real handler and emulator over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIngramBackend, type ClaimResult, type IngramBackend } from '../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../src/backends/ingram/emulator/index.js';
import type { ServeHandle } from '../../src/node/index.js';
import { Browser, replyText, SECRET, serveHandler } from '../backends/ingram/http-browser.js';
import { startEmulator, TOKEN, type EmulatorServer } from '../backends/ingram/ingram-test-kit.js';

let emu: EmulatorServer;
let backend: IngramBackend;
let app: ServeHandle;

before(async () => {
  emu = await startEmulator();
  backend = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, onError: () => {} });
  app = await serveHandler({ backend, onError: () => {} });
});
after(async () => {
  await app.close();
  await emu.close();
});

/** The host's login route: claim with the browser's request as it is before sign-in. */
function signIn(b: Browser, user: { user_id: string; display_name?: string; customer_id?: string }, on: IngramBackend = backend): Promise<ClaimResult> {
  const headers: Record<string, string> = b.cookie ? { cookie: b.cookie } : {};
  return on.claim(new Request(`${app.url}/login`, { method: 'POST', headers }), user);
}

async function anonymousChat(thread: string, text: string): Promise<{ browser: Browser; smith: string; token: string }> {
  const browser = new Browser(app.url);
  await browser.run(thread, text);
  const smith = await backend.findSmithId({ kind: 'anonymous', id: browser.token });
  assert.ok(smith);
  return { browser, smith, token: browser.token };
}

describe('claim: an account that already has a conversation keeps it', () => {
  it('shared computer: a user with a smith keyed to their id (no directory record) is not moved to the anonymous smith', async () => {
    // Dana chatted signed in before: her smith is keyed to her user id, the directory knows nothing.
    const dana = new Browser(app.url);
    dana.user = { id: 'user_dana', name: 'Dana' };
    await dana.run('chat_dana', 'my account invoice question');
    const danaSmith = await backend.findSmithId({ kind: 'user', id: 'user_dana' });
    assert.equal(await backend.directory.get('user:user_dana'), null);

    // Someone else, not signed in, uses the same computer.
    const stranger = await anonymousChat('chat_dana', 'a stranger writes something private');
    const result = await signIn(stranger.browser, { user_id: 'user_dana', display_name: 'Dana' });
    assert.equal(result.outcome, 'user_has_smith');
    assert.equal(result.carriedOver, false);
    assert.equal(result.smithId, danaSmith);

    // Dana's conversation continues on her own smith, without the stranger's words.
    const next = replyText(await dana.run('chat_dana', 'any news?'));
    assert.match(next, /\(turn 2 in this thread\)/);
    assert.match(next, /my account invoice question/);
    assert.doesNotMatch(next, /stranger/);
    const smith = await emu.client.getSmith(stranger.smith);
    assert.equal(smith.display_name, null, 'nothing stamped on the stranger’s smith');
    assert.equal(smith.auto_memory, false, 'memory not switched on for what the stranger wrote');
    assert.ok(smith.archived_at, 'the stranger’s conversation is archived, not merged');
    assert.equal(await backend.directory.get('user:user_dana'), danaSmith);
  });

  it('returning user: an account that claimed before keeps its smith when it signs in after an anonymous chat', async () => {
    const first = await anonymousChat('chat_r', 'first anonymous question about order #7');
    const claimed = await signIn(first.browser, { user_id: 'user_ret' });
    assert.equal(claimed.outcome, 'carried_over');

    // Later, another browser: anonymous chat, then sign-in.
    const later = await anonymousChat('chat_r2', 'a second anonymous question');
    const result = await signIn(later.browser, { user_id: 'user_ret' });
    assert.deepEqual([result.outcome, result.carriedOver, result.smithId], ['user_has_smith', false, first.smith]);
    assert.equal(await backend.directory.get('user:user_ret'), first.smith, 'the record was not overwritten');

    const account = new Browser(app.url);
    account.user = { id: 'user_ret' };
    const reply = replyText(await account.run('chat_r', 'still there?'));
    assert.match(reply, /\(turn 2 in this thread\)/);
    assert.match(reply, /order #7/);
    // The second anonymous conversation is nowhere in the account, and its cookie is retired.
    assert.equal((await emu.client.getSmith(later.smith)).archived_at !== null, true);
    const stale = new Browser(app.url);
    stale.cookie = later.browser.cookie;
    assert.equal((await stale.request('/runs', { body: { thread_id: 'chat_r2', input: [{ role: 'user', content: 'x' }], stream: false } })).status, 401);
  });
});

describe('claim: only a conversation is claimed', () => {
  it('no cookie, a cookie without a smith, or a smith without a run: the user just gets their own smith', async () => {
    const none = await signIn(new Browser(app.url), { user_id: 'user_none1' });
    assert.equal(none.outcome, 'nothing_to_claim');

    const pageView = new Browser(app.url);
    assert.equal((await pageView.json('/session')).status, 200);
    const viewed = await signIn(pageView, { user_id: 'user_none2' });
    assert.deepEqual([viewed.outcome, viewed.carriedOver], ['nothing_to_claim', false]);
    assert.equal((await emu.client.getSmith(viewed.smithId)).external_id, 'user_none2');

    // A smith exists upstream for the cookie, but no run was ever made on it.
    const empty = new Browser(app.url);
    await empty.json('/session');
    const emptySmith = await emu.client.upsertSmith({ external_id: `anon:${empty.token}`, agent_id: EMULATOR_AGENT_ID, auto_memory: false });
    const result = await signIn(empty, { user_id: 'user_none3', display_name: 'Three' });
    assert.equal(result.outcome, 'nothing_to_claim');
    assert.notEqual(result.smithId, emptySmith.id);
    assert.equal((await emu.client.getSmith(result.smithId)).external_id, 'user_none3');
    assert.equal((await emu.client.getSmith(emptySmith.id)).display_name, null);
  });

  it('an account whose own smith never ran takes the anonymous conversation', async () => {
    const u = new Browser(app.url);
    u.user = { id: 'user_emptyown' };
    await u.json('/session'); // a page view signed in: a smith keyed to the id, no run
    const anon = await anonymousChat('chat_e', 'question before signing in');
    const result = await signIn(anon.browser, { user_id: 'user_emptyown' });
    assert.deepEqual([result.outcome, result.smithId], ['carried_over', anon.smith]);
    assert.match(replyText(await u.run('chat_e', 'and?')), /\(turn 2 in this thread\)/);
  });
});

describe('claim: races and retired identities', () => {
  it('two browsers claiming for one user at once: exactly one conversation carried over, the other not merged', async () => {
    const a = await anonymousChat('chat_c', 'from browser A');
    const b = await anonymousChat('chat_c', 'from browser B');
    const results = await Promise.all([signIn(a.browser, { user_id: 'user_race' }), signIn(b.browser, { user_id: 'user_race' })]);
    const winners = results.filter((r) => r.carriedOver);
    assert.equal(winners.length, 1, JSON.stringify(results));
    const winner = winners[0]!.smithId;
    const loser = winner === a.smith ? b.smith : a.smith;
    assert.ok(
      results.every((r) => r.smithId === winner),
      'both sign-ins land on the same account smith',
    );
    assert.equal(await backend.directory.get('user:user_race'), winner);
    const lost = await emu.client.getSmith(loser);
    assert.equal(lost.auto_memory, false);
    assert.ok(lost.archived_at);
  });

  it('the same login submitted twice: both answers say carried over, one smith', async () => {
    const a = await anonymousChat('chat_d', 'double submit');
    const [r1, r2] = await Promise.all([signIn(a.browser, { user_id: 'user_double' }), signIn(a.browser, { user_id: 'user_double' })]);
    assert.deepEqual([r1!.carriedOver, r2!.carriedOver, r1!.smithId, r2!.smithId], [true, true, a.smith, a.smith]);
    assert.equal((await emu.client.getSmith(a.smith)).archived_at, null);
  });

  it('the same login repeated after the first has finished (the old cookie again): carried over again, for that account only', async () => {
    // The order the concurrent test above hits only sometimes: the second sign-in looks the
    // identity up after the first retired it.
    const a = await anonymousChat('chat_twice', 'sent twice');
    const first = await signIn(a.browser, { user_id: 'user_twice' });
    const again = await signIn(a.browser, { user_id: 'user_twice' });
    assert.deepEqual([first.outcome, again.outcome, again.carriedOver, again.smithId], ['carried_over', 'carried_over', true, a.smith]);
    assert.match(
      replyText(
        await (async () => {
          const user = new Browser(app.url);
          user.user = { id: 'user_twice' };
          return user.run('chat_twice', 'still there?');
        })(),
      ),
      /\(turn 2 in this thread\)/,
    );
    // Someone else with that retired cookie gets nothing of it.
    const other = await signIn(a.browser, { user_id: 'user_not_twice' });
    assert.deepEqual([other.outcome, other.carriedOver], ['nothing_to_claim', false]);
    assert.notEqual(other.smithId, a.smith);
  });

  it('a retired cookie hands nothing over: the next person to sign in gets their own smith', async () => {
    const a = await anonymousChat('chat_s', 'account secret: order #999');
    const first = await signIn(a.browser, { user_id: 'user_first' });
    assert.equal(first.outcome, 'carried_over');
    // The host forgot to send the fresh cookie: someone else signs in with the old one.
    const second = await signIn(a.browser, { user_id: 'user_second' });
    assert.equal(second.outcome, 'nothing_to_claim');
    assert.notEqual(second.smithId, a.smith);
    const other = new Browser(app.url);
    other.user = { id: 'user_second' };
    assert.doesNotMatch(replyText(await other.run('chat_s', 'what did I ask?')), /#999/);
    // And the old cookie alone still opens nothing.
    const stale = new Browser(app.url);
    stale.cookie = a.browser.cookie;
    assert.equal((await stale.request('/runs', { body: { thread_id: 'chat_s', input: [{ role: 'user', content: 'x' }], stream: false } })).status, 401);
  });

  it('rotates the anonymous cookie: the result carries a fresh identity the handler accepts', async () => {
    const a = await anonymousChat('chat_rot', 'hello');
    const result = await signIn(a.browser, { user_id: 'user_rot' });
    assert.ok(result.setCookie);
    assert.match(result.setCookie, /^ic_visitor=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+; Path=\/;.*HttpOnly/);
    const fresh = new Browser(app.url);
    fresh.cookie = result.setCookie.split(';')[0]!;
    assert.notEqual(fresh.token, a.token);
    const session = await fresh.json('/session');
    assert.equal(session.status, 200);
    assert.equal(session.headers.get('set-cookie'), null, 'the fresh cookie is accepted as is');
    assert.match(replyText(await fresh.run('chat_rot', 'after logout')), /\(turn 1 in this thread\)/);
    // A bare visitor has no URL to mint for.
    const b = await anonymousChat('chat_rot2', 'x');
    const bare = await backend.claim({ kind: 'anonymous', id: b.token }, { user_id: 'user_rot2' });
    assert.equal(bare.setCookie, null);
    assert.equal(bare.outcome, 'carried_over');
  });
});

describe('claim honours userAutoMemory', () => {
  it('a claimed smith gets userAutoMemory (false here), not a hard-coded true', async () => {
    const quiet = createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, userAutoMemory: false });
    const quietApp = await serveHandler({ backend: quiet, onError: () => {} });
    try {
      const v = new Browser(quietApp.url);
      await v.run('chat_mem', 'hello');
      const result = await quiet.claim(new Request(`${quietApp.url}/login`, { headers: { cookie: v.cookie! } }), { user_id: 'user_nomem', display_name: 'N' });
      assert.equal(result.outcome, 'carried_over');
      const smith = await emu.client.getSmith(result.smithId);
      assert.deepEqual([smith.auto_memory, smith.display_name], [false, 'N']);
    } finally {
      await quietApp.close();
    }
  });
});

describe('claim: a smith archived under the claim', () => {
  it('an operator archive landing between the lookup and the stamp carries nothing over and leaves no record', async () => {
    let archiveBeforePatch: string | null = null;
    const faulty = await startEmulator({
      fault: ({ method, path }) => {
        // Stands in for an archive that lands just before the claim's PATCH: the API's own 404.
        if (method === 'PATCH' && archiveBeforePatch && path === `/v1/smiths/${archiveBeforePatch}`) {
          return { status: 404, code: 'not_found', message: 'No such smith.' };
        }
        return undefined;
      },
    });
    const b2 = createIngramBackend({ token: TOKEN, baseUrl: faulty.url, agentId: EMULATOR_AGENT_ID, cookie: { secret: SECRET }, onError: () => {} });
    const app2 = await serveHandler({ backend: b2, onError: () => {} });
    try {
      const v = new Browser(app2.url);
      await v.run('chat_gone', 'hello');
      archiveBeforePatch = await b2.findSmithId({ kind: 'anonymous', id: v.token });
      const result = await b2.claim(new Request(`${app2.url}/login`, { headers: { cookie: v.cookie! } }), { user_id: 'user_gone' });
      assert.deepEqual([result.outcome, result.carriedOver], ['nothing_to_claim', false]);
      assert.notEqual(result.smithId, archiveBeforePatch);
      assert.equal(await b2.directory.get('user:user_gone'), null, 'the record naming the archived smith is gone');
      assert.equal((await faulty.client.getSmith(result.smithId)).external_id, 'user_gone');
    } finally {
      await app2.close();
      await faulty.close();
    }
  });
});
