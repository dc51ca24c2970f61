// test:alone — it bounds how long hostile inputs take, so scripts/test.mjs runs it without neighbours.
// Hostile message lengths: every step a visitor's text goes through stays linear. Each of these
// inputs used to take from seconds to minutes (regexes backtracking quadratically, BM25 scoring
// words × sections, PDF scans from every header to the end). The limits are generous so a slow
// machine passes; the old code missed them by one to two orders of magnitude.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { ArticleRetriever, createLocalBackend, pdfPageCount, type HelpArticle } from '../../../src/backends/local/index.js';
import { detectIntent, stripSlowKeyword, wantsSlowReply } from '../../../src/backends/local/intents.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import type { RunEvent, RunEventOf } from '../../../src/protocol/types.js';
import { createPdfBudget } from '../../../src/backends/local/pdf-pages.js';
import { makePdfWithObjectStream } from './fixtures/build-files.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const N = 200_000;
const LIMIT_MS = 1000;
/** Fails the test instead of hanging the run when the old, quadratic code is back. */
const TIMEOUT = { timeout: 60_000 };

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Each one defeated a regex of intents.ts: adjacent or nested repeats anchored at `$`. */
const adversarial: [string, string][] = [
  ['ticket subject, commas', 'open a ticket about a' + ','.repeat(N) + 'b'],
  ['ticket subject, ", "', 'open a ticket about a' + ', '.repeat(N / 2) + 'b'],
  ['ticket subject, quotes', 'open a ticket about a' + '"'.repeat(N) + 'b'],
  ['ticket subject, colons', 'open a ticket about a' + ':'.repeat(N) + 'b'],
  ['ticket subject, ", please"', 'open a ticket about a' + ', please'.repeat(N / 8) + 'b'],
  ['greeting, spaces', 'hi' + ' '.repeat(N) + 'x'],
  ['greeting, "!"', 'hi' + '!'.repeat(N) + 'x'],
  ['slow keyword, spaces', 'slow' + ' '.repeat(N) + 'x'],
  ['answer, colons between lead words', 'ok' + ':'.repeat(N) + 'ok:2024'],
  ['answer, tabs before the id', '\t'.repeat(N) + 'x 12345'],
  ['order, spaces after the id', 'order #12345' + ' '.repeat(N) + 'x'],
];

describe('long messages: intent detection is linear', () => {
  for (const [what, text] of adversarial) {
    it(`${what} (${text.length} chars) in well under a second`, TIMEOUT, () => {
      for (const context of [{}, { afterOrderQuestion: true }]) {
        const { ms } = timed(() => detectIntent(text, context));
        assert.ok(ms < LIMIT_MS, `detectIntent took ${ms.toFixed(0)} ms`);
      }
      const slow = timed(() => [wantsSlowReply(text), stripSlowKeyword(text)]);
      assert.ok(slow.ms < LIMIT_MS, `the slow-reply keyword took ${slow.ms.toFixed(0)} ms`);
    });
  }

  it('reads an intent from the start of a long message', () => {
    const intent = detectIntent('open a ticket about a' + ','.repeat(N) + 'b');
    assert.equal(intent.kind, 'open_ticket');
    assert.equal(intent.kind === 'open_ticket' && intent.subject, 'A…', 'the subject is cut, and says so');
    assert.deepEqual(detectIntent('where is my order A-1001? ' + 'x '.repeat(N / 2)), { kind: 'lookup_order', orderId: 'A-1001' });
  });

  it('does not take a long message for a greeting or a bare answer, whatever it starts with', () => {
    assert.deepEqual(detectIntent('hi' + ' '.repeat(N)), { kind: 'question' });
    assert.deepEqual(detectIntent('12345' + ' '.repeat(N), { afterOrderQuestion: true }), { kind: 'question' });
    // Short, the same texts are what they look like.
    assert.deepEqual(detectIntent('hi   '), { kind: 'greeting' });
    assert.deepEqual(detectIntent('12345   ', { afterOrderQuestion: true }), { kind: 'lookup_order', orderId: '12345' });
  });
});

