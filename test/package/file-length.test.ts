// Issue 18's rule, kept by a test: no source file over ~400 lines unless its header says why
// ("Longer than 400 lines because …" within its first 15 lines).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const LIMIT = 400;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('source file length', () => {
  it(`every file in src/ over ${LIMIT} lines says why in its header`, () => {
    const unexplained = sources('src')
      .map((path) => ({ path, lines: readFileSync(path, 'utf8').trimEnd().split('\n') }))
      .filter(({ lines }) => lines.length > LIMIT && !lines.slice(0, 15).some((line) => /Longer than 400 lines because/.test(line)))
      .map(({ path, lines }) => `${path} (${lines.length} lines)`);
    assert.deepEqual(unexplained, [], 'split these files, or say in the header why they are one');
  });
});
