// Whether a question is answered must not depend on how many articles the folder holds: BM25's IDF
// (and so its raw score) shrinks with the folder, and a fixed score threshold once made a folder of
// one article unable to answer its own title.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { Bm25Index, createLocalBackend, loadArticlesFromDir, type HelpArticle } from '../../../src/backends/local/index.js';
import { ArticleRetriever } from '../../../src/backends/local/retriever.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import { alice, collect, ctxFor, textInput, textOf } from './fixtures/turns.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));
const demo = loadArticlesFromDir(HELP_DIR);
const bySlug = (slug: string): HelpArticle => demo.find((a) => a.slug === slug)!;
const tmp = mkdtempSync(join(tmpdir(), 'ic-small-folders-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The audit's folder: `./help` with one article whose title is the question. */
const AUDIT_ARTICLE = `# How do I reset my password?

Go to the sign-in page and select **Forgot password?**. Enter your email address and we send you a
reset link. The link works for 60 minutes.

## The email never arrives

Check your spam folder, then request a new link after two minutes.
`;

const UNRELATED = ["what's the weather in Paris?", 'can I pay with bitcoin', 'who won the football game', 'recipe for banana bread'];

function answered(retriever: ArticleRetriever, question: string): string | null {
  const { matches } = retriever.retrieve(question);
  return matches.length ? matches[0]!.section.article.slug : null;
}

describe('a folder of one article', () => {
  it('answers the exact title question, from articlesDir on disk (the audit case)', () => {
    const dir = join(tmp, 'audit-help');
    mkdirSync(dir);
    writeFileSync(join(dir, 'password.md'), AUDIT_ARTICLE);
    const retriever = new ArticleRetriever(loadArticlesFromDir(dir));
    assert.equal(answered(retriever, 'How do I reset my password?'), 'password');
    assert.equal(answered(retriever, 'I forgot my password'), 'password');
    assert.equal(answered(retriever, 'the reset email never arrives'), 'password');
    for (const q of UNRELATED) assert.equal(answered(retriever, q), null, q);
  });

  it('fails with the old absolute minScore of 3, which is the defect this guards against', () => {
    const retriever = new ArticleRetriever([bySlug('reset-password')], { minScore: 3 });
    assert.equal(answered(retriever, 'How do I reset my password?'), null);
    assert.ok(retriever.retrieve('How do I reset my password?').best!.score < 1, 'IDF is tiny when every section says "password"');
  });

  describe('the demo reset-password article alone (five sections)', () => {
    const retriever = new ArticleRetriever([bySlug('reset-password')]);
    const cases: [string, RegExp][] = [
      ['How do I reset my password?', /forgotten/i],
      ['Reset your password', /forgotten/i],
      ['I forgot my password', /./],
      ['change my password', /change your password/i],
      ['what are the password requirements', /requirements/i],
    ];
    for (const [question, heading] of cases) {
      it(`answers "${question}"`, () => {
        const { matches } = retriever.retrieve(question);
        assert.ok(matches.length > 0, `no match; best ${JSON.stringify(retriever.retrieve(question).best?.relativeScore)}`);
        assert.match(matches[0]!.section.heading, heading);
      });
    }
    // Each of these shares a word or two with the article ("change", "settings", "account", "sign").
    for (const question of [
      ...UNRELATED,
      'how do I turn on 2FA',
      'can I get a refund',
      'how do I change the weather settings',
      'how do I delete my account',
      'how do I cancel my order',
    ]) {
      it(`has no answer to "${question}"`, () => {
        assert.deepEqual(retriever.retrieve(question).matches, []);
      });
    }
  });

  for (const article of demo) {
    it(`"${article.title}" alone answers its own title and nothing unrelated`, () => {
      const retriever = new ArticleRetriever([article]);
      assert.equal(answered(retriever, article.title), article.slug);
      for (const q of UNRELATED) assert.equal(answered(retriever, q), null, q);
    });
  }
});

describe('a folder of two articles', () => {
  const retriever = new ArticleRetriever([bySlug('reset-password'), bySlug('two-factor-authentication')]);
  const cases: [string, string][] = [
    ['How do I reset my password?', 'reset-password'],
    ['Two-factor authentication', 'two-factor-authentication'],
    ['I forgot my password', 'reset-password'],
    ['how to turn on 2FA', 'two-factor-authentication'],
    ['I lost my phone with the authenticator app', 'two-factor-authentication'],
    ['my password reset email never arrived', 'reset-password'],
  ];
  for (const [question, slug] of cases) {
    it(`answers "${question}" from ${slug}`, () => assert.equal(answered(retriever, question), slug));
  }
  for (const question of [...UNRELATED, 'can I get a refund', 'how do I change the weather settings']) {
    it(`has no answer to "${question}"`, () => assert.equal(answered(retriever, question), null));
  }

  it('every pair of demo articles answers both titles, each from its own article', () => {
    const failures: string[] = [];
    for (let i = 0; i < demo.length; i++) {
      for (let j = i + 1; j < demo.length; j++) {
        const pair = new ArticleRetriever([demo[i]!, demo[j]!]);
        for (const a of [demo[i]!, demo[j]!]) if (answered(pair, a.title) !== a.slug) failures.push(`${a.title} (with ${demo[i === demo.indexOf(a) ? j : i]!.slug})`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

describe('the bundled demo folder', () => {
  const retriever = new ArticleRetriever(demo);
  for (const article of demo) {
    it(`answers its title "${article.title}" from that article`, () => assert.equal(answered(retriever, article.title), article.slug));
  }
  for (const question of [...UNRELATED, 'is my data encrypted', 'how do I change the weather settings', 'do you offer annual billing']) {
    it(`has no answer to "${question}"`, () => assert.equal(answered(retriever, question), null));
  }
});

describe('Bm25Index.relativeScore', () => {
  it('stays put as the folder grows while the raw score does not', () => {
    const doc = { title: 'Reset your password', body: 'Select forgot password and follow the reset link.' };
    const filler = Array.from({ length: 40 }, (_, i) => ({ title: `Topic ${i}`, body: `Words about subject number ${i} here.` }));
    const alone = new Bm25Index([doc]).search('reset password')[0]!;
    const crowd = new Bm25Index([doc, ...filler]).search('reset password')[0]!;
    assert.ok(crowd.score > 5 * alone.score, `raw ${alone.score} → ${crowd.score}`);
    assert.ok(Math.abs(crowd.relativeScore - alone.relativeScore) < 0.05, `relative ${alone.relativeScore} → ${crowd.relativeScore}`);
    assert.ok(alone.relativeScore > 0.5 && alone.relativeScore < 1);
  });

  it('is the score over maxScore, and halves when half the question is unknown to the index', () => {
    const index = new Bm25Index([
      { title: 'Refunds', body: 'refund policy' },
      { title: 'Plans', body: 'pricing' },
    ]);
    const hit = index.search('refund')[0]!;
    assert.equal(hit.relativeScore, hit.score / index.maxScore('refund'));
    const partial = index.search('refund zebra')[0]!;
    assert.ok(partial.relativeScore < hit.relativeScore * 0.6, `${partial.relativeScore} vs ${hit.relativeScore}`);
  });
});

describe('retrieval thresholds', () => {
  for (const [name, value] of [
    ['minRelativeScore', 1.5],
    ['minRelativeScore', Number.NaN],
    ['minCoverage', -0.1],
    ['minScore', Infinity],
    ['minScore', '3'],
  ] as const) {
    it(`refuses ${name}: ${String(value)} with a clear error`, () => {
      assert.throws(
        () => new ArticleRetriever(demo, { [name]: value as number }),
        (err: unknown) => err instanceof RangeError && err.message.includes(`retrieval.${name} must be`),
      );
    });
  }

  it('a stricter minRelativeScore turns a weak match into no match', () => {
    const question = 'how do I return a stylus';
    const best = new ArticleRetriever(demo).retrieve(question).best!;
    assert.ok(best.relativeScore < 0.9);
    assert.deepEqual(new ArticleRetriever(demo, { minRelativeScore: 0.9 }).retrieve(question).matches, []);
  });
});

describe('productName', () => {
  const opts = { delayMs: 0, filesDir: join(tmp, 'files') };
  const reply = async (backend: ReturnType<typeof createLocalBackend>, text: string) => textOf(await collect(backend.run(textInput(text), ctxFor(alice))));

  it('is not invented when not given: no product is named in the no-answer reply or the greeting', async () => {
    const backend = createLocalBackend({ ...opts, articles: [bySlug('reset-password')] });
    const noMatch = await reply(backend, "what's the weather in Paris?");
    assert.match(noMatch, /couldn't find an answer to that in the help articles,/);
    const greeting = await reply(backend, 'Hello!');
    assert.match(greeting, /I'm the help assistant/);
    for (const text of [noMatch, greeting]) assert.doesNotMatch(text, /Acme|undefined/);
  });

  it('is named when given, and a blank one counts as none', async () => {
    const named = createLocalBackend({ ...opts, productName: 'Zed Notes', articles: [bySlug('reset-password')] });
    assert.match(await reply(named, "what's the weather in Paris?"), /in the Zed Notes help articles,/);
    assert.match(await reply(named, 'Hello!'), /I'm the Zed Notes help assistant/);
    const blank = createLocalBackend({ ...opts, productName: '  ', articles: [bySlug('reset-password')] });
    assert.match(await reply(blank, "what's the weather in Paris?"), /in the help articles,/);
  });
});

describe('the audit folder over HTTP (createSupportHandler + serve, as in the README)', () => {
  let server: ServeHandle;
  let api: string;
  before(async () => {
    const dir = join(tmp, 'http-help');
    mkdirSync(dir);
    writeFileSync(join(dir, 'password.md'), AUDIT_ARTICLE);
    const backend = createLocalBackend({ articlesDir: dir, delayMs: 0, filesDir: join(tmp, 'http-files') });
    server = await serve(createSupportHandler({ backend, basePath: '/api/support', rateLimit: false }), { port: 0 });
    api = `${server.url}/api/support`;
  });
  after(() => server.close());

  async function ask(text: string): Promise<string> {
    const session = await fetch(`${api}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const res = await fetch(`${api}/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({ thread_id: 'chat_audit', input: [{ role: 'user', content: text }], stream: false }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; output: { content: string }[] };
    assert.equal(body.status, 'completed');
    return body.output.map((o) => o.content).join('');
  }

  it('answers the title question and admits having no answer to the weather', async () => {
    const answer = await ask('How do I reset my password?');
    assert.match(answer, /Here's what the help article \*\*How do I reset my password\?\*\* says/);
    assert.doesNotMatch(answer, /couldn't find/);
    const weather = await ask("what's the weather in Paris?");
    assert.match(weather, /couldn't find an answer to that in the help articles/);
    assert.doesNotMatch(weather, /Acme/);
  });
});
