// A new event type in the protocol's `RunEvent` union is a compile error until the store's reducer
// handles it: its handler table is typed by the union, so a union with one more type no longer
// accepts it. Checked with the TypeScript compiler on two fixtures: today's union (no error) and a
// grown one (one error, naming the new type).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';

function diagnostics(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile('tsconfig.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  assert.ok(config, 'tsconfig.json could not be read');
  const program = ts.createProgram([file], { ...config.options, noEmit: true, rootDir: undefined });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.endsWith(file.replace(/^\.\//, '')))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the run-event reducer is exhaustive', () => {
  it('handles every type of today’s RunEvent', () => {
    assert.deepEqual(diagnostics('test/api/fixtures/run-event-handled.ts'), []);
  });

  it('does not compile against a RunEvent union with a type it has no handler for', () => {
    const errors = diagnostics('test/api/fixtures/run-event-unhandled.ts');
    assert.equal(errors.length, 1, errors.join('\n---\n'));
    assert.match(errors[0]!, /source\.cited/);
  });
});
