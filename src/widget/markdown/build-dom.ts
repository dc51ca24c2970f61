// A reply's Markdown as DOM, built from marked's tokens: safe by construction. Every element is one
// we create from a fixed set, every attribute one we set (URLs only once the URL policy allows them),
// and the reply's text only ever becomes text nodes. Nothing the reply holds is parsed as HTML, so
// there is nothing to sanitise and no mutation XSS (that needs a serialise-and-reparse round trip).
// Raw HTML in a reply shows as the text it is, as in react-markdown's default and the assistants'
// own apps, except a few formatting tags without attributes that models do write (`<kbd>`, `<br>`).
import type { MarkedToken, Token, Tokens } from 'marked';
import { PENDING_HREF, isolateIdsIn, safeUrl, type DecorateOptions } from './decorate.js';
import { highlightedCode } from './highlight.js';
import { decodeReferences } from './inert-html.js';

type Parent = Element | DocumentFragment;

/** Creates an element, with a class, appended to `parent`. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, parent?: Parent | null, className?: string): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  if (className) made.className = className;
  parent?.append(made);
  return made;
}

const attrs = (target: Element, values: Record<string, string | null | undefined>): void => {
  for (const name in values) if (values[name]) target.setAttribute(name, values[name]);
};

/** Text as a text node; in right-to-left text, id-like tokens each in a `<bdi>` (see isolateIdsIn). */
function text(parent: Parent, value: string): void {
  const pieces = isolateIdsIn(value, (id) => {
    const bdi = h('bdi');
    bdi.textContent = id;
    return bdi;
  });
  if (pieces !== '') parent.append(...[pieces].flat());
}

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES = new Set(['https:']);

/** marked's own link cleaning (percent-encodes what a URL may not hold), then references decoded. */
function cleanUrl(href: string): string | undefined {
  try {
    return decodeReferences(encodeURI(href).replace(/%25/g, '%'));
  } catch {
    return undefined;
  }
}

/** The text of inline tokens, without their formatting (an image's alt text). */
const plain = (tokens: readonly Token[]): string =>
  tokens.map((t) => ('tokens' in t && t.tokens ? plain(t.tokens as Token[]) : t.type === 'br' ? '\n' : decodeReferences((t as { text?: string }).text ?? ''))).join('');

/** Formatting tags a reply may write as raw HTML, without attributes; any other tag shows as text. */
const RAW_TAGS = new Set('b i u s em strong del ins mark kbd sub sup small var samp q code'.split(' '));
const TAG = /^<(\/?)([a-z]+)\s*>$/i;
const BREAK = /^<br\s*\/?>$/i;
const COMMENT = /^<!--[\s\S]*-->\s*$/;

function inline(tokens: readonly Token[], parent: Parent, o: DecorateOptions): void {
  // Raw formatting tags open and close around the tokens between them.
  const open: Parent[] = [parent];
  // Neighbouring text (marked splits it at every character that might start a construct) goes in
  // one text node, as an HTML parser would make it: an id split across tokens is still found.
  let pending = '';
  const at = (): Parent => {
    text(open.at(-1)!, pending);
    pending = '';
    return open.at(-1)!;
  };
  for (const token of tokens) {
    const t = token as MarkedToken;
    switch (t.type) {
      case 'text':
        if (t.tokens) inline(t.tokens, at(), o);
        else pending += decodeReferences(t.text);
        break;
      case 'escape':
        pending += t.text;
        break;
      case 'checkbox':
        pending += t.checked ? '\u2611 ' : '\u2610 ';
        break;
      case 'strong':
      case 'em':
      case 'del':
        inline(t.tokens, h(t.type, at()), o);
        break;
      case 'codespan':
        text(h('code', at()), t.text);
        break;
      case 'br':
        h('br', at());
        break;
      case 'link':
        link(t, at(), o);
        break;
      case 'image':
        image(t, at(), o);
        break;
      case 'html': {
        const tag = TAG.exec(t.text);
        const name = tag?.[2]!.toLowerCase() as 'b';
        if (BREAK.test(t.text)) h('br', at());
        else if (!tag || !RAW_TAGS.has(name)) {
          if (!COMMENT.test(t.text)) pending += t.text;
        } else if (!tag[1]) open.push(h(name, at()));
        else {
          // A closing tag closes its element (and any left open inside it); a stray one is text.
          let k = open.length;
          while (--k > 0 && (open[k] as Element).localName !== name);
          if (k > 0) {
            at();
            open.length = k;
          } else pending += t.text;
        }
      }
    }
  }
  at();
}

function link(t: Tokens.Link, parent: Parent, o: DecorateOptions): void {
  if (o.draft && t.href === PENDING_HREF) return inline(t.tokens, h('span', parent, 'pending-link'), o);
  const url = cleanUrl(t.href);
  const href = url === undefined ? undefined : safeUrl(url, o.baseUrl, LINK_SCHEMES);
  // A link the policy refuses keeps its text and loses the link.
  if (!href) return inline(t.tokens, parent, o);
  const a = h('a', parent);
  attrs(a, { href, title: t.title && decodeReferences(t.title), target: '_blank', rel: 'noopener noreferrer' });
  inline(t.tokens, a, o);
}

