// The visual snapshots (test/visual/*.test.ts): the browser tests' setup (esbuild, the test server)
// in Chromium only, one page at a time (a screenshot wants the page to itself), plus the
// `visual-snapshot` command. Run by `npm test` after the Chromium browser tests, or alone with
// `npm run test:visual` (`-- --update` rewrites the baselines).
import base from '../../web-test-runner.config.mjs';
import { visualSnapshotPlugin } from './visual-plugin.ts';

export default {
  ...base,
  files: ['test/visual/**/*.test.ts'],
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  plugins: [...base.plugins, visualSnapshotPlugin()],
};
