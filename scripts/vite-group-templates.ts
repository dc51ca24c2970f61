// The text of every tagged template in a chunk (Lit's html``, svg`` and css``, String.raw``), moved
// together to the top of the chunk. gzip finds repeats only within the last 32 KB it read; the
// standalone file is over 200 KB, so the markup and CSS of one element could not reuse the same
// attributes, class names and declarations of another written 50 KB earlier. Side by side they
// compress about 1 KB smaller (bench: bundle), with the JavaScript between them unchanged. A chunk
// that fits in the window once minified is left as it is (the table would only add its own bytes).
//
// Each `tag\`a${x}b\`` becomes `tag(T[i], x)`, where `T[i]` is `t\`a${0}b\`` evaluated once at the
// top of the chunk with `t = (s) => s`: the same strings array, frozen, with its `raw`, one object
// per call site, as the language itself gives the tag (Lit caches templates by that identity, and
// checks `raw` to refuse arrays that are not template strings). The tag and the substitutions are
// evaluated in the same order, at the same place, with the same `this` for a member tag. A tagged
// template under `new` (where the rewrite would change what is constructed) is left alone.
//
// It runs on each chunk before the minifier and returns a source map (a segment per character kept
// or moved), so the bundle's map, and the size bench's per-part composition, still hold.
import type { Plugin } from 'vite';
import { vlq } from './vite-minify-literals.ts';

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Chunks under this (as Rollup renders them, before minifying) are left alone. */
const MIN_CHUNK_CHARS = 64 * 1024;

const TAG = '__icTag';
const TABLE = '__icTemplates';

/** A piece of the output: text copied from the input at `from`, or inserted text (mapped to `at`). */
type Piece = { copy: [number, number] } | { text: string; at: number };

/** A source map (v3) of one chunk's rewrite. */
export interface ChunkMap {
  version: 3;
  sources: string[];
  names: string[];
  mappings: string;
}

/** Joins `pieces` of `code` into the output and its map back to `code`. */
function assemble(code: string, pieces: readonly Piece[], source: string): { code: string; map: ChunkMap } {
  const lineOf: number[] = new Array(code.length + 1);
  const columnOf: number[] = new Array(code.length + 1);
  for (let i = 0, line = 0, column = 0; i <= code.length; i++) {
    lineOf[i] = line;
    columnOf[i] = column;
    if (code[i] === '\n') {
      line++;
      column = 0;
    } else column++;
  }
  const lines: string[] = [];
  let segments: string[] = [];
  const out: string[] = [];
  let column = 0;
  let previous = { column: 0, line: 0, sourceColumn: 0 };
  const mark = (at: number): void => {
    const line = lineOf[at]!;
    const sourceColumn = columnOf[at]!;
    segments.push(vlq(column - previous.column) + 'A' + vlq(line - previous.line) + vlq(sourceColumn - previous.sourceColumn));
    previous = { column, line, sourceColumn };
  };
  const newline = (): void => {
    lines.push(segments.join(','));
    segments = [];
    column = 0;
    previous.column = 0;
  };
  const isWord = (c: string | undefined): boolean => c !== undefined && /[\w$]/.test(c);
  for (const piece of pieces) {
    if ('copy' in piece) {
      const [start, end] = piece.copy;
      for (let i = start; i < end; i++) {
        const c = code[i]!;
        if (c === '\n') {
          out.push(c);
          newline();
          continue;
        }
        // A segment where each token starts is enough for the maps chained after this one.
        if (i === start || !isWord(c) || !isWord(code[i - 1])) mark(i);
        out.push(c);
        column += c.length;
      }
    } else {
      mark(piece.at);
      for (const c of piece.text) {
        if (c === '\n') {
          out.push(c);
          newline();
        } else {
          out.push(c);
          column += c.length;
        }
      }
    }
  }
  lines.push(segments.join(','));
  return { code: out.join(''), map: { version: 3, sources: [source], names: [], mappings: lines.join(';') } };
}

/** `code` (one chunk, as Rollup renders it) with its tagged templates' text grouped at the top, or null. */
export function groupTemplates(code: string, parse: (code: string) => unknown, source = 'chunk.js'): { code: string; map: ChunkMap } | null {
  if (code.includes(TAG) || code.includes(TABLE)) return null;
  const sites: Node[] = [];
  const walk = (node: unknown, parent: Node | null, key: string): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child, parent, key);
      return;
    }
    if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
    const n = node as Node;
    if (n.type === 'TaggedTemplateExpression' && !(parent?.type === 'NewExpression' && key === 'callee')) sites.push(n);
    for (const [k, child] of Object.entries(n)) if (k !== 'type' && k !== 'start' && k !== 'end') walk(child, n, k);
  };
  walk(parse(code), null, '');
  if (sites.length === 0) return null;

  // Markup (html``, svg``) first, then the rest (CSS, plain strings), each group in the order of the
  // chunk: measured smaller than the chunk order or CSS first.
  const literals = sites.map((site) => site['quasi'] as Node & { quasis: Node[]; expressions: Node[] });
  const isMarkup = (i: number): boolean => code[literals[i]!.quasis[0]!.start] === '<';
  const order = [...sites.keys()].sort((a, b) => Number(isMarkup(b)) - Number(isMarkup(a)) || a - b);
  const slot = new Map(order.map((site, k) => [site, k]));

  // At each site the literal's delimiters and text become `(T[k], …)`; the substitutions stay.
  const edits: { start: number; end: number; text: string }[] = [];
  literals.forEach(({ start, end, expressions }, i) => {
    const ref = `${TABLE}[${slot.get(i)}]`;
    if (expressions.length === 0) edits.push({ start, end, text: `(${ref})` });
    else {
      edits.push({ start, end: expressions[0]!.start, text: `(${ref},` });
      for (let k = 1; k < expressions.length; k++) edits.push({ start: expressions[k - 1]!.end, end: expressions[k]!.start, text: ',' });
      edits.push({ start: expressions[expressions.length - 1]!.end, end, text: ')' });
    }
  });
  const pieces: Piece[] = [{ text: `const ${TAG}=(s)=>s,${TABLE}=[`, at: 0 }];
  order.forEach((i, k) => {
    const { start, end, quasis } = literals[i]!;
    pieces.push({ text: `${k === 0 ? '' : ','}${TAG}\``, at: start });
    quasis.forEach((q, n) => {
      if (n > 0) pieces.push({ text: '${0}', at: q.start });
      pieces.push({ copy: [q.start, q.end] });
    });
    pieces.push({ text: '`', at: end - 1 });
  });
  pieces.push({ text: '];\n', at: 0 });

  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    pieces.push({ copy: [at, edit.start] }, { text: edit.text, at: edit.start });
    at = edit.end;
  }
  pieces.push({ copy: [at, code.length] });
  return assemble(code, pieces, source);
}

/** The Vite plugin for the browser builds. */
export function groupedTemplates(): Plugin {
  return {
    name: 'ic-grouped-templates',
    apply: 'build',
    renderChunk: {
      order: 'pre',
      handler(code, chunk) {
        // A smaller chunk fits in gzip's window once minified: grouping would only add the table's cost.
        if (code.length < MIN_CHUNK_CHARS) return null;
        return groupTemplates(code, (text) => this.parse(text), chunk.fileName);
      },
    },
  };
}
