// Browser tests run in real browsers from the system's packages (never downloaded ones), one engine
// per run: IC_TEST_ENGINE=chromium (default) | firefox | webkit. The real backend handlers are
// mounted on the test server, so the widget talks to them over real HTTP.
// `npm test` runs the three engines (Firefox in a lane of its own beside the others); see scripts/test.mjs.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium.mjs';
import { findFirefox } from './scripts/firefox.mjs';
import { ensureLocales } from './scripts/locales.mjs';
import { findWebKit } from './scripts/webkit.mjs';
import { testServerMiddleware } from './test/support/test-server.ts';
import { reactEsmPlugin } from './test/support/react-esm-plugin.ts';
import { axTreePlugin } from './test/support/ax-tree-plugin.ts';
import { firefoxLauncher } from './test/support/firefox-launcher.ts';
import { webkitLauncher } from './test/support/webkit-launcher.ts';
import { timingReporter } from './test/support/timing-reporter.ts';

const engine = process.env.IC_TEST_ENGINE || 'chromium';
// The widget imports the language registry generated from src/widget/i18n/locales/.
await ensureLocales();

function missing(what) {
  throw new Error(`${what} is not installed: run \`npm test\` (it installs it as root or says how).`);
}

const browsers = {
  chromium: () =>
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: findChromium() ?? missing('Chromium'), headless: true, args: CHROMIUM_ARGS },
    }),
  firefox: () => firefoxLauncher(findFirefox() ?? missing('Firefox')),
  // Each WebKit page is its own MiniBrowser process under its own driver: two fit a 2-core machine.
  webkit: () => webkitLauncher(findWebKit() ?? missing('WebKit'), 2),
};

if (!(engine in browsers)) throw new Error(`IC_TEST_ENGINE=${engine}: expected one of ${Object.keys(browsers).join(', ')}`);

// The longest files first (they wait on streams and back-offs for 10–40 s each), so they run beside
// the many short ones instead of alone at the end of the run; the glob adds every other file once.
const LONGEST_FIRST = [
  'test/widget/resume/cut-connection.test.ts',
  'test/widget/markdown/streaming-markdown.test.ts',
  'test/widget/resume/reload.test.ts',
  'test/widget/faults/faults.test.ts',
  'test/widget/transport/ai-sdk-stream-end.test.ts',
  'test/widget/markdown/xss.test.ts',
];

export default {
  files: [...LONGEST_FIRST, 'test/widget/**/*.test.ts'],
  // scripts/test.mjs gives each runner it starts a port of its own (two may run side by side).
  ...(process.env.IC_TEST_PORT ? { port: Number(process.env.IC_TEST_PORT) } : {}),
  nodeResolve: true,
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
  browserStartTimeout: 60000,
  plugins: [reactEsmPlugin(), axTreePlugin(), esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  middleware: [testServerMiddleware],
  browsers: [browsers[engine]()],
  reporters: [defaultReporter(), timingReporter()],
};
