// marked with the widget's options baked in. The widget gives marked one fixed set of options
// (src/widget/markdown/render-blocks.ts: GitHub-flavoured, no `breaks`, not `pedantic`; marked's
// defaults too), yet marked ships the rule sets of every mode, built with regex-assembling calls at
// load (which a minifier must keep), and a `pedantic` branch in most tokenizer methods. Reading those
// options as constants lets the minifier drop the dead branches, and the rule sets no mode uses go:
// about 0.6 KB gzip of the standalone bundle.
//
// This plugin, for the browser builds only (the library build leaves marked to the user's bundler),
// works on marked's syntax tree: every read of `<x>.options.<one of MARKED_FLAGS>` becomes the
// widget's value; in the two rule-set tables (`{normal, gfm, pedantic}` for blocks, `{normal, gfm, breaks,
// pedantic}` inline) the `breaks` and `pedantic` entries become 0; then each module-level declaration
// only those entries reached is removed, when nothing else mentions it and its value is built from
// literals, other rule sets and marked's regex `edit()` helper alone (no other call). It refuses
// (leaving marked as it is, with a warning) when the module has another shape: an option written
// rather than read, not exactly two rule-set tables, nothing to do. Positions are kept (removed text
// becomes spaces), so the module's source map still holds.
//
// test/package/marked-core.test.ts checks that render-blocks.ts still passes these values.
import type { Plugin } from 'vite';
import { isNode, type Identifier, type Node } from './vite-marked-core.ts';

/**
 * The options render-blocks.ts gives marked, as the browser builds bake them in: the first three
 * set there, the others marked's defaults (`getDefaults()`, which it spreads): no extensions, no
 * hooks, errors thrown, synchronous.
 */
export const MARKED_FLAGS = { gfm: true, breaks: false, pedantic: false, extensions: null, hooks: null, silent: false, async: false } as const;
type Flag = keyof typeof MARKED_FLAGS;
const LITERAL = { true: '(!0)', false: '(!1)', null: '(null)' } as const;

const isFlag = (name: string): name is Flag => Object.hasOwn(MARKED_FLAGS, name);
const RULE_SET_KEYS = new Set(['normal', 'gfm', 'breaks', 'pedantic']);

/** Calls `visit(node, parent, key)` on every node of a subtree. */
function walk(node: unknown, visit: (node: Node, parent: Node | null, key: string) => void, parent: Node | null = null, key = ''): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, parent, key);
    return;
  }
  if (!isNode(node)) return;
  visit(node, parent, key);
  for (const [k, child] of Object.entries(node)) if (k !== 'type' && k !== 'start' && k !== 'end') walk(child, visit, node, k);
}

