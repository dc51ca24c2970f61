// Finds WebKit for the browser tests: WebKitGTK's MiniBrowser and WebKitWebDriver (Debian:
// webkit2gtk-driver, which brings libwebkit2gtk-4.1-0 and its MiniBrowser), plus Xvfb for the
// displays the test windows run on.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled } from './system-packages.mjs';

function firstExisting(paths) {
  return paths.find((p) => existsSync(p)) ?? null;
}

/** MiniBrowser lives in the library's private directory, whose name has the multiarch triplet. */
function miniBrowserCandidates() {
  const out = [];
  for (const base of ['/usr/lib', '/usr/libexec', '/usr/lib64']) {
    if (!existsSync(base)) continue;
    for (const dir of ['webkit2gtk-4.1', 'webkit2gtk-4.0']) out.push(join(base, dir, 'MiniBrowser'));
    for (const triplet of readdirSync(base)) {
      if (triplet.includes('-linux-')) for (const dir of ['webkit2gtk-4.1', 'webkit2gtk-4.0']) out.push(join(base, triplet, dir, 'MiniBrowser'));
    }
  }
  return out;
}

/** @returns {{ driver: string; browser: string; xvfb: string } | null} */
export function findWebKit() {
  const driver = firstExisting([process.env.WEBKIT_WEBDRIVER ?? '', '/usr/bin/WebKitWebDriver', '/usr/libexec/webkit2gtk-4.1/WebKitWebDriver']);
  const browser = firstExisting([process.env.WEBKIT_MINIBROWSER ?? '', ...miniBrowserCandidates()]);
  // Always Xvfb, even with a DISPLAY: each test window needs a display of its own (see the launcher).
  const xvfb = firstExisting(['/usr/bin/Xvfb']);
  if (!driver || !browser || !xvfb) return null;
  return { driver, browser, xvfb };
}

/** Returns the WebKit tools' paths, installing the Debian packages first when missing and we may. */
export function ensureWebKit() {
  return ensureInstalled({
    what: 'WebKit (WebKitWebDriver, MiniBrowser, Xvfb)',
    packages: ['webkit2gtk-driver', 'xvfb'],
    find: findWebKit,
    hint: "or point WEBKIT_WEBDRIVER and WEBKIT_MINIBROWSER at WebKitGTK's WebKitWebDriver and MiniBrowser.",
  });
}
