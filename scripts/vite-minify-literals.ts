// Build-time minification of the CSS inside Lit's css`` tagged templates. esbuild minifies the
// JavaScript around them, but a template literal's text is data to it, so the ~30 KB of indented,
// commented CSS in src/widget/**/*.styles.ts would ship as written. This plugin finds every css``
// literal with the parser Vite already runs (no regex guessing at where a literal ends), minifies
// the text between its `${}` interpolations, and writes the result back in place.
//
// The minifier is deliberately conservative: it removes comments, collapses whitespace and drops it
// only next to punctuation where CSS never needs it ({ } ; , : and after "(" / before ")"), plus the
// last ";" of a block. It never touches quoted strings, never removes the space before "(" (`and (`
// in media queries), or around + - * / > ~ (calc() and combinators need them), and treats an
// interpolation as an opaque word, so the spaces in `calc(-1 * ${x} + 4px)` survive. A literal it
// cannot read safely (an unclosed comment, a comment around an interpolation) is left as it is.
//
// In html`` and svg`` literals only the indentation goes: a run of whitespace holding a newline
// becomes one newline. HTML renders such a run as one space (white-space: normal or nowrap) or as a
// line break (pre-line) either way; only pre, pre-wrap and break-spaces would show the indentation,
// and the widget's templates put nothing but an interpolation inside those elements (a template
// that indented text inside one would already show the indentation, a bug in itself).
//
// Lines move, so the plugin returns a source map: a segment for every character it keeps and one
// for each literal it rewrites (applyEdits), which Rollup chains with esbuild's and terser's.
import type { Plugin } from 'vite';

/** An interpolation, while a literal's pieces are minified as one text. Never in CSS source. */
const HOLE = '\u0000';
/** Whitespace is dropped after these and before the next set; an interpolation counts as a word. */
const NO_SPACE_AFTER = new Set(['{', '}', ';', ',', ':', '(']);
const NO_SPACE_BEFORE = new Set(['{', '}', ';', ',', ')', '!']);

/**
 * Minifies CSS text (raw template-literal source, `HOLE` for each interpolation). Returns null when
 * the text cannot be minified safely.
 */
export function minifyCss(source: string): string | null {
  let out = '';
  let pendingSpace = false;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      pendingSpace = true;
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) return null;
      const comment = source.slice(i, end + 2);
      if (comment.includes(HOLE)) return null;
      pendingSpace = true;
      i = end + 2;
      continue;
    }
    if (pendingSpace && out.length > 0 && !NO_SPACE_AFTER.has(out[out.length - 1]!) && !NO_SPACE_BEFORE.has(c)) {
      out += ' ';
    }
    pendingSpace = false;
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && source[j] !== c) {
        if (source[j] === '\\') j++;
        else if (source[j] === '\n' || source[j] === HOLE) return null;
        j++;
      }
      if (j >= n) return null;
      out += source.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    // `a: b; }` → `a: b}`.
    if (c === '}' && out.endsWith(';') && !out.endsWith('\\;')) out = out.slice(0, -1);
    out += c;
    i++;
  }
  return out;
}

interface TemplateElementNode {
  start: number;
  end: number;
}
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Removes the indentation around the newlines of an html`` or svg`` literal's text. */
export function minifyHtml(source: string): string {
  return source.replace(/[ \t\r\f]*\n[ \t\r\f\n]*/g, '\n');
}

/** Every tagged template of `tags` in a parsed module, as the source ranges of its text pieces. */
function taggedTemplates(ast: Node, tags: ReadonlySet<string>): TemplateElementNode[][] {
  const found: TemplateElementNode[][] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    const n = node as Node;
    if (n.type === 'TaggedTemplateExpression') {
      const tag = n['tag'] as Node & { name?: string };
      if (tag.type === 'Identifier' && tags.has(tag.name ?? '')) {
        const quasi = n['quasi'] as Node & { quasis: TemplateElementNode[] };
        found.push(quasi.quasis);
      }
    }
    for (const key of Object.keys(n)) {
      if (key !== 'type' && key !== 'start' && key !== 'end') walk(n[key]);
    }
  };
  walk(ast);
  return found;
}

