// The AI SDK backend: a model's URL sources become `source.added` links (http/https only), and
// visitors' ratings go to the host's `onFeedback` hook, through the real handler on a real server.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { FeedbackRecord } from '../../../src/backends/core/index.js';
import { createAiSdkBackend } from '../../../src/backends/ai-sdk/index.js';
import { sendFeedback, startRun, type RunEvent } from '../../../src/protocol/index.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { startSupport, type RunningSupport } from '../core/support-test-kit.js';
import { finish, scriptedModel, text } from './ai-sdk-test-kit.js';

let running: RunningSupport | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

const source = (id: string, url: string, title?: string): LanguageModelV3StreamPart => ({ type: 'source', sourceType: 'url', id, url, ...(title ? { title } : {}) });
const as = (user: string) => ({ headers: { 'x-user': user } });

async function serve(parts: LanguageModelV3StreamPart[], got: FeedbackRecord[] = []) {
  const backend = createAiSdkBackend({ model: scriptedModel([{ parts }]), onFeedback: (f) => void got.push(f) });
  running = await startSupport({ backend, identify: (r) => (r.headers.get('x-user') ? { user_id: r.headers.get('x-user')! } : null) });
  return running.endpoint;
}

async function ask(endpoint: string, user = 'ada'): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of startRun(endpoint, { thread_id: 'chat_src', input: [{ role: 'user', content: 'refunds?' }] }, as(user))) out.push(e);
  return out;
}

describe('AI SDK backend: sources', () => {
  it('passes URL sources on as source.added, dropping other schemes', async () => {
    const endpoint = await serve([
      source('s1', 'https://help.example.com/refunds', 'Refunds'),
      source('s2', 'javascript:alert(1)', 'Bad'),
      source('s3', 'https://x.example/'),
      ...text('Yes.'),
      finish(),
    ]);
    const sources = (await ask(endpoint)).flatMap((e) => (e.type === 'source.added' ? [e.source] : []));
    assert.deepEqual(sources, [
      { title: 'Refunds', url: 'https://help.example.com/refunds' },
      { title: 'https://x.example/', url: 'https://x.example/' },
    ]);
  });
});

describe('AI SDK backend: feedback', () => {
  it('hands the owner’s rating to onFeedback with the visitor; refuses another visitor’s', async () => {
    const got: FeedbackRecord[] = [];
    const endpoint = await serve([...text('Hi.'), finish()], got);
    const runId = (await ask(endpoint))[0]!.run_id;
    await sendFeedback(endpoint, runId, { rating: 'up' }, as('ada'));
    assert.deepEqual(
      got.map((f) => [f.run_id, f.rating, f.visitor]),
      [[runId, 'up', { kind: 'user', id: 'ada' }]],
    );
    await assert.rejects(sendFeedback(endpoint, runId, { rating: 'down' }, as('bob')), (e: unknown) => e instanceof ProtocolError && e.status === 404);
    assert.equal(got.length, 1);
  });
});
