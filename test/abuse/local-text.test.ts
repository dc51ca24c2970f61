// Text had no size cap: a text-only turn got the attachment-sized body limit (~67 MB), and six
// 40 MB messages blocked the local backend 4.5 s each and left it at 820 MB (history kept them).
// Now a message over `max_text_chars` is refused with 413, and a text-only body is refused while it
// streams in, after a few hundred KB: the server neither blocks nor buffers it.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { PROBE_LIMIT_MS, describeProbe, startLocalDemo, whileProbing, type LocalDemo } from './latency-probe.js';

let demo: LocalDemo;
before(async () => (demo = await startLocalDemo()));
after(() => demo.close());

const TIMEOUT = { timeout: 120_000 };
const MB = 1024 * 1024;

/**
 * POSTs a turn whose text is `textBytes` of "a", streamed from one reused 64 KB chunk (so the client
 * holds no copy), chunked or with a declared Content-Length. Resolves with the answer.
 */
function postHugeText(url: string, textBytes: number, declareLength: boolean): Promise<{ status: number; body: string; sent: number }> {
  const prefix = Buffer.from('{"thread_id":"chat_big","stream":false,"input":[{"role":"user","content":"');
  const suffix = Buffer.from('"}]}');
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    let sent = 0;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (declareLength) headers['content-length'] = String(prefix.length + textBytes + suffix.length);
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode!, body, sent });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      // The server may close the connection right after its 413, while we are still writing.
      if (!req.destroyed || sent === 0) reject(err);
    });
    req.write(prefix);
    let left = textBytes;
    const pump = () => {
      while (left > 0 && !req.destroyed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end(suffix);
    };
    pump();
  });
}

/** Peak growth of heap and array buffers while `fn` runs, sampled every 5 ms. */
async function peakMemoryGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, used())), 5);
  try {
    const result = await fn();
    peak = Math.max(peak, used());
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('abuse: huge text messages against the local backend', () => {
  it('six 40 MB text messages at once: each 413, the server stays fast and small', TIMEOUT, async () => {
    const { result, growth } = await peakMemoryGrowth(() =>
      whileProbing(demo, () => Promise.all(Array.from({ length: 6 }, (_, i) => postHugeText(`${demo.api}/runs`, 40 * MB, i % 2 === 0)))),
    );
    const { result: answers, probe } = result;
    assert.deepEqual(probe.failures, []);
    assert.ok(probe.pageMs < PROBE_LIMIT_MS && probe.sessionMs < PROBE_LIMIT_MS, describeProbe(probe));
    for (const a of answers) {
      assert.equal(a.status, 413, a.body.slice(0, 200));
      assert.match(a.body, /"code":"payload_too_large"/);
      assert.match(a.body, /over the limit: 16,000 characters per message/);
    }
    assert.ok(growth < 100 * MB, `memory grew by ${(growth / MB).toFixed(0)} MB`);
  });

  it('a message just over the limit is refused after parsing, with the limit in the message', TIMEOUT, async () => {
    const res = await fetch(`${demo.api}/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ thread_id: 'chat_big', stream: false, input: [{ role: 'user', content: 'where is my order? '.repeat(1000) }] }),
    });
    assert.equal(res.status, 413);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'payload_too_large');
    assert.match(error.message, /19,000 characters of text; the limit is 16,000 characters per message/);
  });

  it('a long but allowed message gets a bounded, correct answer', TIMEOUT, async () => {
    const { result, probe } = await whileProbing(demo, async () => {
      const res = await fetch(`${demo.api}/runs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ thread_id: 'chat_long', stream: false, input: [{ role: 'user', content: 'how do I reset my password? ' + 'x '.repeat(7900) }] }),
      });
      return { status: res.status, body: (await res.json()) as { status: string } };
    });
    assert.equal(result.status, 200);
    assert.equal(result.body.status, 'completed');
    assert.ok(probe.pageMs < PROBE_LIMIT_MS && probe.sessionMs < PROBE_LIMIT_MS, describeProbe(probe));
  });
});
