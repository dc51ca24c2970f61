// marked, set up once for assistant replies, and the per-block pipeline used by both the one-shot and
// the streaming renderer: each top-level block is parsed to HTML, sanitised on its own and decorated.
// Sanitising per block (never the whole reply at once) is what makes streaming exact: a block's DOM
// depends on its own tokens only, so the incremental and one-shot results are the same nodes.
import { Lexer, Parser, Renderer, getDefaults, type Links, type MarkedOptions, type Token, type Tokens } from 'marked';
import { decorate, type DecorateOptions } from './decorate.js';
import { sanitizeToFragment } from './sanitize.js';

export type { Links };

class ChatRenderer extends Renderer {
  // GFM task lists render an <input>, which the sanitiser removes: show a box character instead.
  override checkbox({ checked }: Tokens.Checkbox): string {
    return checked ? '<span class="task">\u2611</span> ' : '<span class="task">\u2610</span> ';
  }
}

const OPTIONS: MarkedOptions = { ...getDefaults(), gfm: true, breaks: false, pedantic: false, renderer: new ChatRenderer() };

/** Lexes `src` as a whole document whose link definitions start as `links` (first one wins). */
export function lex(src: string, links?: Links): Token[] & { links: Links } {
  const lexer = new Lexer(OPTIONS);
  if (links) Object.assign(lexer.tokens.links, links);
  return lexer.lex(src) as Token[] & { links: Links };
}

const parser = (): Parser => new Parser(OPTIONS);

/** Renders one top-level token to sanitised, decorated DOM (empty fragment for space/def). */
export function renderBlock(token: Token, options: DecorateOptions): DocumentFragment {
  if (token.type === 'space' || token.type === 'def') return document.createDocumentFragment();
  const html = parser().parse([token]);
  if (!html) return document.createDocumentFragment();
  // Decorate (which drops disallowed image URLs) before adopting: an <img> in the live document
  // starts loading even while detached.
  return document.adoptNode(decorate(sanitizeToFragment(html), options));
}

/** Normalises a link label the way marked compares them, reduced to letters and digits so that a
 * label split by container markers (`>`) or line breaks in a block's source is still found. */
export function labelKey(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Collects the link definitions among `tokens` (also inside blockquotes and lists). */
export function collectDefs(tokens: readonly Token[], into: Tokens.Def[] = []): Tokens.Def[] {
  for (const token of tokens) {
    if (token.type === 'def') into.push(token as Tokens.Def);
    else if (token.type === 'blockquote') collectDefs((token as Tokens.Blockquote).tokens, into);
    else if (token.type === 'list') for (const item of (token as Tokens.List).items) collectDefs(item.tokens, into);
  }
  return into;
}
