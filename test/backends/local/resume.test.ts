// The local backend's replies survive a dropped connection: cut at every frame boundary and inside
// every frame, the turn finished by resuming has the uninterrupted reply's text, and the backend's
// history holds each question once (one run per turn).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import { startCuttingProxy, type CuttingProxy } from '../../support/cutting-proxy.js';
import { completeFrames, cutPoints, deltasOf, readUntilCut, turnWithCut } from '../core/resume-kit.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const filesDir = mkdtempSync(join(tmpdir(), 'ic-local-resume-'));
let server: ServeHandle;
let proxy: CuttingProxy;
let runs = 0;

before(async () => {
  const backend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 1, filesDir });
  const counted = { ...backend, run: (...args: Parameters<typeof backend.run>) => (runs++, backend.run(...args)) };
  server = await serve(
    createSupportHandler({ backend: counted, basePath: '/api/support', rateLimit: false, addressRateLimit: false, cookie: { secret: 'local-resume-secret-0123456789abcdef' } }),
    { port: 0 },
  );
  proxy = await startCuttingProxy(server.url);
});
after(async () => {
  await proxy.close();
  await server.close();
  rmSync(filesDir, { recursive: true, force: true });
});

describe('local backend: resume after a cut connection', () => {
  it('finishes every cut turn with the uninterrupted text, one run each', { timeout: 120_000 }, async () => {
    const session = await fetch(`${server.url}/api/support/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = session.headers.getSetCookie()[0]!.split(';')[0]!;
    const body = (thread_id: string) => ({ thread_id, input: [{ role: 'user', content: 'How do I reset my password?' }] });
    const reference = await readUntilCut(
      await fetch(`${server.url}/api/support/runs`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body('th_ref')) }),
    );
    const text = deltasOf(completeFrames(reference));
    assert.ok(text.length > 40, text);
    // The first frames' cut points, then a spread over the rest: the frames are many and alike
    // (every cut point is covered by the scripted test in test/backends/core/resume-cuts.test.ts).
    const all = cutPoints(reference);
    const step = Math.ceil(all.length / 10);
    const points = all.filter((_, i) => i < 6 || i % step === 0 || i === all.length - 1);
    for (const [n, cut] of points.entries()) {
      const before = runs;
      const frames = await turnWithCut(proxy, cut, { endpoint: `${proxy.url}/api/support`, body: body(`th_${n}`), key: `k-${n}`, headers: { cookie } });
      assert.equal(deltasOf(frames), text, `cut at byte ${cut}`);
      assert.equal(frames.at(-1)!.event, 'run.completed');
      assert.equal(runs, before + 1, `one run for the cut at byte ${cut}`);
    }
  });
});
