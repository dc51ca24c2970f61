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
// Newlines are kept (one per source line) so every line of code after a literal keeps its line
// number, which keeps the source maps right without rewriting them; a newline costs what a space does.
//
// In html`` and svg`` literals only the indentation goes: a run of whitespace holding a newline
// becomes its newlines alone. HTML renders such a run as one space (white-space: normal or nowrap)
// or as its newlines (pre-line) either way; only pre, pre-wrap and break-spaces would show the
// indentation, and the widget's templates put nothing but an interpolation inside those elements
// (a template that indented text inside one would already show the indentation, a bug in itself).
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
  let pendingNewlines = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      pendingSpace = true;
      if (c === '\n') pendingNewlines++;
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) return null;
      const comment = source.slice(i, end + 2);
      if (comment.includes(HOLE)) return null;
      pendingSpace = true;
      pendingNewlines += comment.split('\n').length - 1;
      i = end + 2;
      continue;
    }
    // A kept newline is whitespace too, so it stands in for any space that is needed here.
    if (pendingNewlines > 0) out += '\n'.repeat(pendingNewlines);
    else if (pendingSpace && out.length > 0 && !NO_SPACE_AFTER.has(out[out.length - 1]!) && !NO_SPACE_BEFORE.has(c)) {
      out += ' ';
    }
    pendingSpace = false;
    pendingNewlines = 0;
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
    if (c === '}') {
      // `a: b; }` → `a: b}`, looking back past kept newlines.
      const body = out.replace(/\n*$/, '');
      if (body.endsWith(';') && !body.endsWith('\\;')) out = body.slice(0, -1) + out.slice(body.length);
    }
    out += c;
    i++;
  }
  return out + '\n'.repeat(pendingNewlines);
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
  return source.replace(/[ \t\r\f]*\n[ \t\r\f\n]*/g, (run) => '\n'.repeat(run.split('\n').length - 1));
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

const CSS_TAGS = new Set(['css']);
const HTML_TAGS = new Set(['html', 'svg']);

/**
 * Rewrites every css`` literal of `code` (JavaScript) minified, and every html``/svg`` literal
 * without its indentation. `parse` is Rollup's `this.parse`.
 */
export function minifyCssLiterals(code: string, parse: (code: string) => unknown): string | null {
  const hasCss = code.includes('css`');
  const hasHtml = code.includes('html`') || code.includes('svg`');
  if (!hasCss && !hasHtml) return null;
  const ast = parse(code) as Node;
  const edits: { start: number; end: number; text: string }[] = [];
  for (const quasis of hasCss ? taggedTemplates(ast, CSS_TAGS) : []) {
    const pieces = quasis.map((q) => code.slice(q.start, q.end));
    if (pieces.some((piece) => piece.includes(HOLE))) continue;
    const minified = minifyCss(pieces.join(HOLE));
    if (minified === null) continue;
    // Leading/trailing whitespace of the whole literal is never needed, but its newlines are kept.
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
  if (edits.length === 0) return null;
  edits.sort((a, b) => b.start - a.start);
  let result = code;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** The Vite plugin: minifies the widget modules' css``, html`` and svg`` literals (after TypeScript is stripped). */
export function minifyLiterals(): Plugin {
  return {
    name: 'ic-minify-css-literals',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/widget\/.*\.ts$/.test(id.split('?')[0]!)) return null;
      const result = minifyCssLiterals(code, (text) => this.parse(text));
      // Lines are unchanged (see above), so the incoming source map still holds: `map: null` keeps it.
      return result === null ? null : { code: result, map: null };
    },
  };
}
