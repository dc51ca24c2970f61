// The test-runner command behind the visual snapshots: `visual-snapshot` screenshots the page (or
// one element) in Chromium and compares it with test/visual/baselines/NAME.png with pixelmatch (the
// comparer Playwright and jest-image-snapshot use). A snapshot passes while at most
// MAX_DIFFERING_RATIO of its pixels differ perceptibly (pixelmatch already skips anti-aliased edges);
// a failure leaves NAME.actual.png and NAME.diff.png in test/visual/output/. With IC_VISUAL_UPDATE=1
// (`npm run test:visual -- --update`) it writes the baselines instead.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestRunnerPlugin } from '@web/test-runner';
import type { PlaywrightLauncher } from '@web/test-runner-playwright';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
export const BASELINES = join(here, 'baselines');
export const OUTPUT = join(here, 'output');
/** Share of pixels that may differ (perceptibly, pixelmatch threshold 0.1) before a snapshot fails. */
export const MAX_DIFFERING_RATIO = 0.002;

export interface SnapshotRequest {
  name: string;
  /** CSS selector of the element to capture (piercing shadow roots); the viewport when absent. */
  selector?: string;
}

export interface SnapshotResult {
  /** `updated` (baseline written), `new` (no baseline yet: written, and the test fails), `same` or `different`. */
  status: 'updated' | 'new' | 'same' | 'different';
  differing: number;
  total: number;
  message: string;
}

export function visualSnapshotPlugin(): TestRunnerPlugin {
  const update = process.env.IC_VISUAL_UPDATE === '1';
  return {
    name: 'visual-snapshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'visual-snapshot') return undefined;
      if (session.browser.type !== 'playwright') throw new Error('visual snapshots need the Playwright launcher (Chromium)');
      const { name, selector } = payload as SnapshotRequest;
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`snapshot name "${name}": use lowercase letters, digits and dashes`);
      const page = (session.browser as PlaywrightLauncher).getPage(session.id);
      const options = { animations: 'disabled' as const, caret: 'hide' as const, scale: 'css' as const };
      const png = selector ? await page.locator(selector).screenshot(options) : await page.screenshot(options);
      const baseline = join(BASELINES, `${name}.png`);
      if (update || !existsSync(baseline)) {
        mkdirSync(BASELINES, { recursive: true });
        writeFileSync(baseline, png);
        const status = update ? 'updated' : 'new';
        return { status, differing: 0, total: 0, message: `${name}: baseline ${status === 'new' ? 'created (commit it)' : 'updated'}` } satisfies SnapshotResult;
      }
      const expected = PNG.sync.read(readFileSync(baseline));
      const actual = PNG.sync.read(png);
      const total = expected.width * expected.height;
      const sameSize = expected.width === actual.width && expected.height === actual.height;
      const diff = new PNG({ width: expected.width, height: expected.height });
      // Images of different sizes differ everywhere (pixelmatch compares equal sizes only).
      const differing = sameSize
        ? pixelmatch(expected.data, actual.data, diff.data, expected.width, expected.height, { threshold: 0.1 })
        : Math.max(total, actual.width * actual.height);
      const same = sameSize && differing <= total * MAX_DIFFERING_RATIO;
      if (!same) {
        mkdirSync(OUTPUT, { recursive: true });
        writeFileSync(join(OUTPUT, `${name}.actual.png`), png);
        if (sameSize) writeFileSync(join(OUTPUT, `${name}.diff.png`), PNG.sync.write(diff));
      }
      const size = `${actual.width}×${actual.height} (baseline ${expected.width}×${expected.height})`;
      return {
        status: same ? 'same' : 'different',
        differing,
        total,
        message: `${name}: ${differing} of ${total} pixels differ, ${size}${same ? '' : `; see test/visual/output/${name}.diff.png`}`,
      } satisfies SnapshotResult;
    },
  };
}
