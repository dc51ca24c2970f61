// scripts/vite-libraries-first.ts makes the standalone entry and the lazy panel import marked
// before anything else (so the bundle lays them out ahead of the widget's code), keeping
// the module's source map, and leaves every other module alone.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { librariesFirst } from '../../scripts/vite-libraries-first.ts';

type Transform = (code: string, id: string) => { code: string; map: { mappings: string } } | null;
const transform = librariesFirst().transform as unknown as Transform;

it('imports marked first in the two entries only', () => {
  const code = "import './widget/define.js';\nexport const a = 1;\n";
  for (const id of ['/repo/src/standalone.ts', '/repo/src/widget/launcher/lazy-panel.ts?v=1']) {
    const result = transform(code, id);
    assert.ok(result, id);
    assert.equal(result.code, `import 'marked';${code}`);
    assert.equal(result.map.mappings.split(';').length, code.split('\n').length, 'one map line per line');
  }
  for (const id of ['/repo/src/index.ts', '/repo/src/lazy.ts', '/repo/src/widget/launcher/quick-panel.ts']) assert.equal(transform(code, id), null, id);
});
