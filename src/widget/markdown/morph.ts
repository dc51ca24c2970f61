// Updates live DOM to match freshly rendered DOM, touching only what changed. The streaming tail is
// re-rendered every frame; morphing (instead of replacing) keeps text selection, focus on a Copy
// button and layout stable, so a growing reply neither flickers nor jumps.

function sameShell(a: Node, b: Node): boolean {
  if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
  if (a.nodeType !== Node.ELEMENT_NODE) return true;
  const ea = a as Element;
  const eb = b as Element;
  if (ea.attributes.length !== eb.attributes.length) return false;
  for (const attr of Array.from(eb.attributes)) if (ea.getAttribute(attr.name) !== attr.value) return false;
  return true;
}

/** Makes `live` equal to `next` (which is consumed). Returns the node now in the document. */
function morphNode(live: ChildNode, next: ChildNode): ChildNode {
  if (!sameShell(live, next)) {
    live.replaceWith(next);
    return next;
  }
  if (live.nodeType === Node.TEXT_NODE || live.nodeType === Node.COMMENT_NODE) {
    if (live.nodeValue !== next.nodeValue) live.nodeValue = next.nodeValue;
    return live;
  }
  morphChildren(live as Element, Array.from(next.childNodes), Array.from(live.childNodes));
  return live;
}

/**
 * Morphs the run of `liveNodes` (consecutive children of `parent`, possibly empty) into `nextNodes`,
 * inserting before `before` when the run is empty. Returns the resulting live nodes in order.
 */
export function morphChildren(parent: Node, nextNodes: ChildNode[], liveNodes: ChildNode[], before: Node | null = null): ChildNode[] {
  const out: ChildNode[] = [];
  const anchor = liveNodes.length ? liveNodes.at(-1)!.nextSibling : before;
  const shared = Math.min(nextNodes.length, liveNodes.length);
  for (let i = 0; i < shared; i++) out.push(morphNode(liveNodes[i]!, nextNodes[i]!));
  for (let i = shared; i < liveNodes.length; i++) liveNodes[i]!.remove();
  for (let i = shared; i < nextNodes.length; i++) {
    parent.insertBefore(nextNodes[i]!, anchor);
    out.push(nextNodes[i]!);
  }
  return out;
}
