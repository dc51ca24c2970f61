// After sanitising: enforce the URL policy with the browser's own URL parser, and add the parts we
// build ourselves (code-block header with a Copy button, scrolling table wrapper, pending links).
// Everything here creates DOM nodes; nothing is parsed from strings (but a host highlighter's
// output, which goes through the sanitiser first: see highlight.ts).
import { highlightedCode, type Highlighter } from './highlight.js';

/** Labels this module puts in the DOM (localisable). */
export interface MarkdownLabels {
  /** Visible text of the Copy button. */
  copy: string;
  /** Accessible name of the Copy button. */
  copyCode: string;
  /** Shown briefly after copying. */
  copied: string;
  /** The line-wrap toggle (a pressed/not-pressed button). */
  wrap: string;
}

export const DEFAULT_LABELS: MarkdownLabels = { copy: 'Copy', copyCode: 'Copy code', copied: 'Copied', wrap: 'Wrap lines' };

export interface DecorateOptions {
  baseUrl?: string | undefined;
  images: boolean;
  labels: MarkdownLabels;
  /** Streaming draft: turn pending-link placeholders into pending spans. */
  draft: boolean;
  /** The host's syntax highlighter; not run on a streaming draft (the open block changes every frame). */
  highlight?: Highlighter | undefined;
}

/** The href the draft repair gives a link whose URL has not fully arrived. */
export const PENDING_HREF = '#ic-pending-link';

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** Resolves `value` like the browser would, against baseUrl; undefined when not allowed. */
export function safeUrl(value: string, baseUrl: string | undefined, schemes: ReadonlySet<string>): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    if (!baseUrl) return undefined; // relative, and nothing to resolve it against: dropped
    try {
      url = new URL(value, baseUrl);
    } catch {
      return undefined;
    }
  }
  return schemes.has(url.protocol) ? url.href : undefined;
}

