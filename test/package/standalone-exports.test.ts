// The standalone file's entry (src/standalone.ts) lists the package's exports again, less the classes
// of the elements it loads on demand: this keeps the two lists from drifting apart.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');

/** The names a module exports (values and types), as the compiler resolves them. */
function exportsOf(program: ts.Program, file: string): Set<string> {
  const source = program.getSourceFile(join(root, file));
  assert.ok(source, `${file} is in the program`);
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(source);
  assert.ok(symbol, `${file} is a module`);
  return new Set(checker.getExportsOfModule(symbol).map((s) => s.name));
}

it('the standalone entry exports what the package does, less the on-demand element classes', () => {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const program = ts.createProgram([join(root, 'src/index.ts'), join(root, 'src/standalone.ts')], options);
  const pkg = exportsOf(program, 'src/index.ts');
  const standalone = exportsOf(program, 'src/standalone.ts');
  const onDemand = ['IcApproval', 'IcAttachmentChip', 'IcToolCall'];
  assert.deepEqual([...pkg].filter((name) => !standalone.has(name)).sort(), onDemand);
  assert.deepEqual(
    [...standalone].filter((name) => !pkg.has(name)),
    [],
  );
  assert.ok(standalone.has('whenToolUiReady') && standalone.has('whenAttachmentUiReady'));
});
