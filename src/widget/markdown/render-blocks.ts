// marked, set up once for assistant replies, and the per-block pipeline used by both the one-shot and
// the streaming renderer: each top-level block is built as DOM from its own tokens (build-dom.ts).
// Rendering per block is what makes streaming exact: a block's DOM depends on its own tokens only,
// so the incremental and one-shot results are the same nodes.
import { Lexer, Tokenizer, getDefaults, type Links, type MarkedOptions, type Token, type Tokens } from 'marked';
import { blocks } from './build-dom.js';
import type { DecorateOptions } from './decorate.js';

export type { Links };

/** Labels of reference links that found no definition during the current lex (when tracking). */
let unresolved: Set<string> | null = null;

/** marked's label normalisation (the same for definitions and references). */
const normalizeLabel = (label: string): string => label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase().toLowerCase();

class TrackingTokenizer extends Tokenizer {
  // A reference whose definition has not arrived renders as text; remember its label so the block
  // can be re-rendered if the definition turns up later in the stream.
  override reflink(src: string, links: Links): ReturnType<Tokenizer['reflink']> {
    const token = super.reflink(src, links);
    if (unresolved && token?.type === 'text') {
      const cap = this.rules.inline.reflink.exec(src) ?? this.rules.inline.nolink.exec(src);
      if (cap) unresolved.add(normalizeLabel(cap[2] || cap[1] || ''));
    }
    return token;
  }
}

const OPTIONS: MarkedOptions = {
  ...getDefaults(),
  gfm: true,
  breaks: false,
  pedantic: false,
  tokenizer: new TrackingTokenizer(),
};

export type TokenList = Token[] & { links: Links };

/** Lexes `src` as a whole document whose link definitions start as `links` (first one wins). */
export function lex(src: string, links?: Links): TokenList {
  const lexer = new Lexer(OPTIONS);
  if (links) Object.assign(lexer.tokens.links, links);
  return lexer.lex(src) as TokenList;
}

/** Like lex(), also returning the labels of references left unresolved. */
export function lexTracking(src: string, links?: Links): { tokens: TokenList; unresolved: Set<string> } {
  const found = new Set<string>();
  unresolved = found;
  try {
    return { tokens: lex(src, links), unresolved: found };
  } finally {
    unresolved = null;
  }
}

/** Renders top-level tokens as DOM (nothing for space and definitions). */
export function renderTokens(tokens: readonly Token[], options: DecorateOptions): DocumentFragment {
  const out = document.createDocumentFragment();
  blocks(tokens, out, options);
  return out;
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