/** Replace `code.slice(start, end)` with `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

const CSS_TAGS = new Set(['css']);
const HTML_TAGS = new Set(['html', 'svg']);

/**
 * The edits that minify every css`` literal of `code` (JavaScript) and take the indentation out of
 * every html``/svg`` literal, or null when there is nothing to do. `parse` is Rollup's `this.parse`.
 */
export function literalEdits(code: string, parse: (code: string) => unknown): Edit[] | null {
  const hasCss = code.includes('css`');
  const hasHtml = code.includes('html`') || code.includes('svg`');
  if (!hasCss && !hasHtml) return null;
  const ast = parse(code) as Node;
  const edits: Edit[] = [];
  for (const quasis of hasCss ? taggedTemplates(ast, CSS_TAGS) : []) {
    const pieces = quasis.map((q) => code.slice(q.start, q.end));
    if (pieces.some((piece) => piece.includes(HOLE))) continue;
    const minified = minifyCss(pieces.join(HOLE));
    if (minified === null) continue;
    const parts = minified.split(HOLE);
    if (parts.length !== pieces.length) continue;
    quasis.forEach((q, k) => edits.push({ start: q.start, end: q.end, text: parts[k]! }));
  }
  for (const quasis of hasHtml ? taggedTemplates(ast, HTML_TAGS) : []) {
    for (const q of quasis) {
      const piece = code.slice(q.start, q.end);
      const text = minifyHtml(piece);
      if (text !== piece) edits.push({ start: q.start, end: q.end, text });
    }
  }
  return edits.length === 0 ? null : edits;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A source map number: base64 VLQ, sign in the lowest bit (vite-group-templates.ts writes maps with it too). */
export function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let text = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    text += BASE64[digit];
  } while (rest > 0);
  return text;
}

/** A source map (v3) of one module's transform. */
export interface EditMap {
  version: 3;
  sources: string[];
  names: string[];
  mappings: string;
}

/**
 * `code` with `edits` applied (non-overlapping), and its source map back to `code`: a segment for
 * every character outside the edits (so every token the minifier later moves still maps to its own
 * place) and one at the start of each edit (its text maps to the literal it replaces).
 */
export function applyEdits(code: string, edits: readonly Edit[], source: string): { code: string; map: EditMap } {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const lines: string[] = [];
  let segments: string[] = [];
  let out = '';
  let column = 0;
  let from = 0; // original line and column
  let fromColumn = 0;
  let previous = { column: 0, line: 0, fromColumn: 0 };
  const mark = (): void => {
    segments.push(vlq(column - previous.column) + 'A' + vlq(from - previous.line) + vlq(fromColumn - previous.fromColumn));
    previous = { column, line: from, fromColumn };
  };
  const write = (text: string): void => {
    for (const c of text) {
      if (c === '\n') {
        lines.push(segments.join(','));
        segments = [];
        column = 0;
        previous.column = 0;
      } else column += c.length;
    }
    out += text;
  };
  const read = (text: string): void => {
    for (const c of text) {
      if (c === '\n') {
        from++;
        fromColumn = 0;
      } else fromColumn += c.length;
    }
  };
  let at = 0;
  const copyTo = (end: number): void => {
    for (const c of code.slice(at, end)) {
      if (c !== '\n') mark();
      write(c);
      read(c);
    }
    at = end;
  };
  for (const edit of sorted) {
    copyTo(edit.start);
    mark();
    write(edit.text);
    read(code.slice(edit.start, edit.end));
    at = edit.end;
  }
  copyTo(code.length);
  lines.push(segments.join(','));
  return { code: out, map: { version: 3, sources: [source], names: [], mappings: lines.join(';') } };
}

/** The Vite plugin: minifies the widget modules' css``, html`` and svg`` literals (after TypeScript is stripped). */
export function minifyLiterals(): Plugin {
  return {
    name: 'ic-minify-css-literals',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/widget\/.*\.ts$/.test(id.split('?')[0]!)) return null;
      const edits = literalEdits(code, (text) => this.parse(text));
      return edits === null ? null : applyEdits(code, edits, id);
    },
  };
}
