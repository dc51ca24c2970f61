/**
 * The syntax-colouring hook: a host that wants coloured code sets `highlight` on `<ic-support-chat>`
 * to a function returning the code as HTML (e.g. highlight.js or Prism output). No highlighter ships
 * in the bundle. What it returns is treated like a reply: sanitised, only `<span class>` kept, and
 * thrown away unless its text is exactly the code (Copy copies what is shown).
 */
import { sanitizeToFragment } from './sanitize.js';

/** `(code, language) => html`; `language` is the fence's info string ("ts"), or "" when none. */
export type Highlighter = (code: string, language: string) => string;

const TOKEN_CLASS = /^[A-Za-z][\w-]{0,39}$/;

/** `code`'s content coloured by `highlight`, or `null` to keep it plain (it threw, or changed the text). */
export function highlightedCode(code: string, language: string, highlight: Highlighter): DocumentFragment | null {
  let html: string;
  try {
    html = highlight(code, language);
  } catch {
    return null;
  }
  if (typeof html !== 'string') return null;
  const fragment = sanitizeToFragment(html);
  for (const el of Array.from(fragment.querySelectorAll('*'))) {
    if (el.tagName !== 'SPAN') {
      el.replaceWith(...Array.from(el.childNodes));
      continue;
    }
    const classes = (el.getAttribute('class') ?? '').split(/\s+/).filter((c) => TOKEN_CLASS.test(c));
    for (const attr of Array.from(el.attributes)) el.removeAttribute(attr.name);
    if (classes.length) el.setAttribute('class', classes.join(' '));
  }
  return fragment.textContent === code ? fragment : null;
}
