// Installs Debian packages the browser tests need, when we are root on a Debian-like system, and
// otherwise stops with the exact command to run. No test tool may download a browser here, so
// every engine comes from the system's packages.
import { execFileSync, spawnSync } from 'node:child_process';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = () => spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;

/**
 * Returns `find()`'s answer, installing `packages` first when it has none and we may.
 * @template T
 * @param {{ what: string; packages: string[]; find: () => T | null; hint?: string }} need
 * @returns {T}
 */
export function ensureInstalled({ what, packages, find, hint }) {
  let found = find();
  if (found) return found;
  if (isRoot && hasApt()) {
    const list = packages.join(' ');
    console.log(`${what} is missing: installing ${list} (apt-get install -y ${list})…`);
    execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${list}`], { stdio: 'inherit' });
    found = find();
    if (found) return found;
  }
  console.error(
    [
      `The browser tests need ${what} and none was found.`,
      'Install it and run the tests again:',
      `  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`,
      ...(hint ? [hint] : []),
    ].join('\n'),
  );
  process.exit(1);
}