/** Whether `node` is a name read (not `a.name`, `{ name: … }` or a declaration's own name). */
function isReference(node: Node, parent: Node | null, key: string): boolean {
  if (node.type !== 'Identifier' || !parent) return false;
  if (key === 'property' && parent.type === 'MemberExpression' && !parent['computed']) return false;
  if (key === 'key' && !parent['computed'] && (parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition')) return false;
  return !(key === 'id' && parent.type === 'VariableDeclarator');
}

/** marked.esm.js with MARKED_FLAGS baked in, or the reason it was left whole. */
export function specialiseMarked(code: string, parse: (code: string) => unknown): { code: string } | { refused: string } {
  const program = parse(code) as Node & { body: Node[] };
  const edits: { start: number; end: number; text: string }[] = [];
  const ruleSets: Node[] = [];
  const builders = new Set<string>();
  let written: string | null = null;
  walk(program, (node, parent, key) => {
    if (node.type === 'MemberExpression' && !node['computed']) {
      const flag = (node['property'] as Identifier).name;
      const object = node['object'] as Node;
      if (isFlag(flag) && object.type === 'MemberExpression' && !object['computed'] && (object['property'] as Identifier).name === 'options') {
        const isWrite = (parent?.type === 'AssignmentExpression' && key === 'left') || parent?.type === 'UpdateExpression' || parent?.['operator'] === 'delete';
        if (isWrite) written = code.slice(node.start, node.end);
        edits.push({ start: node.start, end: node.end, text: LITERAL[`${MARKED_FLAGS[flag]}`] });
      }
    }
    if (node.type === 'ObjectExpression') {
      const properties = node['properties'] as Node[];
      const keys = properties.map((p) => (p.type === 'Property' && !p['computed'] && (p['value'] as Node).type === 'Identifier' ? (p['key'] as Identifier).name : ''));
      if (keys.includes('normal') && keys.includes('gfm') && keys.includes('pedantic') && keys.every((k) => RULE_SET_KEYS.has(k))) ruleSets.push(node);
    }
    // marked's regex `edit(source).replace(…).getRegex()` helper: pure, so a value it builds can go.
    if (node.type === 'FunctionDeclaration' && /\bgetRegex\s*:/.test(code.slice(node.start, node.end))) builders.add((node['id'] as Identifier).name);
  });
  if (written) return { refused: `an option is written: ${written}` };
  if (edits.length === 0) return { refused: 'no read of marked’s options' };
  if (ruleSets.length !== 2) return { refused: `${ruleSets.length} rule-set tables, not 2` };

  // The rule sets no mode uses now, and what only they reach, as long as each is a removable declaration.
  const declarators = new Map<string, { node: Node; list: Node[] }>();
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    const list = statement['declarations'] as Node[];
    for (const d of list) if ((d['id'] as Node).type === 'Identifier') declarators.set((d['id'] as Identifier).name, { node: d, list });
  }
  const removed: { start: number; end: number }[] = [];
  const isRemoved = (at: number) => removed.some((r) => at >= r.start && at < r.end);
  const isInert = (init: Node): boolean => {
    let inert = true;
    walk(init, (n) => {
      if (n.type === 'CallExpression') {
        const callee = n['callee'] as Node;
        const method = callee.type === 'MemberExpression' && !callee['computed'] ? (callee['property'] as Identifier).name : null;
        if (!(method === 'replace' || method === 'getRegex' || (callee.type === 'Identifier' && builders.has((callee as Identifier).name)))) inert = false;
      } else if (!['ObjectExpression', 'Property', 'SpreadElement', 'Identifier', 'Literal', 'TemplateLiteral', 'TemplateElement', 'MemberExpression'].includes(n.type))
        inert = false;
    });
    return inert;
  };
  const references = (name: string): number => {
    let count = 0;
    walk(program, (n, parent, key) => {
      if (isReference(n, parent, key) && (n as Identifier).name === name && !isRemoved(n.start)) count++;
    });
    return count;
  };
  const pending: string[] = [];
  for (const set of ruleSets) {
    for (const p of set['properties'] as Node[]) {
      const key = (p['key'] as Identifier).name;
      if (key !== 'breaks' && key !== 'pedantic') continue;
      const value = p['value'] as Identifier;
      edits.push({ start: value.start, end: value.end, text: '0' });
      removed.push({ start: value.start, end: value.end });
      pending.push(value.name);
    }
  }
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    const declared = declarators.get(name);
    if (!declared || isRemoved(declared.node.start) || declared.list.length < 2 || references(name) > 0) continue;
    const init = declared.node['init'] as Node | null;
    if (!init || !isInert(init)) continue;
    const at = declared.list.indexOf(declared.node);
    // With its comma: the one before it, or after it for the first of the list.
    removed.push(at > 0 ? { start: declared.list[at - 1]!.end, end: declared.node.end } : { start: declared.node.start, end: declared.list[1]!.start });
    walk(init, (n, parent, key) => {
      if (isReference(n, parent, key) && declarators.has((n as Identifier).name)) pending.push((n as Identifier).name);
    });
  }

  const out = code.split('');
  for (const { start, end } of removed) for (let i = start; i < end; i++) if (out[i] !== '\n') out[i] = ' ';
  for (const { start, end, text } of edits) {
    if (isRemoved(start) && !removed.some((r) => r.start === start && r.end === end)) continue;
    for (let i = start; i < end; i++) if (out[i] !== '\n') out[i] = ' ';
    out.splice(start, text.length, ...text.split(''));
  }
  return { code: out.join('') };
}

/** The Vite plugin for the browser builds (after markedCore(), which drops the facade). */
export function markedOptions(): Plugin {
  return {
    name: 'ic-marked-options',
    apply: 'build',
    transform(code, id) {
      if (!/[/\\]node_modules[/\\]marked[/\\]lib[/\\]marked\.esm\.js$/.test(id.split('?')[0]!)) return null;
      const result = specialiseMarked(code, (text) => this.parse(text));
      if ('refused' in result) {
        this.warn(`marked's options left open (${result.refused}): the bundle is larger than it needs to be`);
        return null;
      }
      return { code: result.code, map: null };
    },
  };
}
