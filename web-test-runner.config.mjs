// Browser tests run in real Chromium (the system's, never a downloaded one) with the real backend
// handlers mounted on the test server, so the widget talks to them over real HTTP.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium.mjs';
import { testServerMiddleware } from './test/support/test-server.ts';
import { reactEsmPlugin } from './test/support/react-esm-plugin.ts';
import { axTreePlugin } from './test/support/ax-tree-plugin.ts';

export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
  browserStartTimeout: 60000,
  plugins: [reactEsmPlugin(), axTreePlugin(), esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  middleware: [testServerMiddleware],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: process.env.CHROME_PATH || findChromium() || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS },
    }),
  ],
};
