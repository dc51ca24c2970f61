// The Ingram Cloud API has no hand-off endpoint: "Talk to a person" goes to the host's hook, with
// the thread id and the visitor's smith so the person can read the thread in the console.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIngramBackend, type IngramBackend, type IngramHandoffRecord } from '../../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../../src/backends/ingram/emulator/index.js';
import { errorOf, postJson, startSupport, visitorCookie, type RunningSupport } from '../core/support-test-kit.js';
import { startEmulator, TOKEN, type EmulatorServer } from './ingram-test-kit.js';

describe('Ingram backend: hand-off goes to the host’s hook', () => {
  let emu: EmulatorServer;
  let support: RunningSupport;
  let backend: IngramBackend;
  const got: IngramHandoffRecord[] = [];

  before(async () => {
    emu = await startEmulator();
    backend = createIngramBackend({
      token: TOKEN,
      baseUrl: emu.url,
      agentId: EMULATOR_AGENT_ID,
      onHandoff: (record) => {
        got.push(record);
        return { reference: 'CASE-1' };
      },
    });
    support = await startSupport({ backend, onError: () => {} });
  });
  after(async () => {
    await support.close();
    await emu.close();
  });

  it('announces hand-off; the hook gets the thread and the visitor’s smith; a stranger’s is refused', async () => {
    const cookie = await visitorCookie(support.endpoint);
    const session = (await (await fetch(`${support.endpoint}/session`, { method: 'POST', headers: { cookie } })).json()) as { features?: unknown };
    assert.deepEqual(session.features, { resume: true, handoff: true });
    await (await postJson(`${support.endpoint}/runs`, { thread_id: 'th_person', input: [{ role: 'user', content: 'hello' }] }, { cookie })).text();
    const ok = await postJson(`${support.endpoint}/handoff`, { thread_id: 'th_person', email: 'ada@example.com' }, { cookie });
    assert.deepEqual(await ok.json(), { v: 1, thread_id: 'th_person', handoff: { reference: 'CASE-1', email: 'ada@example.com' } });
    const record = got[0]!;
    assert.equal(record.thread_id, 'th_person');
    assert.match(record.smith_id, /\S/);
    assert.equal(record.smith_id, await backend.findSmithId(record.visitor));
    const stranger = await visitorCookie(support.endpoint);
    const refused = await errorOf(await postJson(`${support.endpoint}/handoff`, { thread_id: 'th_person', email: 'eve@example.com' }, { cookie: stranger }));
    assert.equal(refused.status, 404);
    assert.equal(got.length, 1);
  });

  it('offers no hand-off without a hook', () => {
    assert.equal(createIngramBackend({ token: TOKEN, baseUrl: emu.url, agentId: EMULATOR_AGENT_ID }).handoff, undefined);
  });
});
