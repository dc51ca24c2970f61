// The browser builds use marked's classes (Lexer, Parser, Renderer, Tokenizer) and never its `marked()`
// function. marked.esm.js ends with that facade: a module-level `new Marked()` instance, the `marked`
// function, a dozen `marked.x = …` assignments and the named exports that read them. Rollup keeps all
// of it (a constructor call and property assignments count as side effects), with the Marked class,
// its extension/async machinery and the Hooks class behind it: about 1.6 KB gzip of the standalone
// bundle that nothing calls.
//
// This plugin drops the facade from marked's module in the browser builds only (the library build
// leaves marked to the user's bundler). It works on marked's syntax tree and refuses (leaving the
// module as it is, with a warning) unless the facade has the shape it knows: from the statement that
// instantiates the exported Marked class to the export list, nothing but declarations and property
// assignments on those declarations, none of whose names the rest of the module mentions. A facade
// export a module imports then fails the build (missing export), never the page.
import type { Plugin } from 'vite';

/** An ESTree node of Rollup's parser (vite-marked-options.ts reads the same trees). */
export interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}
export type Identifier = Node & { name: string };

export const isNode = (value: unknown): value is Node => !!value && typeof value === 'object' && typeof (value as Node).type === 'string';

/** Every identifier a subtree mentions as a name (not as `a.name` or `{ name: … }`), conservatively. */
function namesIn(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) namesIn(child, into);
    return into;
  }
  if (!isNode(node)) return into;
  if (node.type === 'Identifier') into.add((node as Identifier).name);
  for (const [key, child] of Object.entries(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const computed = node['computed'] === true;
    if (key === 'property' && node.type === 'MemberExpression' && !computed) continue;
    if (key === 'key' && !computed && (node.type === 'Property' || node.type === 'MethodDefinition' || node.type === 'PropertyDefinition')) continue;
    namesIn(child, into);
  }
  return into;
}

/** A value whose evaluation has no effect: a name, a member read of names, a function. */
function isInert(node: Node): boolean {
  if (node.type === 'Identifier' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') return true;
  if (node.type === 'MemberExpression') return !node['computed'] && isInert(node['object'] as Node);
  return false;
}

/** `a.b = c.d = <inert>` where every target's root is one of `owners`. */
function isFacadeAssignment(node: Node, owners: Set<string>): boolean {
  if (node.type !== 'AssignmentExpression') return isInert(node);
  let target = node['left'] as Node;
  if (target.type !== 'MemberExpression' || target['computed']) return false;
  while (target.type === 'MemberExpression') target = target['object'] as Node;
  return target.type === 'Identifier' && owners.has((target as Identifier).name) && isFacadeAssignment(node['right'] as Node, owners);
}

/**
 * marked.esm.js without its `marked()` facade, or the reason it was left whole. Positions are kept
 * (removed text becomes spaces, newlines stay), so the module's source map still holds.
 */
export function stripMarkedFacade(code: string, parse: (code: string) => unknown): { code: string } | { refused: string } {
  const body = (parse(code) as Node & { body: Node[] }).body;
  const exportAt = body.findIndex((s) => s.type === 'ExportNamedDeclaration' && !s['declaration'] && !s['source']);
  if (exportAt !== body.length - 1) return { refused: 'no single export list at the end' };
  const exported = body[exportAt]! as Node & { specifiers: { local: Identifier; exported: Identifier }[] };
  const markedClass = exported.specifiers.find((s) => s.exported.name === 'Marked')?.local.name;
  if (!markedClass) return { refused: 'no Marked export' };
  const instanceAt = body.findIndex(
    (s) =>
      s.type === 'VariableDeclaration' &&
      (s['declarations'] as Node[]).some((d) => {
        const init = d['init'] as Node | null;
        return init?.type === 'NewExpression' && (init['callee'] as Identifier).name === markedClass && (init['arguments'] as Node[]).length === 0;
      }),
  );
  if (instanceAt < 0) return { refused: 'no module-level `new Marked()`' };

  const facade = body.slice(instanceAt, exportAt);
  const dropped = new Set<string>();
  for (const s of facade) {
    if (s.type === 'FunctionDeclaration') dropped.add((s['id'] as Identifier).name);
    else if (s.type === 'VariableDeclaration') {
      for (const d of s['declarations'] as Node[]) {
        const id = d['id'] as Node;
        const init = d['init'] as Node | null;
        if (id.type !== 'Identifier') return { refused: 'a destructuring declaration in the facade' };
        const isInstance = init?.type === 'NewExpression' && (init['callee'] as Identifier).name === markedClass;
        if (init && !isInstance && !isInert(init)) return { refused: `\`${(id as Identifier).name}\`'s value may have effects` };
        dropped.add((id as Identifier).name);
      }
    }
  }
  for (const s of facade) {
    if (s.type === 'FunctionDeclaration' || s.type === 'VariableDeclaration') continue;
    if (s.type !== 'ExpressionStatement' || !isFacadeAssignment(s['expression'] as Node, dropped) || (s['expression'] as Node).type !== 'AssignmentExpression') {
      return { refused: `an unexpected statement in the facade: ${code.slice(s.start, Math.min(s.end, s.start + 60))}` };
    }
  }
  const keptNames = namesIn(body.slice(0, instanceAt), new Set());
  const clash = [...dropped].find((name) => keptNames.has(name));
  if (clash) return { refused: `the rest of the module mentions \`${clash}\`` };

  const kept = exported.specifiers.filter((s) => !dropped.has(s.local.name));
  const exportText = `export{${kept.map((s) => (s.local.name === s.exported.name ? s.local.name : `${s.local.name} as ${s.exported.name}`)).join(',')}};`;
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  const oldExport = code.slice(exported.start, exported.end);
  return {
    code: code.slice(0, facade[0]!.start) + blank(code.slice(facade[0]!.start, exported.start)) + exportText + blank(oldExport.slice(exportText.length)) + code.slice(exported.end),
  };
}

/** The Vite plugin for the browser builds. */
export function markedCore(): Plugin {
  return {
    name: 'ic-marked-core',
    apply: 'build',
    transform(code, id) {
      if (!/[/\\]node_modules[/\\]marked[/\\]lib[/\\]marked\.esm\.js$/.test(id.split('?')[0]!)) return null;
      const result = stripMarkedFacade(code, (text) => this.parse(text));
      if ('refused' in result) {
        this.warn(`marked's facade kept (${result.refused}): the bundle is larger than it needs to be`);
        return null;
      }
      return { code: result.code, map: null };
    },
  };
}
