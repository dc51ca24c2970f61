// The local backend's sources (links to the help articles it answered from) and its feedback file,
// behind the real core handler on a real server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import type { RunEvent } from '../../../src/protocol/types.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ic-local-feedback-'));
const feedbackFile = join(dir, 'nested', 'feedback.jsonl');
let server: ServeHandle;
let api: string;

before(async () => {
  const backend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 0, filesDir: join(dir, 'files'), articlesUrl: '/help/', feedbackFile });
  server = await serve(createSupportHandler({ backend, basePath: '/api/support', rateLimit: false }), { port: 0 });
  api = `${server.url}/api/support`;
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newVisitor(): Promise<{ cookie: string; features: unknown }> {
  const res = await fetch(`${api}/session`, { method: 'POST' });
  const body = (await res.json()) as { features?: unknown };
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, features: body.features };
}

const post = (path: string, cookie: string, body: unknown) =>
  fetch(`${api}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) });

async function ask(cookie: string, text: string): Promise<RunEvent[]> {
  const res = await post('/runs', cookie, { thread_id: 'th_sources', input: [{ role: 'user', content: text }] });
  const events: RunEvent[] = [];
  for (const frame of (await res.text()).split('\n\n')) {
    const name = /^event: (.+)$/m.exec(frame)?.[1];
    const data = /^data: (.+)$/m.exec(frame)?.[1];
    if (name && data) events.push({ type: name, ...JSON.parse(data) } as RunEvent);
  }
  return events;
}

describe('local backend: sources', () => {
  it('cites the article it answered from as a link under articlesUrl, and drops the "Source:" line', async () => {
    const { cookie } = await newVisitor();
    const events = await ask(cookie, 'How do I reset my password?');
    const sources = events.flatMap((e) => (e.type === 'source.added' ? [e.source] : []));
    assert.equal(sources[0]?.title, 'Reset your password');
    assert.equal(sources[0]?.url, `${server.url}/help/reset-password`);
    assert.ok(sources[0]?.snippet && sources[0].snippet.length <= 160);
    assert.ok(events.findIndex((e) => e.type === 'source.added') < events.findIndex((e) => e.type === 'run.completed'));
    const text = events.map((e) => (e.type === 'message.delta' ? e.delta : '')).join('');
    assert.doesNotMatch(text, /Source:/);
  });

  it('cites nothing when no article answers', async () => {
    const { cookie } = await newVisitor();
    const events = await ask(cookie, 'xylophone quantum giraffe');
    assert.equal(events.filter((e) => e.type === 'source.added').length, 0);
  });
});

describe('local backend: feedback', () => {
  it('announces feedback and appends each rating as a JSON line, the anonymous cookie only hashed', async () => {
    const { cookie, features } = await newVisitor();
    assert.deepEqual(features, { resume: true, feedback: true });
    const runId = (await ask(cookie, 'How do I reset my password?'))[0]!.run_id;
    assert.equal((await post(`/runs/${runId}/feedback`, cookie, { rating: 'down', reasons: ['incorrect'], comment: 'Old screenshot' })).status, 200);
    assert.equal((await post(`/runs/${runId}/feedback`, cookie, { rating: 'up' })).status, 200);
    const lines = readFileSync(feedbackFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.deepEqual(
      { ...lines[0], received_at: 'x' },
      {
        received_at: 'x',
        run_id: runId,
        rating: 'down',
        reasons: ['incorrect'],
        comment: 'Old screenshot',
        thread_id: 'th_sources',
        visitor: { kind: 'anonymous', hash: lines[0].visitor.hash },
      },
    );
    assert.equal(lines[1].rating, 'up');
    const token = decodeURIComponent(cookie.split('=')[1]!);
    assert.ok(!readFileSync(feedbackFile, 'utf8').includes(token.slice(0, 20)), 'the cookie itself is never written');
  });

  it('writes nothing for a refused rating', async () => {
    const { cookie } = await newVisitor();
    const before = existsSync(feedbackFile) ? readFileSync(feedbackFile, 'utf8') : '';
    const runId = (await ask(cookie, 'How do I reset my password?'))[0]!.run_id;
    assert.equal((await post(`/runs/${runId}/feedback`, cookie, { rating: 'sideways' })).status, 400);
    const { cookie: other } = await newVisitor();
    assert.equal((await post(`/runs/${runId}/feedback`, other, { rating: 'up' })).status, 404);
    assert.equal(readFileSync(feedbackFile, 'utf8'), before);
  });

  it('offers no feedback with feedbackFile: false', async () => {
    const backend = createLocalBackend({ articles: [], delayMs: 0, filesDir: join(dir, 'files2'), feedbackFile: false });
    assert.equal(backend.feedback, undefined);
    assert.equal(backend.feedbackFile, null);
  });
});

describe('local backend: Continue after Stop', () => {
  const question = 'slow reply please: how do I reset my password?';

  /** The local backend over HTTP, its slow replies `slowDelayMs` a word, and one visitor's POST. */
  async function slowReplyApp(slowDelayMs: number, files: string) {
    const backend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 0, slowDelayMs, filesDir: join(dir, files), feedbackFile: false });
    const app = await serve(createSupportHandler({ backend, basePath: '/api/support', rateLimit: false }), { port: 0 });
    const base = `${app.url}/api/support`;
    const cookie = (await fetch(`${base}/session`, { method: 'POST' })).headers.get('set-cookie')!.split(';')[0]!;
    const send = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) });
    return { app, send };
  }

  it('sends the rest of the stopped reply, so both parts make the whole answer', async () => {
    const { app, send } = await slowReplyApp(5, 'files3');
    try {
      const turn = (content: string) => send('/runs', { thread_id: 'th_continue', input: [{ role: 'user', content }] });

      // The full answer, asked in another thread.
      const fullText = deltasOf(await (await send('/runs', { thread_id: 'th_full', input: [{ role: 'user', content: question }] })).text());

      // Stopped after a few words.
      const stopped = await turn(question);
      const reader = stopped.body!.pipeThrough(new TextDecoderStream()).getReader();
      let raw = '';
      let cancelled = false;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        raw += value;
        if (!cancelled && (raw.match(/event: message\.delta/g) ?? []).length >= 5) {
          cancelled = true;
          const runId = (JSON.parse(/^data: (.+)$/m.exec(raw)![1]!) as { run_id: string }).run_id;
          await send(`/runs/${runId}/cancel`, {});
        }
      }
      assert.match(raw, /"stop_reason":"cancelled"/);
      const partial = deltasOf(raw);
      assert.ok(partial.length > 0 && partial.length < fullText.length);

      const rest = deltasOf(await (await turn('Please continue.')).text());
      assert.equal(partial + rest, fullText);
    } finally {
      await app.close();
    }
  });

  it('waits for the stopped reply when Continue arrives before the cancel has reached it', async () => {
    // A browser leaving no longer ends a run: only the cancel does, a moment later. Here "Please
    // continue." is sent between the two, as a quick visitor on a slow link can: it must still see
    // the stopped reply in the history (before, it answered the whole question again).
    const { app, send } = await slowReplyApp(20, 'files4');
    try {
      const fullText = deltasOf(await (await send('/runs', { thread_id: 'th_full2', input: [{ role: 'user', content: question }] })).text());
      const stopped = await send('/runs', { thread_id: 'th_race', input: [{ role: 'user', content: question }] });
      const reader = stopped.body!.pipeThrough(new TextDecoderStream()).getReader();
      let raw = '';
      while ((raw.match(/event: message\.delta/g) ?? []).length < 5) raw += (await reader.read()).value ?? '';
      const runId = (JSON.parse(/^data: (.+)$/m.exec(raw)![1]!) as { run_id: string }).run_id;
      await reader.cancel();
      const continued = send('/runs', { thread_id: 'th_race', input: [{ role: 'user', content: 'Please continue.' }] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await send(`/runs/${runId}/cancel`, {});
      const rest = deltasOf(await (await continued).text());
      assert.ok(rest.length > 0 && rest.length < fullText.length, `the rest, not the whole answer: ${rest.slice(0, 60)}`);
      assert.ok(fullText.endsWith(rest), 'the rest is the end of the answer');
    } finally {
      await app.close();
    }
  });

  it('says there is nothing to continue at the start of a conversation', async () => {
    const { cookie } = await newVisitor();
    const res = await post('/runs', cookie, { thread_id: 'th_nothing', input: [{ role: 'user', content: 'Continue' }] });
    assert.match(deltasOf(await res.text()), /nothing to continue/);
  });
});

function deltasOf(sse: string): string {
  return [...sse.matchAll(/^event: message\.delta\ndata: (.+)$/gm)].map((m) => (JSON.parse(m[1]!) as { delta: string }).delta).join('');
}
