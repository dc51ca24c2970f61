import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import { en, isLocaleLoaded, loadLocale, loadTranslation, SHIPPED_LANGUAGES, stringsFor, translations, type ChatStrings } from '../../../src/widget/i18n/strings.js';
import { launcherLabels } from '../../../src/widget/launcher/launcher-labels.js';
import { formatDateTime, formatFileSize } from '../../../src/widget/i18n/format.js';
import { directionOf, isRtlLanguage, languageOf } from '../../../src/widget/i18n/locale.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { parts } from '../support/dom.js';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('shipped translations', () => {
  for (const lang of SHIPPED_LANGUAGES) {
    it(`${lang} translates every English key, keeping its placeholders`, async () => {
      const table = await loadTranslation(lang);
      const missing = Object.keys(en).filter((key) => !table[key as keyof ChatStrings]?.trim());
      expect(missing, `${lang} is missing keys`).to.deep.equal([]);
      const extra = Object.keys(table).filter((key) => !(key in en));
      expect(extra, `${lang} has keys English does not`).to.deep.equal([]);
      for (const key of Object.keys(en) as (keyof ChatStrings)[]) {
        expect(placeholders(table[key]!), `${lang}.${key}`).to.deep.equal(placeholders(en[key]));
      }
    });
  }

  it('the lazy launcher labels match the full tables', async () => {
    await Promise.all(SHIPPED_LANGUAGES.map((lang) => loadLocale(lang)));
    for (const [lang, labels] of Object.entries(launcherLabels)) {
      const table = stringsFor(lang);
      expect(labels.openChat, lang).to.equal(table.openChat);
      expect(labels.unreadReplies, lang).to.equal(table.unreadReplies);
    }
    expect(Object.keys(launcherLabels).sort()).to.deep.equal(['en', ...SHIPPED_LANGUAGES].sort());
  });

  it('falls back from a regional tag to its language, and from an unknown one to English', async () => {
    await Promise.all([loadLocale('fr-CA'), loadLocale('de'), loadLocale('pt-BR')]);
    expect(stringsFor('fr-CA').send).to.equal('Envoyer');
    expect(stringsFor('pt-BR').send).to.equal('Send');
    expect(stringsFor('de', { send: 'Los' }).send).to.equal('Los');
  });
});

describe('loading languages on demand', () => {
  it('keeps English in the bundle and loads another language into `translations` when asked', async () => {
    expect(isLocaleLoaded('en')).to.equal(true);
    expect(isLocaleLoaded('pt-BR'), 'no table to load for an unshipped language').to.equal(true);
    await loadLocale('pt-BR');
    expect(translations).to.not.have.property('pt');
    await loadLocale('es-MX');
    expect(isLocaleLoaded('es')).to.equal(true);
    expect(translations['es']!.send).to.equal((await loadTranslation('es')).send);
    expect(translations['es']!.send).to.not.equal(en.send);
  });

  it('shows the language’s table once loaded: updateComplete waits for it and the re-render', async () => {
    const wrapper = await fixture(html`<div lang="ja"><ic-support-chat persist="none"></ic-support-chat></div>`);
    const el = wrapper.querySelector('ic-support-chat')!;
    // updateComplete waits for the table and the re-render it causes.
    await el.updateComplete;
    await parts(el).composer.updateComplete;
    expect(parts(el).sendButton()!.textContent!.trim()).to.equal(translations['ja']!.send);
    expect(translations['ja']!.send).to.not.equal(en.send);
  });
});

describe('language and direction', () => {
  it('takes the element’s lang, else the closest ancestor’s (through shadow roots), else the page’s', async () => {
    const host = await fixture(html`<div lang="ja"><span></span></div>`);
    const span = host.querySelector('span')!;
    expect(languageOf(span)).to.equal('ja');
    const shadowHost = await fixture(html`<section lang="de"><div></div></section>`);
    const inner = shadowHost.querySelector('div')!.attachShadow({ mode: 'open' });
    inner.innerHTML = '<p></p>';
    expect(languageOf(inner.querySelector('p')!)).to.equal('de');
    const orphan = await fixture(html`<p></p>`);
    expect(languageOf(orphan)).to.equal(document.documentElement.getAttribute('lang') || null);
    expect(isRtlLanguage('ar-EG')).to.equal(true);
    expect(isRtlLanguage('he')).to.equal(true);
    expect(isRtlLanguage('en')).to.equal(false);
    const rtlEnglish = await fixture(html`<p dir="rtl"></p>`);
    expect(directionOf(rtlEnglish, 'en')).to.equal('rtl');
  });

  it('formats dates and sizes with Intl in the visitor’s language', () => {
    expect(formatFileSize(1_400_000, 'en')).to.equal('1.4 MB');
    expect(formatFileSize(1_400_000, 'fr')).to.match(/^1,4\s?Mo$/);
    expect(formatFileSize(820, 'en')).to.equal('820 bytes');
    const when = Date.UTC(2026, 2, 12, 14, 5);
    expect(formatDateTime(when, 'de')).to.not.equal(formatDateTime(when, 'en'));
    expect(formatDateTime(when, 'ja')).to.contain('2026');
    expect(formatDateTime(when, 'not a tag!')).to.be.a('string');
  });
});

async function chatIn(lang: string, attrs: { dir?: string } = {}): Promise<IcSupportChat> {
  const wrapper = await fixture(
    html`<div style="height: 480px" lang=${lang}>
      <ic-support-chat persist="none" dir=${attrs.dir ?? ''} greeting="Hi"></ic-support-chat>
    </div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

describe('<ic-support-chat> in other languages', () => {
  it('shows French strings for an ancestor’s lang="fr", with per-string overrides', async () => {
    const el = await chatIn('fr');
    const p = parts(el);
    await p.composer.updateComplete;
    expect(p.sendButton()!.textContent!.trim()).to.equal('Envoyer');
    expect(p.newConversationButton.textContent!.trim()).to.equal('Nouvelle conversation');
    expect(p.log().getAttribute('aria-label')).to.equal('Conversation');
    el.strings = { send: 'Go' };
    await el.updateComplete;
    await p.composer.updateComplete;
    expect(p.sendButton()!.textContent!.trim()).to.equal('Go');
    await expect(el).to.be.accessible();
  });

  it('lays Arabic out right to left, and is accessible', async () => {
    const el = await chatIn('ar');
    const panel = el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
    expect(panel.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(parts(el).textarea).direction).to.equal('rtl');
    // The header's first item (the heading) sits on the right in RTL.
    const heading = el.shadowRoot!.querySelector('[part="heading"]')!.getBoundingClientRect();
    const button = parts(el).newConversationButton.getBoundingClientRect();
    expect(heading.left).to.be.greaterThan(button.left);
    expect(parts(el).newConversationButton.textContent!.trim()).to.equal('محادثة جديدة');
    await expect(el).to.be.accessible();
  });

  it('dir="rtl" alone turns the layout right to left (and dir="ltr" wins over an RTL language)', async () => {
    const rtl = await chatIn('en', { dir: 'rtl' });
    expect(rtl.shadowRoot!.querySelector('[part="panel"]')!.getAttribute('dir')).to.equal('rtl');
    const ltr = await chatIn('ar', { dir: 'ltr' });
    expect(ltr.shadowRoot!.querySelector('[part="panel"]')!.getAttribute('dir')).to.equal('ltr');
  });
});