// Right-to-left letters (Hebrew, Arabic and their presentation forms), and an id-like Latin token:
// letters and digits joined by - _ . / # : ("A-10482", "INV-2024/07").
export const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
export const ID = /[A-Za-z0-9]+(?:[-_./#:][A-Za-z0-9]+)+/g;

/**
 * In right-to-left text, an order id's neutral characters take the paragraph's direction: "A-10482"
 * shows as "10482-A", or as "-A" at a line's end. `text` split around its id-like tokens, each
 * wrapped by `wrap` (a `<bdi>`: its own direction, kept on one line by the styles); `text` itself
 * when it holds no RTL letters. Shared by replies (DOM, below) and the visitor's text (a template).
 */
export function isolateIdsIn<T>(text: string, wrap: (id: string) => T): string | (string | T)[] {
  if (!RTL.test(text)) return text;
  const out: (string | T)[] = [];
  let at = 0;
  for (const match of text.matchAll(ID)) {
    out.push(text.slice(at, match.index), wrap(match[0]));
    at = match.index + match[0].length;
  }
  out.push(text.slice(at));
  return out;
}

/** Each id-like token in a text node that also holds RTL letters goes in a `<bdi>` (see isolateIdsIn). */
function isolateIds(fragment: DocumentFragment): void {
  const walker = (fragment.ownerDocument ?? document).createTreeWalker(fragment, NodeFilter.SHOW_TEXT);
  const found: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (RTL.test(node.nodeValue!) && !node.parentElement?.closest('pre, bdi')) found.push(node as Text);
  }
  for (const node of found) {
    const pieces = isolateIdsIn(node.nodeValue!, (id) => {
      const bdi = el(node, 'bdi');
      bdi.textContent = id;
      return bdi;
    });
    if (pieces.length > 1 && typeof pieces !== 'string') node.replaceWith(...pieces);
  }
}

/** Creates an element in `near`'s (inert) document, so nothing loads before adoption. */
function el<K extends keyof HTMLElementTagNameMap>(near: Node, tag: K, className = ''): HTMLElementTagNameMap[K] {
  const made = (near.ownerDocument ?? document).createElement(tag);
  if (className) made.className = className;
  return made;
}

function setAttributes(target: Element, attributes: Record<string, string>): void {
  for (const name in attributes) target.setAttribute(name, attributes[name]!);
}

function unwrap(el: Element): void {
  el.replaceWith(...Array.from(el.childNodes));
}

function fixLink(a: HTMLAnchorElement, options: DecorateOptions): void {
  const raw = a.getAttribute('href');
  if (options.draft && raw === PENDING_HREF) {
    const span = el(a, 'span', 'pending-link');
    span.append(...Array.from(a.childNodes));
    a.replaceWith(span);
    return;
  }
  const href = raw === null ? undefined : safeUrl(raw, options.baseUrl, LINK_SCHEMES);
  if (!href) {
    unwrap(a); // keep the text, lose the link
    return;
  }
  setAttributes(a, { href, target: '_blank', rel: 'noopener noreferrer' });
}

const IMAGE_SCHEMES = new Set(['https:']);

function fixImage(img: HTMLImageElement, options: DecorateOptions): void {
  const raw = img.getAttribute('src');
  const src = options.images && raw !== null ? safeUrl(raw, options.baseUrl, IMAGE_SCHEMES) : undefined;
  if (!src) {
    const alt = img.getAttribute('alt');
    if (alt) img.replaceWith(img.ownerDocument.createTextNode(alt));
    else img.remove();
    return;
  }
  setAttributes(img, { src, alt: img.getAttribute('alt') ?? '', loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer' });
}

const LANGUAGE_CLASS = /^language-([\w+#.-]{1,40})$/;

function button(near: Node, className: string, text: string): HTMLButtonElement {
  const b = el(near, 'button', className);
  b.type = 'button';
  b.textContent = text;
  return b;
}

function decorateCodeBlock(pre: HTMLPreElement, options: DecorateOptions): void {
  const { labels } = options;
  const code = pre.firstElementChild;
  const match = code?.tagName === 'CODE' ? LANGUAGE_CLASS.exec(code.getAttribute('class') ?? '') : null;
  const block = el(pre, 'div', 'code-block');
  const header = el(pre, 'div', 'code-header');
  const lang = el(pre, 'span', 'code-lang');
  lang.textContent = match ? match[1]! : '';
  // Long lines scroll; the toggle wraps them instead. Its state is aria-pressed, its name stays.
  const wrap = button(pre, 'code-action', labels.wrap);
  wrap.setAttribute('aria-pressed', 'false');
  wrap.dataset.icWrap = '';
  const copy = button(pre, 'code-action copy-code', labels.copy);
  copy.setAttribute('aria-label', labels.copyCode);
  copy.dataset.icCopy = '';
  header.append(lang, wrap, copy);
  if (options.highlight && !options.draft && code?.tagName === 'CODE') {
    const coloured = highlightedCode(code.textContent ?? '', match ? match[1]! : '', options.highlight);
    if (coloured) code.replaceChildren(coloured);
  }
  // Long lines scroll sideways: the region must be reachable by keyboard (axe: scrollable-region-focusable).
  pre.tabIndex = 0;
  pre.replaceWith(block);
  block.append(header, pre);
}

function wrapTable(table: HTMLTableElement): void {
  const wrap = el(table, 'div', 'table-wrap');
  // A scrolling region must be reachable by keyboard (axe: scrollable-region-focusable). No landmark
  // role: several tables would be several same-named landmarks.
  wrap.tabIndex = 0;
  table.replaceWith(wrap);
  wrap.append(table);
}

/**
 * A reply's headings sit under the chat's own `<h2>` heading, so none is above `<h3>`: `#`, `##` and
 * `###` become h3; `####` to `######` keep their level. (Shifting every level by two would turn a
 * reply that starts at `###`, as many do, into an h5 straight after the h2: a skipped level.) The
 * class keeps the author's level for the size.
 */
function nestHeading(heading: HTMLHeadingElement): void {
  const depth = Number(heading.tagName[1]);
  if (depth < 3) {
    const nested = heading.ownerDocument.createElement('h3');
    for (const attr of Array.from(heading.attributes)) nested.setAttribute(attr.name, attr.value);
    nested.append(...Array.from(heading.childNodes));
    heading.replaceWith(nested);
    heading = nested;
  }
  heading.className = `heading-${depth}`;
}

/** Applies the URL policy and our own parts to a freshly sanitised fragment, in place. */
export function decorate(fragment: DocumentFragment, options: DecorateOptions): DocumentFragment {
  isolateIds(fragment);
  // One pass over the few elements that matter (collected first: the fixes move nodes around).
  for (const el of Array.from(fragment.querySelectorAll('[class], a, img, pre, table, h1, h2, h3, h4, h5, h6'))) {
    // Author-supplied classes could imitate our own parts: only marked's `language-*` survives.
    if (el.hasAttribute('class') && !(el.tagName === 'CODE' && LANGUAGE_CLASS.test(el.getAttribute('class') ?? ''))) el.removeAttribute('class');
    const tag = el.tagName;
    if (tag === 'A') fixLink(el as HTMLAnchorElement, options);
    else if (tag === 'IMG') fixImage(el as HTMLImageElement, options);
    else if (tag === 'PRE') decorateCodeBlock(el as HTMLPreElement, options);
    else if (tag === 'TABLE') wrapTable(el as HTMLTableElement);
    else if (/^H[1-6]$/.test(tag)) nestHeading(el as HTMLHeadingElement);
  }
  return fragment;
}
