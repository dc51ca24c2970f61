import { Bm25Index, type Bm25Options } from './bm25.js';
import { tokenize } from './tokenizer.js';
import { splitSections, type ArticleSection, type HelpArticle } from './articles.js';

export interface RetrieverOptions extends Bm25Options {
  /**
   * Least share (0–1) of the most the question could score in this folder that the best section must
   * reach to count as an answer. Default 0.25. Relative, so it holds for a folder of one article
   * as for hundreds: raw BM25 scores shrink with the folder because IDF does.
   */
  minRelativeScore?: number;
  /**
   * Least raw BM25 score, on top of `minRelativeScore`. Default 0 (off): a fixed score is only
   * reachable by large folders (one article of five sections scores about 0.3 on its own title).
   */
  minScore?: number;
  /** Least share of the question's IDF that the best section's article must contain (0–1). Default 0.5. */
  minCoverage?: number;
}

export interface RetrievedSection {
  section: ArticleSection;
  score: number;
  /** `score` over the most this question could score here (0–1). */
  relativeScore: number;
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
  readonly #minRelativeScore: number;
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
    this.#minRelativeScore = checkedThreshold('minRelativeScore', options.minRelativeScore ?? 0.25, 1);
    this.#minScore = checkedThreshold('minScore', options.minScore ?? 0, Infinity);
    this.#minCoverage = checkedThreshold('minCoverage', options.minCoverage ?? 0.5, 1);
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
      return { section, score: h.score, relativeScore: h.relativeScore, coverage: totalIdf > 0 ? matched / totalIdf : 0 };
    });
    const best = results[0] ?? null;
    if (!best || !this.#answers(best)) return { matches: [], best };
    return { matches: results.filter((r) => this.#answers(r)), best };
  }

  #answers(r: RetrievedSection): boolean {
    return r.relativeScore >= this.#minRelativeScore && r.score >= this.#minScore && r.coverage >= this.#minCoverage;
  }
}

/** A mistyped threshold (a string from an env var, NaN) would silently answer everything or nothing. */
function checkedThreshold(name: string, value: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    const range = max === Infinity ? 'a finite number ≥ 0' : `a number from 0 to ${max}`;
    throw new RangeError(`retrieval.${name} must be ${range}, got ${String(value)}.`);
  }
  return value;
}
