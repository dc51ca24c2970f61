// Cutting the connection anywhere in a reply loses and duplicates nothing: at every frame
// boundary and inside every frame, the turn finished by resuming (or, before the first frame, by
// repeating the POST with its Idempotency-Key) has the uninterrupted reply's events, and the
// backend ran the turn once. Real handler, real HTTP, a real proxy that drops the connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../../src/protocol/types.js';
import { startCuttingProxy, type CuttingProxy } from '../../support/cutting-proxy.js';
import { completeFrames, cutPoints, deltasOf, readUntilCut, turnWithCut } from './resume-kit.js';
import { postJson, scriptedBackend, startSupport, type RunningSupport } from './support-test-kit.js';

const WORDS = ['Bonjour ', 'Zoë, ', 'voilà ', 'la ', 'réponse ', '✓ ', '🙂 ', 'done.'];
let runCount = 0;

const backend = scriptedBackend({
  async *run(input) {
    const run_id = `run_${++runCount}`;
    yield { type: 'run.started', v: 1, run_id, thread_id: input.thread_id };
    for (const [i, word] of WORDS.entries()) {
      await new Promise((r) => setTimeout(r, 2));
      yield { type: 'message.delta', v: 1, run_id, delta: word };
      if (i === 3) {
        yield { type: 'tool_call.started', v: 1, run_id, tool_call_id: 'c1', name: 'search', arguments: { q: 'é' } };
        yield { type: 'tool_call.completed', v: 1, run_id, tool_call_id: 'c1', name: 'search', output: 'ok' };
      }
    }
    yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' } satisfies RunEvent;
  },
});

let support: RunningSupport;
let proxy: CuttingProxy;
let cookie: string;

before(async () => {
  support = await startSupport({ backend });
  proxy = await startCuttingProxy(support.url);
  const session = await postJson(`${support.endpoint}/session`, {});
  cookie = session.headers.getSetCookie()[0]!.split(';')[0]!;
});
after(async () => {
  await proxy.close();
  await support.close();
});

describe('resume after a cut connection (scripted backend)', () => {
  it('finishes every turn with the uninterrupted reply, whatever byte the connection dropped at', { timeout: 60_000 }, async () => {
    const body = { thread_id: 'th_ref', input: [{ role: 'user', content: 'hi' }] };
    const reference = await readUntilCut(await postJson(`${support.endpoint}/runs`, body, { cookie }));
    const expected = completeFrames(reference);
    assert.equal(deltasOf(expected), WORDS.join(''));
    const points = cutPoints(reference);
    assert.ok(points.length >= 2 * expected.length - 1, `${points.length} cut points`);
    for (const [n, cut] of points.entries()) {
      const before = backend.calls.runs.length;
      const frames = await turnWithCut(proxy, cut, { endpoint: `${proxy.url}/api/support`, body: { ...body, thread_id: `th_${n}` }, key: `key-${n}`, headers: { cookie } });
      assert.deepEqual(
        frames.map((f) => [f.event, f.data['delta'] ?? f.data['tool_call_id'] ?? '']),
        expected.map((f) => [f.event, f.data['delta'] ?? f.data['tool_call_id'] ?? '']),
        `cut at byte ${cut}`,
      );
      assert.equal(backend.calls.runs.length, before + 1, `one run upstream for the cut at byte ${cut}`);
    }
    // Both ways of finishing were taken: resuming after an id, and repeating the keyed POST.
    const resumes = proxy.seen.filter((s) => s.startsWith('GET ') && s.endsWith('/events')).length;
    const posts = proxy.seen.filter((s) => s.startsWith('POST ')).length;
    assert.ok(resumes >= points.length - 2, `${resumes} resumes`);
    assert.ok(posts > points.length, `${posts} POSTs for ${points.length} turns`);
  });
});
