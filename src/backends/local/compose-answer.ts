import type { HelpArticle } from './articles.js';
import type { RetrievedSection } from './retriever.js';

/** Sections of the best article worth quoting: those scoring close to the best one. */
const SAME_ARTICLE_RATIO = 0.8;
/** Another article is suggested as related when it scores at least this share of the best. */
const RELATED_RATIO = 0.85;

/**
 * Renders retrieved sections as a Markdown answer: a lead-in naming the article, the best section
 * (and a close runner-up from the same article, in the article's order), then the source.
 */
export function composeAnswer(matches: readonly RetrievedSection[], allSections: readonly RetrievedSection['section'][], options: { sourceLine?: boolean } = {}): string {
  const best = matches[0]!;
  const article = best.section.article;
  const picked = matches
    .filter((m) => m.section.article === article && m.score >= best.score * SAME_ARTICLE_RATIO)
    .slice(0, 2)
    .map((m) => m.section)
    .sort((a, b) => allSections.indexOf(a) - allSections.indexOf(b));
  // The lead text of an article rarely holds the steps: when it wins, prefer its best-scoring real section too.
  if (picked.length === 1 && picked[0]!.level === 1) {
    const next = matches.find((m) => m.section.article === article && m.section !== picked[0]);
    if (next) picked.push(next.section);
  }

  const parts: string[] = [`Here's what the help article **${article.title}** says:`];
  for (const section of picked) {
    if (section.level > 1) parts.push(`### ${section.heading}`);
    parts.push(section.body);
  }
  const related = matches.find((m) => m.section.article !== article && m.score >= best.score * RELATED_RATIO);
  if (related) {
    const r = related.section;
    parts.push(r.level === 1 ? `See also: **${r.article.title}**.` : `See also: **${r.article.title}** → ${r.heading}.`);
  }
  // Without links to cite (`source.added`), the article is at least named.
  if (options.sourceLine ?? true) parts.push(`Source: ${article.title}`);
  parts.push(`If this doesn't solve it, say "open a ticket" and I'll pass it to the support team.`);
  return parts.join('\n\n') + '\n';
}

/** The honest reply when no article answers the question; `productName` is left out when not given. */
export function composeNoMatch(productName?: string): string {
  const articles = productName ? `the ${productName} help articles` : 'the help articles';
  return (
    `I couldn't find an answer to that in ${articles}, and I'd rather not guess.\n\n` +
    `You can rephrase the question (for example "how do I reset my password?"), or I can **open a ticket** ` +
    `so a person from the support team gets back to you. Just say "open a ticket".\n`
  );
}

/** The articles an answer drew on: the best one, then a related one it mentions (as composeAnswer picks them). */
export function citedArticles(matches: readonly RetrievedSection[]): HelpArticle[] {
  const best = matches[0];
  if (!best) return [];
  const related = matches.find((m) => m.section.article !== best.section.article && m.score >= best.score * RELATED_RATIO);
  return related ? [best.section.article, related.section.article] : [best.section.article];
}
