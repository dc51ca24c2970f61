import { tokenize } from './tokenizer.js';

/** Tuning of the ranking. Defaults are the textbook BM25 values. */
export interface Bm25Options {
  k1?: number;
  b?: number;
  /** How much a term in the title field counts relative to the body (BM25F field weight). */
  titleWeight?: number;
}

/** A document with two fields: the title (article title + section heading) and the body. */
export interface Bm25Document {
  title: string;
  body: string;
}

export interface Bm25Hit {
  /** Index of the document in the array given to the index. */
  index: number;
  score: number;
  /**
   * The score over the most this question could score in this index ({@link Bm25Index.maxScore}),
   * in [0, 1). Unlike the raw score it does not grow with the number of documents, so one threshold
   * suits a one-article folder and a large help centre alike.
   */
  relativeScore: number;
  /**
   * Share of the question's information that the document matched: the summed IDF of the query
   * terms found in it over the summed IDF of all query terms (unknown terms count as the rarest).
   * Used to decide honestly whether anything answers the question.
   */
  coverage: number;
}

interface IndexedDoc {
  title: Map<string, number>;
  body: Map<string, number>;
  titleLength: number;
  bodyLength: number;
}

function counts(tokens: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/**
 * BM25F over two fields (title, body). Each field's term frequency is length-normalised on its own
 * and weighted, the weighted sum is saturated once with k1, and multiplied by the term's IDF
 * (the Lucene variant, always positive).
 */
export class Bm25Index {
  readonly #docs: IndexedDoc[];
  readonly #df = new Map<string, number>();
  /**
   * The documents each term occurs in, in index order. A search visits only these, so a long
   * question of many distinct words costs its length plus the matching postings, not
   * words × documents (a 200 KB message over a large help centre took seconds).
   */
  readonly #postings = new Map<string, number[]>();
  readonly #avgTitle: number;
  readonly #avgBody: number;
  readonly #k1: number;
  readonly #b: number;
  readonly #titleWeight: number;

  constructor(documents: readonly Bm25Document[], options: Bm25Options = {}) {
    this.#k1 = options.k1 ?? 1.2;
    this.#b = options.b ?? 0.75;
    this.#titleWeight = options.titleWeight ?? 2.5;
    this.#docs = documents.map((d) => {
      const title = tokenize(d.title);
      const body = tokenize(d.body);
      return { title: counts(title), body: counts(body), titleLength: title.length, bodyLength: body.length };
    });
    this.#docs.forEach((d, index) => {
      for (const term of new Set([...d.title.keys(), ...d.body.keys()])) {
        const docs = this.#postings.get(term);
        if (docs) docs.push(index);
        else this.#postings.set(term, [index]);
      }
    });
    for (const [term, docs] of this.#postings) this.#df.set(term, docs.length);
    const n = Math.max(1, this.#docs.length);
    this.#avgTitle = this.#docs.reduce((s, d) => s + d.titleLength, 0) / n || 1;
    this.#avgBody = this.#docs.reduce((s, d) => s + d.bodyLength, 0) / n || 1;
  }

  get size(): number {
    return this.#docs.length;
  }

  /** Inverse document frequency; a term in no document gets the highest value. */
  idf(term: string): number {
    const n = this.#docs.length;
    const df = this.#df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * The upper bound of any document's score for this query: every term found, its frequency
   * saturated (the BM25 factor tends to k1 + 1). Terms in no document count at their (highest) IDF,
   * so a question that is half about something the index never mentions can reach at most about half.
   */
  maxScore(query: string): number {
    return [...new Set(tokenize(query))].reduce((s, t) => s + this.idf(t) * (this.#k1 + 1), 0);
  }

  /** Documents that match at least one query term, best first. */
  search(query: string, limit = 5): Bm25Hit[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0) return [];
    const idfs = terms.map((t) => this.idf(t));
    const totalIdf = idfs.reduce((s, x) => s + x, 0);
    const maxScore = totalIdf * (this.#k1 + 1);
    // Per document, terms are added in query order, as a loop over documents then terms would.
    const scores = new Map<number, { score: number; matchedIdf: number }>();
    terms.forEach((term, i) => {
      for (const index of this.#postings.get(term) ?? []) {
        const doc = this.#docs[index]!;
        const tfTitle = doc.title.get(term) ?? 0;
        const tfBody = doc.body.get(term) ?? 0;
        const normTitle = 1 - this.#b + (this.#b * doc.titleLength) / this.#avgTitle;
        const normBody = 1 - this.#b + (this.#b * doc.bodyLength) / this.#avgBody;
        const tf = (this.#titleWeight * tfTitle) / normTitle + tfBody / normBody;
        const acc = scores.get(index) ?? { score: 0, matchedIdf: 0 };
        acc.score += idfs[i]! * ((tf * (this.#k1 + 1)) / (tf + this.#k1));
        acc.matchedIdf += idfs[i]!;
        scores.set(index, acc);
      }
    });
    const hits: Bm25Hit[] = [];
    for (const [index, { score, matchedIdf }] of scores) {
      if (score > 0) {
        hits.push({ index, score, relativeScore: score / maxScore, coverage: totalIdf > 0 ? matchedIdf / totalIdf : 0 });
      }
    }
    hits.sort((a, b) => b.score - a.score || a.index - b.index);
    return hits.slice(0, limit);
  }
}
