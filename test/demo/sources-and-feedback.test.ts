// `npm start` on the local backend: the sources an answer cites open the demo's article pages, and
// a rating lands in the feedback file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createBackendFromEnv, createDemoHandler } from '../../demo/server.js';
import { articleHtml } from '../../demo/help-page.js';

const dir = mkdtempSync(join(tmpdir(), 'ic-demo-sources-'));
const feedbackFile = join(dir, 'feedback.jsonl');
const base = 'http://localhost:8787';

describe('demo: sources and feedback on the local backend', () => {
  it('cites articles as /help/{slug} pages that the demo serves, and keeps ratings in IC_FEEDBACK_FILE', async () => {
    const demo = await createBackendFromEnv({
      IC_FEEDBACK_FILE: feedbackFile,
      IC_HANDOFF_FILE: join(dir, 'handoffs.jsonl'),
      IC_DEMO_DELAY_MS: '0',
      IC_FILES_DIR: join(dir, 'files'),
    });
    assert.match(demo.name, /feedback in .*feedback\.jsonl/);
    const handler = createDemoHandler(demo);
    const session = await handler(new Request(`${base}/api/support/session`, { method: 'POST' }));
    assert.deepEqual(((await session.json()) as { features?: unknown }).features, { resume: true, feedback: true, handoff: true });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const post = (path: string, body: unknown) =>
      handler(new Request(`${base}/api/support${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) }));

    const stream = await (await post('/runs', { thread_id: 'demo_src', input: [{ role: 'user', content: 'How do I reset my password?' }] })).text();
    const sources = [...stream.matchAll(/^event: source\.added\ndata: (.+)$/gm)].map((m) => (JSON.parse(m[1]!) as { source: { title: string; url: string } }).source);
    assert.equal(sources[0]?.url, `${base}/help/reset-password`);
    const runId = (JSON.parse(/^data: (.+)$/m.exec(stream)![1]!) as { run_id: string }).run_id;

    for (const source of sources) {
      const page = await handler(new Request(source.url));
      assert.equal(page.status, 200, source.url);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.ok((await page.text()).includes(`<h1>${source.title}</h1>`));
    }

    assert.equal((await post(`/runs/${runId}/feedback`, { rating: 'down', reasons: ['incomplete'] })).status, 200);
    const line = JSON.parse(readFileSync(feedbackFile, 'utf8').trim()) as { run_id: string; rating: string };
    assert.deepEqual([line.run_id, line.rating], [runId, 'down']);
  });

  it('answers 404 for a help page that is not an article', async () => {
    const handler = createDemoHandler(await createBackendFromEnv({ IC_FEEDBACK_FILE: feedbackFile, IC_FILES_DIR: join(dir, 'files') }));
    for (const path of ['/help/nope', '/help/.env', '/help/%2e%2e%2fserver', '/help/Reset-Password']) {
      assert.equal((await handler(new Request(base + path))).status, 404, path);
    }
  });

  it('escapes the article text', () => {
    assert.equal(
      articleHtml('# A <b>\n\nUse `<script>` and **bold**.\n\n- one\n- two'),
      '<h1>A &#60;b&#62;</h1>\n<p>Use <code>&#60;script&#62;</code> and <strong>bold</strong>.</p>\n<ul><li>one</li><li>two</li></ul>',
    );
  });
});
