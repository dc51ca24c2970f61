// `npm start` on the local backend: "Talk to a person" lands in the hand-off file with the
// conversation; a signed-in demo account has an address, so it is asked for none.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createBackendFromEnv, createDemoHandler } from '../../demo/server.js';

const dir = mkdtempSync(join(tmpdir(), 'ic-demo-handoff-'));
const handoffFile = join(dir, 'handoffs.jsonl');
const base = 'http://localhost:8787';

describe('demo: hand-off on the local backend', () => {
  it('keeps the ticket in IC_HANDOFF_FILE and uses a signed-in account’s address', async () => {
    const demo = await createBackendFromEnv({
      IC_HANDOFF_FILE: handoffFile,
      IC_FEEDBACK_FILE: join(dir, 'feedback.jsonl'),
      IC_DEMO_DELAY_MS: '0',
      IC_FILES_DIR: join(dir, 'files'),
    });
    assert.match(demo.name, /hand-offs in .*handoffs\.jsonl/);
    const handler = createDemoHandler(demo);
    const session = await handler(new Request(`${base}/api/support/session`, { method: 'POST' }));
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const post = (path: string, body: unknown, cookies = cookie) =>
      handler(new Request(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookies, Origin: base }, body: JSON.stringify(body) }));

    await (await post('/api/support/runs', { thread_id: 'demo_person', input: [{ role: 'user', content: 'My notes do not sync' }] })).text();
    const anonymous = await post('/api/support/handoff', { thread_id: 'demo_person', email: 'ada@example.com' });
    const reference = ((await anonymous.json()) as { handoff: { reference: string } }).handoff.reference;
    const ticket = JSON.parse(readFileSync(handoffFile, 'utf8').trim()) as { reference: string; transcript: { text: string }[] };
    assert.equal(ticket.reference, reference);
    assert.equal(ticket.transcript[0]?.text, 'My notes do not sync');

    const login = await post('/demo/login', { user_id: 'user_dana', display_name: 'Dana' });
    const signedIn = login.headers.get('set-cookie')!.split(';')[0]!;
    const userSession = await handler(new Request(`${base}/api/support/session`, { method: 'POST', headers: { Cookie: signedIn } }));
    assert.deepEqual(((await userSession.json()) as { visitor: unknown }).visitor, { kind: 'user', display_name: 'Dana', has_email: true });
    await (await post('/api/support/runs', { thread_id: 'demo_dana', input: [{ role: 'user', content: 'hi' }] }, signedIn)).text();
    const handoff = await post('/api/support/handoff', { thread_id: 'demo_dana' }, signedIn);
    assert.equal(((await handoff.json()) as { handoff: { email: string } }).handoff.email, 'user_dana@example.com');
  });
});
