// The layers are held by the compiler (tsconfig.layers.json): a file that reaches across a layer
// fails `tsc -b` on its project. Each case drops a probe file into a layer, builds that layer's project
// and expects the named error on the probe's line; the probe is removed whatever happens. A control
// probe with only what the layer may use builds, so a failure is the boundary and not the probe.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Builds `project` with `source` written to `dir`/layer-probe-*.ts; returns the exit code and output. */
function buildWithProbe(project: string, dir: string, source: string): { code: number; output: string; probe: string } {
  const probe = join(dir, `layer-probe-${process.pid}.ts`);
  writeFileSync(join(root, probe), `${source}\n`);
  try {
    const r = spawnSync(process.execPath, [tsc, '-b', project, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
    return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}`, probe };
  } finally {
    rmSync(join(root, probe), { force: true });
  }
}

function expectRefused(project: string, dir: string, source: string, error: RegExp): void {
  const { code, output, probe } = buildWithProbe(project, dir, source);
  assert.notEqual(code, 0, `tsc -b ${project} accepted ${probe}:\n${source}`);
  const lines = output.split('\n').filter((line) => line.includes('error TS'));
  assert.ok(
    lines.some((line) => line.startsWith(probe.split('\\').join('/')) && error.test(line)),
    `expected ${error} in ${probe}, got:\n${output}`,
  );
}

describe('layers the compiler enforces', () => {
  it('the protocol may use the Fetch and Streams globals it declares (control)', () => {
    const source = 'export const probe = (url: string): Promise<Response> => fetch(url, { signal: new AbortController().signal });';
    const { code, output } = buildWithProbe('tsconfig.protocol.json', 'src/protocol', source);
    assert.equal(code, 0, output);
  });

  it('the protocol has no Node types', () => {
    expectRefused('tsconfig.protocol.json', 'src/protocol', "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;", /TS2307: Cannot find module 'node:fs'/);
  });

  it('the protocol has no DOM', () => {
    expectRefused('tsconfig.protocol.json', 'src/protocol', 'export const probe = (): string => document.title;', /TS2584|TS2304: Cannot find name 'document'/);
  });

  it('the Fetch-API backends have no DOM', () => {
    expectRefused('tsconfig.backends.json', 'src/backends/core', 'export const probe = (el: HTMLElement): string => el.id;', /TS2304: Cannot find name 'HTMLElement'/);
  });

  it('the Fetch-API backends have no Node types', () => {
    expectRefused(
      'tsconfig.backends.json',
      'src/backends/core',
      'export const probe = (): string | undefined => process.env.HOME;',
      /TS2580|TS2591|TS2304: Cannot find name 'process'/,
    );
  });

  it('the backends cannot import the widget', () => {
    expectRefused('tsconfig.backends.json', 'src/backends/core', "export { IcSupportChat } from '../../widget/support-chat/support-chat.js';", /TS6307/);
  });

  it('the widget has no Node types', () => {
    expectRefused('tsconfig.widget.json', 'src/widget', "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;", /TS2307: Cannot find module 'node:fs'/);
  });

  it('the protocol cannot import the backends', () => {
    expectRefused('tsconfig.protocol.json', 'src/protocol', "export { SupportError } from '../backends/core/support-error.js';", /TS6307/);
  });
});
