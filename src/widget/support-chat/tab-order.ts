/**
 * The controls Tab reaches inside `root`, in order, through shadow roots and slots (the flattened
 * tree, as the browser's sequential navigation walks it). Positive tabindex values are not used in
 * the widget and are not reordered here.
 */
export function tabbableElements(root: Element, skip: (element: Element) => boolean = () => false): HTMLElement[] {
  const found: HTMLElement[] = [];
  const visit = (element: Element): void => {
    if (skip(element) || (element instanceof HTMLElement && element.inert)) return;
    if (isTabbable(element)) found.push(element);
    for (const child of flattenedChildren(element)) visit(child);
  };
  for (const child of flattenedChildren(root)) visit(child);
  return found;
}

function flattenedChildren(element: Element): Element[] {
  if (element instanceof HTMLSlotElement) {
    const assigned = element.assignedElements();
    return assigned.length ? assigned : [...element.children];
  }
  return [...(element.shadowRoot ?? element).children];
}

function isTabbable(element: Element): element is HTMLElement {
  if (!(element instanceof HTMLElement) || element.tabIndex < 0 || element.matches(':disabled')) return false;
  // tabIndex reads 0 for these, yet they take no focus: a link without href, a summary outside <details>.
  if (
    !element.hasAttribute('tabindex') &&
    (element.matches('a:not([href]), area:not([href])') || (element.localName === 'summary' && element.parentElement?.localName !== 'details'))
  ) {
    return false;
  }
  // Not rendered (display: none, a hidden ancestor, a closed <details>) or invisible: Tab skips it.
  // checkVisibilityCSS is visibilityProperty's first name (Safari 17.4 knows only that one).
  if (typeof element.checkVisibility === 'function') return element.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true });
  return isRenderedFallback(element);
}

/** For engines without checkVisibility (Safari before 17.4): the same answer from layout and style. */
function isRenderedFallback(element: HTMLElement): boolean {
  if (element.getClientRects().length === 0 || getComputedStyle(element).visibility !== 'visible') return false;
  const details = element.closest('details');
  return !details || details.open || element === details.querySelector(':scope > summary');
}
