// A language is one file in src/widget/i18n/locales/. This lists the folder and checks that each file
// is complete (every English key, each with English's placeholders, nothing else) and registered
// everywhere the widget looks: the language list and loader, and the lazy launcher's labels. Those
// two modules are generated from the folder by scripts/locales.mjs, which every build and test
// command runs (ensureLocales, run here too) and which git ignores, so a new file is all it takes: a
// copy of the folder with one more file shows the generator picking it up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ensureLocales, generatedSources } from '../../scripts/locales.mjs';
import type { ChatStrings, ShippedLanguage } from '../../src/widget/i18n/strings.js';

const DIR = 'src/widget/i18n/locales';
const GENERATED = ['src/widget/i18n/locale-registry.ts', 'src/widget/i18n/launcher-strings.ts', 'src/widget/i18n/quick-panel-strings.ts'];
const codes = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

// Imported once the generated modules exist (a fresh clone has none until a command writes them).
let strings: typeof import('../../src/widget/i18n/strings.js');
let launcher: typeof import('../../src/widget/launcher/launcher-labels.js');
let quick: typeof import('../../src/widget/i18n/quick-panel-strings.js');
before(async () => {
  await ensureLocales();
  strings = await import('../../src/widget/i18n/strings.js');
  launcher = await import('../../src/widget/launcher/launcher-labels.js');
  quick = await import('../../src/widget/i18n/quick-panel-strings.js');
});

describe('locale files', () => {
  it('the widget lists exactly the files in the folder, and the launcher has labels for each', () => {
    assert.ok(codes.length > 0);
    assert.deepEqual([...strings.SHIPPED_LANGUAGES].sort(), codes);
    assert.deepEqual(Object.keys(launcher.launcherLabels).sort(), ['en', ...codes].sort());
  });

  for (const code of codes) {
    it(`${code}.ts is complete and registered`, async () => {
      const { en, loadLocale, loadTranslation, stringsFor } = strings;
      const table = (await import(pathToFileURL(`${DIR}/${code}.ts`).href)).default as Partial<ChatStrings>;
      const missing = Object.keys(en).filter((key) => !table[key as keyof ChatStrings]?.trim());
      assert.deepEqual(missing, [], `${code} is missing keys`);
      assert.deepEqual(
        Object.keys(table).filter((key) => !(key in en)),
        [],
        `${code} has keys English does not`,
      );
      for (const key of Object.keys(en) as (keyof ChatStrings)[]) {
        assert.deepEqual(placeholders(table[key]!), placeholders(en[key]), `${code}.${key} placeholders`);
      }
      assert.equal(await loadTranslation(code as ShippedLanguage), table);
      await loadLocale(code);
      assert.equal(stringsFor(code).send, table.send);
      assert.equal(launcher.launcherLabelsFor(code).openChat, table.openChat);
      assert.equal(launcher.launcherLabelsFor(code).unreadReplies, table.unreadReplies);
      assert.deepEqual(quick.quickPanelLabels[code], { heading: table.heading, placeholder: table.placeholder, send: table.send }, `${code}: quick panel strings`);
    });
  }

  describe('a new file', () => {
    const copy = mkdtempSync(join(tmpdir(), 'ic-locales-'));
    after(() => rmSync(copy, { recursive: true, force: true }));

    it('is listed, loaded by its own import() and labelled, with nothing else to edit', async () => {
      cpSync(DIR, copy, { recursive: true });
      writeFileSync(join(copy, 'package.json'), '{ "type": "module" }\n'); // ESM like the repository's
      const fr = readFileSync(join(DIR, 'fr.ts'), 'utf8');
      writeFileSync(join(copy, 'pt-br.ts'), fr.replace(/openChat: '[^']*'/, "openChat: 'Abrir o chat de suporte'"));
      const sources = await generatedSources(copy);
      const [registry, labels] = GENERATED.map((path) => sources[path]!);
      assert.match(registry!, new RegExp(`SHIPPED_LANGUAGES = \\[${[...codes, 'pt-br'].map((c) => `'${c}'`).join(', ')}\\]`));
      assert.match(registry!, /'pt-br': \(\) => import\('\.\/locales\/pt-br\.js'\)/);
      assert.match(labels!, /'pt-br': \{ openChat: "Abrir o chat de suporte"/);
    });

    it('with a name that is not a language code is refused', async () => {
      writeFileSync(join(copy, 'Brazil.ts'), 'export default {};\n');
      await assert.rejects(generatedSources(copy), /Brazil\.ts: name it by its lowercase language code/);
    });
  });

  it('the generated modules are up to date, written only when they change, and not committed', async () => {
    assert.deepEqual(await generatedSources(), Object.fromEntries(GENERATED.map((path) => [path, readFileSync(path, 'utf8')])));
    assert.deepEqual(await ensureLocales(), []);
    if (!existsSync('.git')) return; // a source tarball: no git to ask
    for (const path of GENERATED) assert.equal(spawnSync('git', ['check-ignore', '-q', path]).status, 0, `${path} should be ignored by git`);
  });
});
