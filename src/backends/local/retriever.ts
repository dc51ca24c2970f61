import { Bm25Index, type Bm25Options } from './bm25.js';
import { tokenize } from './tokenizer.js';
import { splitSections, type ArticleSection, type HelpArticle } from './articles.js';

export interface RetrieverOptions extends Bm25Options {
  /** Least BM25 score the best section must reach to count as an answer. */
  minScore?: number;
  /** Least share of the question's IDF that the best section must match (0–1). */
  minCoverage?: number;
}

export interface RetrievedSection {
  section: ArticleSection;
  score: number;
  coverage: number;
}

/** The outcome of looking a question up in the help articles. */
export interface Retrieval {
  /** The best matches above the thresholds, best first; empty when nothing answers the question. */
  matches: RetrievedSection[];
  /** The best candidate even when it is below the thresholds (for logs and tests). */
  best: RetrievedSection | null;
}

/** BM25 retrieval over the sections of a set of help articles. */
export class ArticleRetriever {
  readonly sections: ArticleSection[];
  readonly #index: Bm25Index;
  /** Every term of each section's whole article, for the coverage check. */
  readonly #articleTerms: Map<HelpArticle, Set<string>>;
  readonly #minScore: number;
  readonly #minCoverage: number;

  constructor(articles: readonly HelpArticle[], options: RetrieverOptions = {}) {
    this.sections = articles.flatMap((a) => splitSections(a));
    // The title field carries both the article's title and the section's heading, so a question
    // that names the topic ("refund") finds every section of the refunds article.
    this.#index = new Bm25Index(
      this.sections.map((s) => ({ title: s.level === 1 ? s.heading : `${s.article.title} ${s.heading}`, body: s.body })),
      options,
    );
    this.#articleTerms = new Map(articles.map((a) => [a, new Set(tokenize(`${a.title}\n${a.body}`))]));
    this.#minScore = options.minScore ?? 3;
    this.#minCoverage = options.minCoverage ?? 0.5;
  }

  retrieve(question: string, limit = 3): Retrieval {
    const hits = this.#index.search(question, limit);
    const terms = [...new Set(tokenize(question))];
    const idfs = terms.map((t) => this.#index.idf(t));
    const totalIdf = idfs.reduce((s, x) => s + x, 0);
    // Coverage is judged on the whole article: a section about returns answers "return a stylus"
    // when the article says elsewhere that the store sells styluses; "pay with bitcoin" still fails.
    const results = hits.map((h) => {
      const section = this.sections[h.index]!;
      const words = this.#articleTerms.get(section.article)!;
      const matched = terms.reduce((s, t, i) => (words.has(t) ? s + idfs[i]! : s), 0);
      return { section, score: h.score, coverage: totalIdf > 0 ? matched / totalIdf : 0 };
    });
    const best = results[0] ?? null;
    if (!best || best.score < this.#minScore || best.coverage < this.#minCoverage) return { matches: [], best };
    return { matches: results.filter((r) => r.score >= this.#minScore && r.coverage >= this.#minCoverage), best };
  }
}
