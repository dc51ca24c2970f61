// Firefox for the browser suite: the system's Firefox ESR driven by puppeteer-core over WebDriver
// BiDi. BiDi is built into Firefox, so nothing downloads a driver (the npm geckodriver package
// would, and fails on a closed network). @web/test-runner-chrome's launcher takes any puppeteer
// instance; given puppeteer-core and `browser: 'firefox'` it launches Firefox instead of Chrome.
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import type { BrowserLauncher } from '@web/test-runner';

export function firefoxLauncher(executablePath: string): BrowserLauncher {
  return chromeLauncher({
    puppeteer: puppeteerCore,
    // One page at a time. Firefox throttles timers and animation frames in a background tab and
    // keeps :focus-visible and viewport changes to the window that has the focus, so a second
    // page (tab or window) stalls or fails tests that pass on their own.
    concurrency: 1,
    launchOptions: {
      browser: 'firefox',
      executablePath,
      headless: true,
      // A quiet profile: no update checks, telemetry or first-run pages on a closed network.
      extraPrefsFirefox: {
        'app.update.enabled': false,
        'browser.shell.checkDefaultBrowser': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.enabled': false,
        'network.captive-portal-service.enabled': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
      },
    },
  });
}