describe('subject and answer clean-up (rewritten without trailing regexes) keeps its results', () => {
  const subjects: [string, string | undefined][] = [
    ['open a ticket about my charger, thanks, please', 'My charger'],
    ['open a ticket about my charger thank you PLEASE', 'My charger'],
    ['open a ticket about “my charger”  ', 'My charger'],
    ['open a ticket about my charger ,  , :', 'My charger'],
    ['open a ticket about how to displease', 'How to displease'],
    ['open a ticket about please', 'Please'],
    ['open a ticket about , please', undefined],
    ['open a ticket about "" ', undefined],
  ];
  for (const [text, subject] of subjects) {
    it(`"${text}" → ${subject === undefined ? 'no subject' : `"${subject}"`}`, () => {
      assert.deepEqual(detectIntent(text), subject === undefined ? { kind: 'open_ticket' } : { kind: 'open_ticket', subject });
    });
  }

  // A year-shaped answer counts only after a word or ':' that introduces the number ("ok, 2024"
  // with a space is an opening clause, which a year never follows).
  const answers: [string, string | null][] = [
    ["it's,2024", '2024'],
    ['number:,2024', '2024'],
    ['ok:2024', '2024'],
    ['ok,:,2024', '2024'],
    ['ok,2024', null],
    ['this 2024', null],
  ];
  for (const [text, id] of answers) {
    it(`after "What's the order number?", "${text}" → ${id ?? 'not an answer'}`, () => {
      const intent = detectIntent(text, { afterOrderQuestion: true });
      assert.deepEqual(intent, id === null ? { kind: 'question' } : { kind: 'lookup_order', orderId: id });
    });
  }
});

describe('long messages: retrieval is linear in the message, whatever the number of sections', () => {
  it('scores a 200 KB message of distinct words over 3,000 sections in well under a second', TIMEOUT, () => {
    const articles: HelpArticle[] = Array.from({ length: 300 }, (_, a) => ({
      title: `Topic ${a}`,
      slug: `topic-${a}`,
      body: Array.from({ length: 10 }, (_, s) => `## Part ${s}\n\nWords about thing${a}x${s} and shared setup steps.\n`).join('\n'),
    }));
    const retriever = new ArticleRetriever(articles);
    assert.ok(retriever.sections.length >= 3000);
    const question = Array.from({ length: N / 6 }, (_, i) => `w${i.toString(36)}`).join(' ');
    const { value, ms } = timed(() => retriever.retrieve(question));
    assert.ok(ms < LIMIT_MS, `retrieve took ${ms.toFixed(0)} ms`);
    assert.deepEqual(value.matches, [], 'none of those words is in the articles');
    // The scoring is unchanged: a real question still finds its section.
    assert.equal(retriever.retrieve('thing7x3 setup').matches[0]?.section.heading, 'Part 3');
  });
});

