/**
 * The language of `<ic-support-chat>`: which one applies (its `lang`, an ancestor's, the page's),
 * its direction, and its strings table, loaded on demand for languages other than English. The
 * resolved table keeps its identity until the language, the loaded tables or the host's overrides
 * change, so the strings context is only re-provided (and the parts re-rendered) when it did.
 */
import type { ReactiveControllerHost } from 'lit';
import { directionOf, languageOf } from '../i18n/locale.js';
import { isLocaleLoaded, loadLocale, stringsFor, type ChatStrings } from '../i18n/strings.js';

export class LocaleController {
  /** The language whose strings are shown (primary subtag or full tag), `null` if none is declared. */
  language: string | null = null;
  /** Layout direction: the `dir` attribute, or the language's. */
  direction: 'ltr' | 'rtl' = 'ltr';
  /** The language table being loaded, if any: the host's `updateComplete` waits for it. */
  pending: Promise<void> | null = null;

  #base: ChatStrings | null = null;
  #overrides: Partial<ChatStrings> | null = null;
  #resolved: ChatStrings = stringsFor(null);

  constructor(private readonly host: ReactiveControllerHost & Element) {}

  /**
   * Reads the language and direction again (call before each render: an ancestor's `lang` may have
   * changed) and returns the strings to show: the language's table with `overrides` on top.
   */
  update(overrides: Partial<ChatStrings>): ChatStrings {
    const lang = languageOf(this.host);
    this.language = lang;
    this.direction = directionOf(this.host, lang);
    if (!isLocaleLoaded(lang) && !this.pending) this.#load(lang);
    const base = stringsFor(lang);
    if (base !== this.#base || overrides !== this.#overrides) {
      this.#base = base;
      this.#overrides = overrides;
      this.#resolved = Object.keys(overrides).length ? { ...base, ...overrides } : base;
    }
    return this.#resolved;
  }

  /** Non-English tables load on demand: English shows meanwhile, then the host re-renders. */
  #load(lang: string | null): void {
    const pending = loadLocale(lang).then(() => {
      if (this.pending === pending) this.pending = null;
      this.host.requestUpdate();
    });
    this.pending = pending;
  }
}
