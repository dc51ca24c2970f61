// Finds elements through open shadow roots, for play functions (`within()` stops at shadow roots).

/** Every element matching `selector` in `root` and in the open shadow roots below it. */
export function deepQueryAll<T extends Element = HTMLElement>(root: ParentNode, selector: string): T[] {
  const found: T[] = [...root.querySelectorAll<T>(selector)];
  if (root instanceof Element && root.shadowRoot) found.push(...deepQueryAll<T>(root.shadowRoot, selector));
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deepQueryAll<T>(el.shadowRoot, selector));
  return found;
}

export function deepQuery<T extends Element = HTMLElement>(root: ParentNode, selector: string): T | null {
  return deepQueryAll<T>(root, selector)[0] ?? null;
}

/** The text of `root`, shadow roots included. */
export function deepText(root: Node): string {
  let text = '';
  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent ?? '';
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return text.replace(/\s+/g, ' ');
}
