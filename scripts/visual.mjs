// `npm run test:visual`: the visual snapshots (test/visual/) in Chromium against the committed
// baselines; `npm run test:visual -- --update` rewrites the baselines from the current code (look
// at the pictures before committing them). `npm test` runs the same check after the Chromium tests.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './chromium.mjs';

ensureChromium();
const update = process.argv.includes('--update');
const r = spawnSync(process.execPath, ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'test/visual/web-test-runner.visual.config.mjs'], {
  stdio: 'inherit',
  env: { ...process.env, IC_TEST_ENGINE: 'chromium', ...(update ? { IC_VISUAL_UPDATE: '1' } : {}) },
});
process.exit(r.status ?? 1);
