// A long reply's blocks in groups. Each frame of a streaming reply changes only its last block, but
// the browser lays out, pre-paints and paints its parent's children again, and a flat reply of
// hundreds of blocks made that per-frame work grow with the reply (quadratic over a stream). Past
// the first CHUNK_BLOCKS blocks, blocks go into `<div class="chunk">` groups with layout containment
// (markdownStyles): a group whose blocks did not change is one box to the browser. Measured in
// Chromium on a 1,500-block reply growing every frame: layout 5.5 → 1.4 ms and pre-paint 2.1 → 0.3
// ms a frame. Not content-visibility (see markdownStyles): every block stays rendered and in the
// accessibility tree; a group is a plain `div`, which assistive technology passes over.
//
// Layout containment keeps the margins inside a group from collapsing with those outside it, so a
// group only starts at a block whose top margin is zero (a paragraph, list, quote, code block or
// table): the space between two groups is then the same as between the two blocks without them.

/** Blocks directly in the reply before the first group, and in each group. */
export const CHUNK_BLOCKS = 32;

const CHUNK_CLASS = 'chunk';

/** Blocks with no top margin (markdownStyles), where a group may start. */
const STARTS_CHUNK = new Set(['P', 'UL', 'OL', 'BLOCKQUOTE', 'DL', 'DETAILS', 'DIV']);

/** Where a reply's next settled block goes, and how many blocks are there already. */
export interface ChunkCursor {
  parent: ParentNode;
  count: number;
}

/** Blocks that go into one parent: the cursor's, or `chunk`, a new group not yet in the document. */
interface BlockGroup {
  parent: ParentNode;
  nodes: ChildNode[];
  chunk?: HTMLDivElement;
}

function startsChunk(node: ChildNode): boolean {
  return node.nodeType === 1 && STARTS_CHUNK.has((node as Element).tagName);
}

function newChunk(doc: Document): HTMLDivElement {
  const div = doc.createElement('div');
  div.className = CHUNK_CLASS;
  return div;
}

/**
 * Splits `nodes` (settled blocks, in order, that follow what `cursor` has placed) into the groups
 * they belong in: the first list goes into `cursor.parent`, each later one into a new group (the
 * element given with it, not yet in the document). Moves the cursor past them.
 */
export function placeBlocks(nodes: readonly ChildNode[], cursor: ChunkCursor, doc: Document): BlockGroup[] {
  let current: BlockGroup = { parent: cursor.parent, nodes: [] };
  const out = [current];
  for (const node of nodes) {
    if (cursor.count >= CHUNK_BLOCKS && startsChunk(node)) {
      const chunk = newChunk(doc);
      current = { parent: chunk, nodes: [], chunk };
      out.push(current);
      cursor.parent = chunk;
      cursor.count = 0;
    }
    current.nodes.push(node);
    cursor.count++;
  }
  return out;
}

/** A whole reply's blocks, grouped as a stream of it would be (see placeBlocks). */
export function groupBlocks(fragment: DocumentFragment): DocumentFragment {
  const nodes = Array.from(fragment.childNodes);
  if (nodes.length <= CHUNK_BLOCKS) return fragment;
  const cursor: ChunkCursor = { parent: fragment, count: 0 };
  for (const group of placeBlocks(nodes, cursor, fragment.ownerDocument)) {
    if (group.chunk) {
      group.chunk.append(...group.nodes);
      fragment.append(group.chunk);
    }
  }
  return fragment;
}
