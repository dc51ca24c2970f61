// `npm start`'s server stops without cutting replies: a real SIGTERM mid-reply lets a short reply
// finish, ends one that outlasts IC_DRAIN_GRACE_MS with run.failed `unavailable`, and exits 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const GRACE_MS = 4_000;

function startDemoProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', join('demo', 'server.ts')], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      IC_DRAIN_GRACE_MS: String(GRACE_MS),
      // Ordinary replies fast (about a second), the "slow reply" at its usual 100 ms a word (tens of seconds).
      IC_DEMO_DELAY_MS: '2',
      IC_COOKIE_SECRET: 'shutdown-test-secret-0123456789abcdef0123456789',
      IC_FILES_DIR: mkdtempSync(join(tmpdir(), 'ic-demo-shutdown-')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /Demo: http:\/\/localhost:(\d+)\//.exec(output);
      if (m) {
        child.stdout.off('data', onData);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout.on('data', onData);
    void exited.then(() => reject(new Error(`the demo exited before listening:\n${output}`)));
  });
  return { child, url, exited, output: () => output };
}

/** Starts a streamed turn and resolves once its first delta has arrived; `rest` reads it to the end. */
async function openReply(url: string, content: string) {
  const res = await fetch(`${url}/api/support/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ thread_id: `chat_${content.length}`, input: [{ role: 'user', content }], stream: true }),
  });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('event: message.delta')) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const rest = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return { rest };
}

function lastEvent(text: string): { event: string; data: { error?: { code: string } } } {
  // A frame may start with its `id:` line (resumable runs).
  const blocks = text.split('\n\n').filter((b) => /^event: /m.test(b));
  const last = blocks.at(-1)!;
  return { event: /^event: (.*)$/m.exec(last)![1]!, data: JSON.parse(/^data: (.*)$/m.exec(last)![1]!) };
}

describe('demo server shutdown (real process, real SIGTERM)', () => {
  it('drains on SIGTERM: a short reply completes, a slow one ends with run.failed unavailable, exit code 0', async () => {
    const demo = startDemoProcess();
    try {
      const url = await demo.url;
      const [short, slow] = await Promise.all([openReply(url, 'How do I reset my password?'), openReply(url, 'slow reply please')]);
      const t0 = Date.now();
      demo.child.kill('SIGTERM');

      const shortText = await short.rest;
      assert.equal(lastEvent(shortText).event, 'run.completed', 'the reply under way finished');

      const slowText = await slow.rest;
      const last = lastEvent(slowText);
      assert.equal(last.event, 'run.failed');
      assert.equal(last.data.error?.code, 'unavailable');
      const elapsed = Date.now() - t0;
      assert.ok(elapsed >= GRACE_MS - 500, `the slow reply went on for the grace (${elapsed} ms)`);

      const { code, signal } = await demo.exited;
      assert.equal(signal, null);
      assert.equal(code, 0, demo.output());
      assert.match(demo.output(), /SIGTERM: no new replies/);
      assert.doesNotMatch(demo.output(), /Error|at .*\(/, 'nothing logged as an error');
    } finally {
      demo.child.kill('SIGKILL');
    }
  });

  it('exits at once on SIGINT when no reply is open, and a second signal does not cut the drain short', async () => {
    const demo = startDemoProcess();
    try {
      await demo.url;
      demo.child.kill('SIGINT');
      demo.child.kill('SIGINT'); // as when Ctrl-C reaches both `npm start` and the server
      const { code } = await demo.exited;
      assert.equal(code, 0, demo.output());
    } finally {
      demo.child.kill('SIGKILL');
    }
  });
});
