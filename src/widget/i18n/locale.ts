/**
 * Which language and writing direction an element is in: its own `lang`, else the closest
 * ancestor's (crossing shadow roots, so an element nested in another's shadow tree follows its host),
 * else the page's. DOM-only, no Lit, so the lazy launcher can use it too.
 */

/** Primary language subtags written right to left. */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** The BCP 47 tag that applies to `element`, or `null` when none is declared anywhere. */
export function languageOf(element: Element): string | null {
  let node: Element | null = element;
  while (node) {
    const found: Element | null = node.closest('[lang]');
    const lang = found?.getAttribute('lang');
    if (found && lang) return lang;
    // Not in this tree: continue from the shadow host, if any.
    const root = (found ?? node).getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return element.ownerDocument?.documentElement.getAttribute('lang') || null;
}

/** True for languages written right to left (`ar`, `he`, `fa`, …, any region). */
export function isRtlLanguage(lang: string | null | undefined): boolean {
  const primary = (lang ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return RTL_LANGUAGES.has(primary);
}

/**
 * The direction the element's content is laid out in: its own `dir="rtl|ltr"` when set, else the
 * direction of its language (so `lang="ar"` alone gives a right-to-left layout).
 */
export function directionOf(element: Element, lang: string | null): 'ltr' | 'rtl' {
  const own = element.getAttribute('dir')?.toLowerCase();
  if (own === 'rtl' || own === 'ltr') return own;
  return isRtlLanguage(lang) ? 'rtl' : 'ltr';
}
