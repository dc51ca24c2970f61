/**
 * The syntax-colouring hook: a host that wants coloured code sets `highlight` on `<ic-support-chat>`
 * to a function returning the code as HTML (e.g. highlight.js or Prism output). No highlighter ships
 * in the bundle. What it returns is parsed inertly and only its text and `<span class>` survive, as
 * fresh spans we build; it is thrown away unless its text is exactly the code (Copy copies what is shown).
 */
import { inertBody } from './inert-html.js';

/** `(code, language) => html`; `language` is the fence's info string ("ts"), or "" when none. */
export type Highlighter = (code: string, language: string) => string;

const TOKEN_CLASS = /^[A-Za-z][\w-]{0,39}$/;

/** The text of `from`, with a span of its token classes for each HTML `<span>` in it. */
function spans(from: Node, to: Node): void {
  for (const node of Array.from(from.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) to.appendChild(document.createTextNode(node.nodeValue!));
    else if (node.nodeType !== Node.ELEMENT_NODE) continue;
    // An uppercase tagName is an HTML element (an SVG `span` keeps its lowercase name).
    else if ((node as Element).tagName === 'SPAN') {
      const span = to.appendChild(document.createElement('span'));
      const classes = ((node as Element).getAttribute('class') ?? '').split(/\s+/).filter((c) => TOKEN_CLASS.test(c));
      if (classes.length) span.className = classes.join(' ');
      spans(node, span);
    } else spans(node, to);
  }
}

/** `code`'s content coloured by `highlight`, or `null` to keep it plain (it threw, or changed the text). */
export function highlightedCode(code: string, language: string, highlight: Highlighter): DocumentFragment | null {
  let body: HTMLElement | null;
  try {
    const html = highlight(code, language);
    body = typeof html === 'string' ? inertBody(html) : null;
  } catch {
    return null;
  }
  if (!body) return null;
  const out = document.createDocumentFragment();
  spans(body, out);
  return out.textContent === code ? out : null;
}
