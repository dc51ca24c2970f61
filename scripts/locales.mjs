// A language is one file in src/widget/i18n/locales/ (named by its BCP 47 code, its table as the
// default export). Two modules are derived from that folder, generated and never committed:
// - src/widget/i18n/locale-registry.ts: the list of languages and one literal `import()` each (so every
//   bundler emits each table as its own chunk, loaded on demand);
// - src/widget/i18n/launcher-strings.ts: the launcher's two labels per language, which the lazy entry
//   shows before any table loads (a module of its own, so the lazy first load does not carry the loaders);
// - src/widget/i18n/quick-panel-strings.ts: the quick panel's three strings per language (loaded after
//   the page, before the chat).
// `ensureLocales()` writes them when they are missing or out of date. Every command that compiles,
// bundles or tests the widget calls it first (scripts/build.mjs, scripts/test.mjs, vite.config.ts,
// web-test-runner.config.mjs, and `npm install` / `npm run typecheck` / `npm run lint` through
// package.json), so adding a file is all a new language takes. `node scripts/locales.mjs` runs it by hand.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = 'src/widget/i18n/locales';
const OUT = 'src/widget/i18n/locale-registry.ts';
const LABELS_OUT = 'src/widget/i18n/launcher-strings.ts';
const QUICK_OUT = 'src/widget/i18n/quick-panel-strings.ts';
const LABEL_KEYS = ['openChat', 'unreadReplies'];
// What the quick panel (src/widget/launcher/quick-panel.ts) shows before the chat loads.
const QUICK_KEYS = ['heading', 'placeholder', 'send'];
const CODE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;

/** A TypeScript module's exports, read with tsx whether or not this process runs under it. */
const load = (path) => tsImport(pathToFileURL(join(ROOT, path)).href, import.meta.url);

/** The language codes: the files in `dir` (the real folder unless a test lists a copy). */
function languageCodes(dir) {
  const codes = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  for (const code of codes) if (!CODE.test(code)) throw new Error(`${DIR}/${code}.ts: name it by its lowercase language code (e.g. fr.ts, pt-br.ts)`);
  return codes;
}

const key = (code) => (/^[a-z]+$/.test(code) ? code : `'${code}'`);

/** locale-registry.ts: needs only the codes (strings.ts imports it, so it is written first). */
function registrySource(codes) {
  return `// Generated from the files in ./locales/ by scripts/locales.mjs (run by every build and test
// command): do not edit, do not commit. A language is one file there.
import type { Translation } from './strings.js';

/** The languages shipped besides English, by file name in ./locales/. */
export const SHIPPED_LANGUAGES = [${codes.map((c) => `'${c}'`).join(', ')}] as const;
export type ShippedLanguage = (typeof SHIPPED_LANGUAGES)[number];

/** One literal \`import()\` per language, so bundlers emit each table as its own chunk. */
export const localeLoaders: Readonly<Record<ShippedLanguage, () => Promise<Translation>>> = {
${codes.map((c) => `  ${key(c)}: () => import('./locales/${c}.js').then((m) => m.default),`).join('\n')}
};
`;
}

/** Each language's table (English from strings.ts first), missing keys filled from English. */
async function tables(dir, codes) {
  const { en } = await load('src/widget/i18n/strings.ts');
  const out = { en };
  for (const code of codes) {
    const table = (await tsImport(pathToFileURL(join(dir, `${code}.ts`)).href, import.meta.url)).default;
    if (!table || typeof table !== 'object') throw new Error(`${DIR}/${code}.ts: export the table as the default export`);
    out[code] = { ...en, ...table };
  }
  return out;
}

/** A generated `Record<language, {keys}>` module. */
function stringsModule(all, keys, typeImport, doc, name, type) {
  return `// Generated from the files in ./locales/ by scripts/locales.mjs (run by every build and test
// command): do not edit, do not commit.
${typeImport}

/** ${doc} */
export const ${name}: Readonly<Record<string, ${type}>> = {
${Object.entries(all)
  .map(([c, t]) => `  ${key(c)}: { ${keys.map((k) => `${k}: ${JSON.stringify(t[k])}`).join(', ')} },`)
  .join('\n')}
};
`;
}

/** launcher-strings.ts and quick-panel-strings.ts, by path. */
async function labelSources(dir, codes) {
  const all = await tables(dir, codes);
  return {
    [LABELS_OUT]: stringsModule(
      all,
      LABEL_KEYS,
      "import type { LauncherLabels } from '../launcher/launcher-labels.js';",
      "The launcher's two strings per language (English included), for the lazy entry's first load.",
      'launcherLabels',
      'LauncherLabels',
    ),
    [QUICK_OUT]: stringsModule(
      all,
      QUICK_KEYS,
      "import type { QuickPanelLabels } from '../launcher/quick-panel.js';",
      "The quick panel's strings per language (English included), loaded by the lazy entry after the page.",
      'quickPanelLabels',
      'QuickPanelLabels',
    ),
  };
}

/**
 * The generated files' contents, by path (relative to the repository), for the language files in
 * `dir` (the real folder unless a test lists a copy). Reads English from strings.ts, which needs the
 * real registry written: run `ensureLocales()` first.
 */
export async function generatedSources(dir = join(ROOT, DIR)) {
  const codes = languageCodes(dir);
  return { [OUT]: registrySource(codes), ...(await labelSources(dir, codes)) };
}

/** Writes `text` to `path` unless it holds it already. Resolves to whether it wrote. */
function update(path, text) {
  const file = join(ROOT, path);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text);
  return true;
}

/**
 * Writes the generated files that are missing or differ (an unchanged file is not touched, so
 * watchers and `npm start`'s freshness check see no change). Resolves to the paths written.
 */
export async function ensureLocales() {
  const dir = join(ROOT, DIR);
  const codes = languageCodes(dir);
  const written = [];
  if (update(OUT, registrySource(codes))) written.push(OUT);
  for (const [path, text] of Object.entries(await labelSources(dir, codes))) if (update(path, text)) written.push(path);
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const written = await ensureLocales();
  console.log(written.length ? `written: ${written.join(', ')}` : 'locale modules are up to date');
}
