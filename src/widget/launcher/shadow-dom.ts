// Shadow DOM for the dependency-free launcher parts, built without HTML strings or <style> elements:
// under the strict CSP docs/security.md recommends, assigning a string to innerHTML is a Trusted Types
// violation and an inline <style> needs style-src 'unsafe-inline'. Constructed stylesheets (what Lit
// uses too) are subject to neither.

/** Adds `css` to `root` as a constructed stylesheet. */
export function adoptCss(root: ShadowRoot, css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** An element with attributes and children; `svg` and `path` in the SVG namespace. */
export function h(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): Element {
  const el = tag === 'svg' || tag === 'path' ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}
