// The routes whose body is a few fields (approval decision, cancel, session) are capped at 16 KB,
// not at `maxBodyBytes` (sized for attachments, ~70 MB by default): an oversized body is refused
// with 413 as soon as its Content-Length or its streamed bytes say so, before it is read in full.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorOf, postJson, scriptedBackend, sendUntilAnswered, startSupport, type BodyAnswer, type RunningSupport } from './support-test-kit.js';

const CAP = 16 * 1024;
const backend = scriptedBackend();
let server: RunningSupport;

before(async () => {
  // Default limits: maxBodyBytes is ~70 MB here, so only the small-route cap can refuse early.
  // A signed-in visitor: a cookie-less approval or cancel is a 404 before its body is read, which
  // would hide the cap this file is about.
  server = await startSupport({ backend, identify: () => ({ user_id: 'u_body_cap' }) });
});
after(() => server.close());

const KB = new Uint8Array(1024).fill(0x61);
// A fresh approval each time: a second, different decision for one approval is refused (409) by the core.
let approvals = 0;
const approvalUrl = () => `${server.endpoint}/runs/run_1/approvals/apr_${++approvals}`;

function assert413(answer: BodyAnswer) {
  assert.equal(answer.status, 413, answer.body);
  const error = (JSON.parse(answer.body) as { error: { code: string; message: string } }).error;
  assert.equal(error.code, 'payload_too_large');
  assert.match(error.message, new RegExp(`${CAP}-byte limit`));
  assert.equal(answer.ended, false, 'refused while the client was still sending');
}

describe('small body cap: POST /runs/{id}/approvals/{id}', () => {
  it('413 from a declared 50 MB Content-Length, before the body is sent', async () => {
    const before = backend.calls.approvals.length;
    const answer = await sendUntilAnswered(approvalUrl(), {
      prefix: '{"decision":"approve","pad":"',
      chunk: KB,
      maxChunks: 0,
      suffix: '"}',
      contentLength: 50 * 1024 * 1024,
    });
    assert413(answer);
    assert.ok(answer.sent < 100, `only the prefix was sent (${answer.sent} bytes)`);
    assert.equal(backend.calls.approvals.length, before, 'the backend was never asked');
  });

  it('413 for a chunked body once it passes 16 KB, answered before the body ends', async () => {
    const before = backend.calls.approvals.length;
    // 2 MB on offer: far under maxBodyBytes, so without the cap this would be read in full and approved.
    const answer = await sendUntilAnswered(approvalUrl(), { prefix: '{"decision":"approve","pad":"', chunk: KB, maxChunks: 2048, suffix: '"}' });
    assert413(answer);
    assert.ok(answer.sent < 1024 * 1024, `stopped early (${answer.sent} bytes sent)`);
    assert.equal(backend.calls.approvals.length, before, 'the backend was never asked');
  });

  it('a decision under the cap (chunked or with Content-Length) still reaches the backend', async () => {
    const before = backend.calls.approvals.length;
    const chunked = await sendUntilAnswered(approvalUrl(), { prefix: '{"decision":"deny","stream":false,"pad":"', chunk: KB, maxChunks: 14, suffix: '"}' });
    assert.equal(chunked.status, 200, chunked.body);
    assert.equal(chunked.ended, true);
    const plain = await postJson(approvalUrl(), { decision: 'approve', stream: false });
    assert.equal(plain.status, 200);
    await plain.body?.cancel();
    assert.deepEqual(
      backend.calls.approvals.slice(before).map((a) => a.input.decision),
      ['deny', 'approve'],
    );
  });

  it('the cap is counted in bytes: one byte over is refused', async () => {
    const body = JSON.stringify({ decision: 'approve', pad: '' });
    const exact = JSON.stringify({ decision: 'approve', pad: 'x'.repeat(CAP - body.length) });
    assert.equal(Buffer.byteLength(exact), CAP);
    const ok = await postJson(approvalUrl(), exact);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    const over = await errorOf(await postJson(approvalUrl(), exact.replace('"pad":"', '"pad":"x')));
    assert.deepEqual([over.status, over.code], [413, 'payload_too_large']);
  });
});

describe('small body cap: POST /runs/{id}/cancel and /session', () => {
  for (const [route, calls] of [
    ['/runs/run_1/cancel', () => backend.calls.cancels.length],
    ['/session', () => backend.calls.sessions.length],
  ] as const) {
    it(`${route}: 413 from a declared 50 MB Content-Length`, async () => {
      const before = calls();
      const answer = await sendUntilAnswered(`${server.endpoint}${route}`, { prefix: '{"pad":"', chunk: KB, maxChunks: 0, suffix: '"}', contentLength: 50 * 1024 * 1024 });
      assert413(answer);
      assert.equal(calls(), before, 'the backend was never asked');
    });

    it(`${route}: 413 for a chunked body once it passes 16 KB`, async () => {
      const before = calls();
      const answer = await sendUntilAnswered(`${server.endpoint}${route}`, { prefix: '{"pad":"', chunk: KB, maxChunks: 2048, suffix: '"}' });
      assert413(answer);
      assert.ok(answer.sent < 1024 * 1024, `stopped early (${answer.sent} bytes sent)`);
      assert.equal(calls(), before, 'the backend was never asked');
    });

    it(`${route}: the widget's {} and an empty body still work`, async () => {
      const before = calls();
      const withJson = await postJson(`${server.endpoint}${route}`, {});
      assert.equal(withJson.status, 200);
      await withJson.body?.cancel();
      const empty = await fetch(`${server.endpoint}${route}`, { method: 'POST' });
      assert.equal(empty.status, 200);
      await empty.body?.cancel();
      assert.equal(calls(), before + 2);
    });
  }
});

describe('small body cap: POST /runs keeps maxBodyBytes', () => {
  it('a 32 KB turn is accepted', async () => {
    // 16,000 characters (the text limit per message), two UTF-8 bytes each.
    const text = 'é'.repeat(16_000);
    const res = await postJson(`${server.endpoint}/runs`, { thread_id: 't', input: [{ role: 'user', content: text }], stream: false });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal(backend.calls.runs.at(-1)!.input.input[0]!.content, text);
  });
});
