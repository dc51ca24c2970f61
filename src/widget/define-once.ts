/**
 * Registers `element` as `tag` unless the tag is taken (a chunk loaded twice, or the package entry
 * got there first). The on-demand chunks register themselves through it: one copy of the check
 * instead of one per element. No registry on a server (SSR, Node): it registers nothing there.
 */
export function defineOnce(tag: string, element: CustomElementConstructor): void {
  if (typeof customElements !== 'undefined' && !customElements.get(tag)) customElements.define(tag, element);
}