function image(t: Tokens.Image, parent: Parent, o: DecorateOptions): void {
  const url = o.images ? cleanUrl(t.href) : undefined;
  const src = url === undefined ? undefined : safeUrl(url, o.baseUrl, IMAGE_SCHEMES);
  const alt = t.tokens ? plain(t.tokens) : decodeReferences(t.text);
  if (!src) return void parent.append(alt);
  // `loading` before `src`: a lazy image does not load while it is detached.
  const img = h('img');
  attrs(img, { loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer', src, title: t.title && decodeReferences(t.title) });
  img.alt = alt;
  parent.append(img);
}

const LANGUAGE = /^[\w+#.-]{1,40}$/;

function button(parent: Parent, className: string, label: string, data: string): HTMLButtonElement {
  const b = h('button', parent, `code-action${className}`);
  b.type = 'button';
  b.textContent = label;
  b.setAttribute(data, '');
  return b;
}

/** A code block with its header: the language, a wrap toggle and a Copy button. */
function code(t: Tokens.Code, parent: Parent, o: DecorateOptions): void {
  const info = /^\S*/.exec(t.lang ?? '')![0];
  const lang = LANGUAGE.test(info) ? info : '';
  const block = h('div', parent, 'code-block');
  const header = h('div', block, 'code-header');
  h('span', header, 'code-lang').textContent = lang;
  // Long lines scroll; the toggle wraps them instead. Its state is aria-pressed, its name stays.
  button(header, '', o.labels.wrap, 'data-ic-wrap').setAttribute('aria-pressed', 'false');
  button(header, ' copy-code', o.labels.copy, 'data-ic-copy').setAttribute('aria-label', o.labels.copyCode);
  const pre = h('pre', block);
  // Long lines scroll sideways: the region must be reachable by keyboard (axe: scrollable-region-focusable).
  pre.tabIndex = 0;
  const el = h('code', pre, lang && `language-${lang}`);
  const source = t.text ? `${t.text.replace(/\n$/, '')}\n` : '';
  // The host's highlighter does not run on a streaming draft: the open block changes every frame.
  el.append((o.highlight && !o.draft && highlightedCode(source, lang, o.highlight)) || source);
}

function table(t: Tokens.Table, parent: Parent, o: DecorateOptions): void {
  // A scrolling region must be reachable by keyboard (axe: scrollable-region-focusable). No landmark
  // role: several tables would be several same-named landmarks.
  const wrap = h('div', parent, 'table-wrap');
  wrap.tabIndex = 0;
  const el = h('table', wrap);
  const row = (cells: Tokens.TableCell[], section: Element, tag: 'th' | 'td'): void => {
    const tr = h('tr', section);
    for (const cell of cells) {
      const made = h(tag, tr);
      attrs(made, { align: cell.align });
      inline(cell.tokens, made, o);
    }
  };
  row(t.header, h('thead', el), 'th');
  if (t.rows.length) {
    const body = h('tbody', el);
    for (const cells of t.rows) row(cells, body, 'td');
  }
}

/** Renders block tokens into `parent`. */
export function blocks(tokens: readonly Token[], parent: Parent, o: DecorateOptions): void {
  for (const token of tokens) {
    const t = token as MarkedToken;
    switch (t.type) {
      case 'paragraph':
        inline(t.tokens, h('p', parent), o);
        break;
      case 'text':
      case 'checkbox':
        // A tight list item's text, and its task box.
        inline([t], parent, o);
        break;
      case 'heading': {
        // A reply's headings sit under the chat's own <h2>, so none is above <h3>: `#`, `##` and `###`
        // become h3 (shifting every level by two would turn a reply starting at `###`, as many do, into
        // an h5 straight after the h2: a skipped level). The class keeps the author's level for the size.
        const heading = h(t.depth < 3 ? 'h3' : (`h${t.depth}` as 'h3'), parent, `heading-${t.depth}`);
        inline(t.tokens, heading, o);
        break;
      }
      case 'hr':
        h('hr', parent);
        break;
      case 'blockquote':
        blocks(t.tokens, h('blockquote', parent), o);
        break;
      case 'list': {
        const list = h(t.ordered ? 'ol' : 'ul', parent);
        if (t.ordered && t.start !== 1) attrs(list, { start: String(t.start) });
        for (const item of t.items) blocks(item.tokens, h('li', list), o);
        break;
      }
      case 'code':
        code(t, parent, o);
        break;
      case 'table':
        table(t, parent, o);
        break;
      case 'html':
        // A block of raw HTML reads as its text (a comment reads as nothing).
        if (!COMMENT.test(t.text)) text(h('p', parent), t.text.replace(/\n+$/, ''));
    }
  }
}
