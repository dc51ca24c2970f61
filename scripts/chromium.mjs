// Finds the Chromium that browser tests and the benchmark drive. No test tool may download its own
// browser here, so we use the system's (Debian: /usr/bin/chromium), installing it when we are root.
import { existsSync } from 'node:fs';
import { ensureInstalled } from './system-packages.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Returns the browser's path, installing Debian's chromium first when missing and we may. */
export function ensureChromium() {
  return ensureInstalled({
    what: 'Chromium',
    packages: ['chromium'],
    find: findChromium,
    hint: 'or point CHROME_PATH at an installed Chrome or Chromium binary.',
  });
}

/** Launch flags for a closed network (no background fetches, no sandbox as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
