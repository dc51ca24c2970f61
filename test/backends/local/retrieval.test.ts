import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadArticlesFromDir, splitSections } from '../../../src/backends/local/articles.js';
import { Bm25Index } from '../../../src/backends/local/bm25.js';
import { ArticleRetriever } from '../../../src/backends/local/retriever.js';
import { stem, tokenize } from '../../../src/backends/local/tokenizer.js';

const HELP_DIR = fileURLToPath(new URL('../../../demo/help/', import.meta.url));

describe('tokenize', () => {
  it('lower-cases, drops stop words and stems consistently', () => {
    assert.deepEqual(tokenize('How do I RESET my Passwords?'), ['reset', 'password']);
    assert.equal(stem('resetting'), stem('reset'));
    assert.equal(stem('invoices'), stem('invoice'));
    assert.equal(stem('shared'), stem('sharing'));
    assert.deepEqual(tokenize('log in'), tokenize('sign-in'));
    assert.deepEqual(tokenize('2FA'), tokenize('two-factor'));
  });
});

describe('Bm25Index', () => {
  it('ranks by term rarity and frequency, and boosts the title', () => {
    const index = new Bm25Index([
      { title: 'Billing', body: 'invoices payment card' },
      { title: 'Cards', body: 'payment' },
      { title: 'Other', body: 'payment payment payment payment' },
    ]);
    const hits = index.search('card');
    assert.deepEqual(
      hits.map((h) => h.index),
      [1, 0],
      'a title match beats a body match',
    );
    assert.equal(index.search('payment').length, 3);
    assert.deepEqual(index.search('zebra'), []);
    assert.ok(index.idf('zebra') > index.idf('payment'), 'an unknown term is the rarest');
  });

  it('normalises by length (b): the same term count in a shorter body scores higher', () => {
    const index = new Bm25Index([
      { title: 'a', body: 'export ' + 'filler '.repeat(50) },
      { title: 'b', body: 'export filler' },
    ]);
    assert.equal(index.search('export')[0]!.index, 1);
  });
});

describe('splitSections', () => {
  it('splits at ## and ### headings but not at # lines inside code fences', () => {
    const sections = splitSections({
      title: 'T',
      slug: 't',
      body: 'Lead text.\n\n## One\n\n```bash\n## not a heading\n```\n\n### Two\n\nBody two.\n',
    });
    assert.deepEqual(
      sections.map((s) => [s.heading, s.level]),
      [
        ['T', 1],
        ['One', 2],
        ['Two', 3],
      ],
    );
    assert.match(sections[1]!.body, /## not a heading/);
  });
});

describe('ArticleRetriever over the demo help articles', () => {
  const articles = loadArticlesFromDir(HELP_DIR);
  const retriever = new ArticleRetriever(articles);

  it('ships a dozen articles', () => {
    assert.ok(articles.length >= 12, `${articles.length} articles`);
  });

  const cases: [string, string, RegExp?][] = [
    ['How do I reset my password?', 'reset-password', /forgotten/i],
    ['I forgot my password', 'reset-password'],
    ['how to turn on 2FA', 'two-factor-authentication', /turn on/i],
    ['I lost my phone with the authenticator app', 'two-factor-authentication', /lost/i],
    ['where can I download my invoice', 'billing-and-invoices', /download an invoice/i],
    ['add our VAT number to invoices', 'billing-and-invoices', /VAT/],
    ['change my credit card', 'billing-and-invoices', /payment method/i],
    ['can I get a refund', 'refunds'],
    ['how long does a refund take to arrive', 'refunds', /how long/i],
    ['what does the pro plan cost', 'plans-and-pricing'],
    ['is there a student discount', 'plans-and-pricing', /discounts/i],
    ['how do I export my notes', 'export-your-data'],
    ['delete my account permanently', 'delete-your-account'],
    ['share a notebook with a colleague', 'sharing-notes'],
    ['does it work offline', 'offline-mode'],
    ['notes not syncing on my android phone', 'mobile-app-sync'],
    ['create an API key', 'api-keys', /create an api key/i],
    ['api rate limit 429', 'api-keys', /rate limits/i],
    ['the sign in page keeps reloading', 'troubleshooting-sign-in', /reloading/i],
    ['too many attempts error', 'troubleshooting-sign-in'],
    ['how do I return a stylus', 'store-orders-and-shipping', /returns/i],
  ];
  for (const [question, slug, heading] of cases) {
    it(`answers "${question}" from ${slug}`, () => {
      const { matches } = retriever.retrieve(question);
      assert.ok(matches.length > 0, 'no match above the threshold');
      assert.equal(matches[0]!.section.article.slug, slug);
      if (heading) assert.match(matches[0]!.section.heading, heading);
    });
  }

  for (const question of ['what is the weather in Paris', 'can I pay with bitcoin', 'who won the football game', 'recipe for banana bread', 'asdf qwerty', '???']) {
    it(`admits it has no answer to "${question}"`, () => {
      assert.deepEqual(retriever.retrieve(question).matches, []);
    });
  }
});
