// Finds the Firefox the browser tests drive: the system's (Debian: firefox-esr), through WebDriver
// BiDi, which Firefox has built in, so no driver is downloaded either.
import { existsSync } from 'node:fs';
import { ensureInstalled } from './system-packages.mjs';

const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr', '/usr/lib/firefox/firefox'];

export function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Returns Firefox's path, installing Debian's firefox-esr first when missing and we may. */
export function ensureFirefox() {
  return ensureInstalled({
    what: 'Firefox',
    packages: ['firefox-esr'],
    find: findFirefox,
    hint: 'or point FIREFOX_PATH at an installed Firefox binary.',
  });
}
