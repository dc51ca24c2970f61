// `npm run check-package`: builds, then checks what `npm publish` would ship.
//  1. publint: package.json fields and exports point at files that exist and fit their format.
//  2. @arethetypeswrong/cli (esm-only profile: we ship ESM only): every export resolves to JS and types.
//  3. The tarball holds exactly what users need: dist (JS, types, standalone and lazy files, source
//     maps), the manifest, README, docs/*.md, LICENSE, CHANGELOG; no sources, tests, stories or examples.
//  4. Every export's files are in the tarball, and `dist/ic-support-chat.min.js` works from a plain
//     HTML page over http with only `<script type="module">` (test/package/standalone-page.check.ts).
//  5. The server entries' .d.ts type-check with Node's types alone, no DOM lib, skipLibCheck off
//     (test/package/node-types/): a server's tsconfig has no `HeadersInit` or `ReadableStreamReadResult`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const started = Date.now();
const failures = [];

function step(title, cmd, args, options = {}) {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) failures.push(title);
  return r.stdout;
}

step('build', 'npm', ['run', 'build']);
if (failures.length) process.exit(1);
step('publint', 'npx', ['publint', '--strict']);
step('are the types wrong (esm-only)', 'npx', ['attw', '--pack', '.', '--profile', 'esm-only', '--format', 'ascii']);

console.log('\n▶ pack contents');
const packed = step('npm pack --dry-run', 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { capture: true });
const [pack] = JSON.parse(packed);
const files = pack.files.map((f) => f.path);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const problems = [];

const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^custom-elements\.json$/, /^docs\/[\w-]+\.md$/, /^dist\/.+\.(js|d\.ts|js\.map)$/];
for (const f of files) if (!ALLOWED.some((re) => re.test(f))) problems.push(`unexpected file in the package: ${f}`);
for (const f of files) {
  if (/(^|\/)(test|tests|__tests__|stories|examples|bench|demo)\//.test(f) || /\.(test|spec|stories)\.(js|d\.ts)$/.test(f)) problems.push(`test/story/example file shipped: ${f}`);
  if (f.endsWith('.d.ts.map')) problems.push(`declaration map without sources shipped: ${f}`);
}
for (const must of [
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'custom-elements.json',
  'docs/protocol.md',
  'dist/ic-support-chat.min.js',
  'dist/ic-support-chat.lazy.js',
  'dist/index.d.ts',
]) {
  if (!files.includes(must)) problems.push(`missing from the package: ${must}`);
}
// Every file an export, `bin`, `main`/`types` or the manifest names is shipped.
const named = new Set();
const collect = (value) => {
  if (typeof value === 'string') named.add(value.replace(/^\.\//, ''));
  else if (value && typeof value === 'object') Object.values(value).forEach(collect);
};
collect(pkg.exports);
collect(pkg.bin);
[pkg.main, pkg.module, pkg.types, pkg.customElements].forEach(collect);
for (const f of named) if (!files.includes(f)) problems.push(`package.json names ${f}, which is not in the package`);
// Source maps of the shipped JS may embed sources, but never point at tests or stories.
for (const f of files.filter((p) => p.endsWith('.js.map'))) {
  const map = JSON.parse(readFileSync(f, 'utf8'));
  for (const source of map.sources ?? []) if (/(^|\/)(test|stories)\//.test(source)) problems.push(`${f} maps ${source}`);
}
if (!/^MIT\b/.test(readFileSync('LICENSE', 'utf8').replace(/^\s+/, '')) && !readFileSync('LICENSE', 'utf8').includes('MIT License'))
  problems.push('LICENSE is not the MIT licence');
if (pkg.license !== 'MIT') problems.push(`package.json license is ${pkg.license}, not MIT`);
if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pkg.version)) problems.push(`version ${pkg.version} is not semver`);
if (!readFileSync('CHANGELOG.md', 'utf8').includes(`## [${pkg.version}]`) && !readFileSync('CHANGELOG.md', 'utf8').includes('## [Unreleased]'))
  problems.push(`CHANGELOG.md has no section for ${pkg.version} (or Unreleased)`);
for (const p of problems) console.error(`  ✗ ${p}`);
if (problems.length) failures.push('pack contents');
else console.log(`  ✓ ${files.length} files, ${(pack.size / 1024).toFixed(0)} KB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KB unpacked`);

step('standalone file from a plain HTML page', process.execPath, ['--import', 'tsx', '--test', 'test/package/standalone-page.check.ts']);

// Only errors in our own declarations count: `ai` and `@ai-sdk/*` (optional peers) need the DOM lib
// and @types/json-schema themselves, which docs/ai-sdk.md tells their users.
console.log('\n▶ server types without the DOM lib');
const tsc = spawnSync('npx', ['tsc', '-p', 'test/package/node-types/tsconfig.json', '--pretty', 'false'], { encoding: 'utf8' });
const tscErrors = `${tsc.stdout}${tsc.stderr}`.split('\n').filter((line) => /error TS\d+/.test(line));
// `node_modules/` may sit above the package (a worktree links the main checkout's), so match it anywhere.
const ours = tscErrors.filter((line) => !/(^|\/)node_modules\//.test(line));
if (ours.length || (tsc.status !== 0 && !tscErrors.length)) {
  for (const line of ours.length ? ours : [`tsc exited with ${tsc.status}: ${tsc.stderr || tsc.stdout}`]) console.error(`  ✗ ${line}`);
  failures.push('server types without the DOM lib');
} else console.log(`  ✓ no errors in dist/ (${tscErrors.length} in dependencies' own types, not ours)`);

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  console.error(`\ncheck-package failed (${seconds} s): ${failures.join(', ')}`);
  process.exit(1);
}
console.log(`\ncheck-package passed (${seconds} s).`);