describe('long messages: a whole turn over HTTP', () => {
  const filesDir = mkdtempSync(join(tmpdir(), 'ic-long-input-'));
  let server: ServeHandle;
  let api: string;
  let cookie: string;

  before(async () => {
    // Text and history caps far above these messages: this measures the steps behind them.
    const backend = createLocalBackend({ articlesDir: HELP_DIR, delayMs: 0, filesDir, maxHistoryBytesPerThread: 64 * 1024 * 1024 });
    server = await serve(createSupportHandler({ backend, basePath: '/api/support', rateLimit: false, limits: { max_text_chars: 4 * N } }), { port: 0 });
    api = `${server.url}/api/support`;
    const res = await fetch(`${api}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  });
  after(async () => {
    await server.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  async function turn(text: string, threadId: string): Promise<RunEvent[]> {
    const res = await fetch(`${api}/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({ thread_id: threadId, input: [{ role: 'user', content: text }], stream: true }),
    });
    assert.equal(res.status, 200);
    const events: RunEvent[] = [];
    for (const frame of (await res.text()).split('\n\n')) {
      const name = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)?.[1];
      if (name && data) events.push({ type: name, ...JSON.parse(data) } as RunEvent);
    }
    return events;
  }

  adversarial.forEach(([what, text], i) => {
    it(`${what}: POST /runs answers in well under a second`, TIMEOUT, async () => {
      const { value: events, ms } = await timedAsync(() => turn(text, `chat_long_${i}`));
      assert.ok(ms < LIMIT_MS, `the turn took ${ms.toFixed(0)} ms`);
      assert.equal(events.at(-1)?.type, 'run.completed');
    });
  });

  it('a ticket after many long messages does not re-read them at length', TIMEOUT, async () => {
    const threadId = 'chat_long_ticket';
    for (let i = 0; i < 10; i++) await turn('hi' + ' '.repeat(N) + `x${i}`, threadId);
    const { value: events, ms } = await timedAsync(() => turn('please open a ticket', threadId));
    assert.ok(ms < LIMIT_MS, `the turn took ${ms.toFixed(0)} ms`);
    const approval = events.find((e): e is RunEventOf<'approval.requested'> => e.type === 'approval.requested');
    const args = approval!.arguments as { subject: string; summary: string };
    assert.equal(args.subject, 'hi x9', 'the last question, its spaces collapsed');
    assert.ok(args.summary.length <= 500);
  });
});

describe('hostile PDFs: the page count stays linear and bounded', () => {
  const pdf = (body: string) => new Uint8Array(Buffer.from('%PDF-1.7\n' + body, 'latin1'));

  it('a long digit run', TIMEOUT, () => {
    const { ms } = timed(() => pdfPageCount(pdf('1 ' + '1'.repeat(N) + 'x')));
    assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
  });

  it('object headers without any "endobj"', TIMEOUT, () => {
    const { value, ms } = timed(() => pdfPageCount(pdf('1 0 obj\n'.repeat(100_000) + '<< /Type /Page >>')));
    assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
    assert.equal(value, 1, 'the loose /Type /Page fallback still counts');
  });

  it('object streams whose offsets go back and forth', TIMEOUT, () => {
    // Every other object would start at 0 and end at the last offset: each re-reads the whole stream.
    const pairs = 5_000; // under MAX_OBJECTS_PER_STREAM: a larger /N is refused before inflating
    const header = Array.from({ length: pairs }, (_, i) => `${i + 10} ${i % 2 ? 0 : 1_000_000}`).join(' ') + '\n';
    const data = deflateSync(Buffer.from(header + 'a'.repeat(1_000_000), 'latin1'));
    const body =
      `5 0 obj\n<< /Type /ObjStm /N ${pairs} /First ${header.length} /Filter /FlateDecode >>\nstream\n` + data.toString('latin1') + '\nendstream\nendobj\n<< /Type /Page >>';
    const { value, ms } = timed(() => pdfPageCount(pdf(body)));
    assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
    assert.equal(value, 1);
  });

  it('object streams that inflate to gigabytes stop at the budget: the count is then unknown', TIMEOUT, () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024)).toString('latin1'); // 64 MB from about 64 KB
    const bombs = Array.from({ length: 40 }, (_, i) => `${100 + i} 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n${bomb}\nendstream\nendobj\n`).join('');
    const legit = Buffer.from(makePdfWithObjectStream(4)).toString('latin1');
    const budget = createPdfBudget({ timeMs: 60_000 }); // the inflate cap must stop it, not the clock
    const { value, ms } = timed(() => pdfPageCount(new Uint8Array(Buffer.from(legit + bombs, 'latin1')), budget));
    assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms (2.5 GB to inflate without a budget)`);
    assert.equal(value, null, 'a partial count would be wrong: it is unknown');
    assert.equal(budget.gaveUp, true);
    assert.equal(pdfPageCount(makePdfWithObjectStream(4)), 4, 'a fresh budget counts again');
  });
});
