// A language is one file in src/widget/i18n/locales/: this lists the folder and checks that each file
// is complete (every English key, each with English's placeholders, nothing else) and registered
// (in the generated locale-registry.ts and launcher-strings.ts, loadable by its code, with its
// launcher labels), so a new
// file, once `node --import tsx scripts/locales.mjs` has run, is all a new language takes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { generatedSources } from '../../scripts/locales.mjs';
import { en, loadLocale, loadTranslation, SHIPPED_LANGUAGES, stringsFor, type ChatStrings, type ShippedLanguage } from '../../src/widget/i18n/strings.js';
import { launcherLabelsFor } from '../../src/widget/launcher/launcher-labels.js';
import { quickPanelLabels } from '../../src/widget/i18n/quick-panel-strings.js';

const DIR = 'src/widget/i18n/locales';
const codes = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('locale files', () => {
  it('the generated registry lists exactly the files in the folder (else run scripts/locales.mjs)', async () => {
    assert.ok(codes.length > 0);
    for (const [path, source] of Object.entries(await generatedSources())) assert.equal(readFileSync(path, 'utf8'), source, `${path} is stale`);
    assert.deepEqual([...SHIPPED_LANGUAGES].sort(), codes);
  });

  for (const code of codes) {
    it(`${code}.ts is complete and registered`, async () => {
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
      assert.equal(launcherLabelsFor(code).openChat, table.openChat);
      assert.equal(launcherLabelsFor(code).unreadReplies, table.unreadReplies);
      assert.deepEqual(quickPanelLabels[code], { heading: table.heading, placeholder: table.placeholder, send: table.send }, `${code}: quick panel strings`);
    });
  }
});
