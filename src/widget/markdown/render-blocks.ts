// marked, set up once for assistant replies, and the per-block pipeline used by both the one-shot and
// the streaming renderer: each top-level block is parsed to HTML, sanitised on its own and decorated.
// Sanitising per block (never the whole reply at once) is what makes streaming exact: a block's DOM
// depends on its own tokens only, so the incremental and one-shot results are the same nodes.
import { Lexer, Parser, Renderer, Tokenizer, getDefaults, type Links, type MarkedOptions, type Token, type Tokens } from 'marked';
import { PENDING_HREF, decorate, type DecorateOptions } from './decorate.js';
import { sanitizeToFragment } from './sanitize.js';

export type { Links };

class ChatRenderer extends Renderer {
  // GFM task lists render an <input>, which the sanitiser removes: show a box character instead.
  override checkbox({ checked }: Tokens.Checkbox): string {
    return checked ? '\u2611 ' : '\u2610 ';
  }
}

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
  renderer: new ChatRenderer(),
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

const parser = (): Parser => new Parser(OPTIONS);

/**
 * Sanitised, decorated blocks by the HTML marked made of them, for the last two frames: the
 * streaming tail re-renders the same finished blocks frame after frame (the block before the last
 * one, a block that settles as it was drafted), and the same HTML always sanitises to the same DOM.
 */
export class BlockCache {
  #current = new Map<string, DocumentFragment>();
  #previous = new Map<string, DocumentFragment>();

  /** A new frame: what the frame before last rendered is forgotten. */
  nextFrame(): void {
    this.#previous = this.#current;
    this.#current = new Map();
  }

  get(key: string): DocumentFragment | undefined {
    const hit = this.#current.get(key) ?? this.#previous.get(key);
    if (hit) this.#current.set(key, hit);
    return hit && (hit.cloneNode(true) as DocumentFragment);
  }

  set(key: string, fragment: DocumentFragment): void {
    this.#current.set(key, fragment.cloneNode(true) as DocumentFragment);
  }
}

/** Renders one top-level token to sanitised, decorated DOM (empty fragment for space/def). */
export function renderBlock(token: Token, options: DecorateOptions, cache?: BlockCache): DocumentFragment {
  if (token.type === 'space' || token.type === 'def') return document.createDocumentFragment();
  const html = parser().parse([token]);
  if (!html) return document.createDocumentFragment();
  // The options other than `draft` are fixed for a cache's owner, and `draft` only matters for a
  // pending link. Images are not cached: every copy of an <img> would start its own load.
  const key = cache && !html.includes('<img') ? (options.draft && html.includes(PENDING_HREF) ? 'd' : 'f') + html : undefined;
  const cached = key === undefined ? undefined : cache!.get(key);
  if (cached) return cached;
  // Decorate (which drops disallowed image URLs) before adopting: an <img> in the live document
  // starts loading even while detached.
  const out = document.adoptNode(decorate(sanitizeToFragment(html), options));
  if (key !== undefined) cache!.set(key, out);
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
