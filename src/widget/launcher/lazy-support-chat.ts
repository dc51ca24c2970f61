/**
 * The light `<ic-support-chat>` of the lazy entry (`src/lazy.ts`): same tag, attributes, methods and
 * events as the full element, but it only ships the launcher button (no Lit, no Markdown). The full
 * chat is downloaded once the browser is idle after the page loaded (or earlier when the visitor
 * hovers, focuses or presses the launcher), mounted on first open, and then lives in this element's
 * shadow root; attributes and properties are forwarded to it, its events bubble out through this
 * element, and its parts are re-exported. A click opens a quick panel with a message box at once
 * (quick-panel.ts); the full chat takes its place and its text when it is ready.
 */
import { HTMLElementBase } from '../html-element-base.js';
import { directionOf, languageOf } from '../i18n/locale.js';
import { themeCss } from '../styles/theme.js';
import { IcLauncher } from './launcher.js';
import { launcherLabelsFor } from './launcher-labels.js';
import { launcherParts, launcherSide } from './launcher-options.js';
import { adoptCss, h } from './shadow-dom.js';
import type { QuickPanel } from './quick-panel.js';

type PanelModule = typeof import('./lazy-panel.js');
type Core = import('./lazy-panel.js').IcSupportChatCore;
type QuickModule = typeof import('./quick-panel.js');

/** Attributes that belong to this element itself, not to the chat inside it. */
const OWN_ATTRIBUTES = new Set(['id', 'class', 'style', 'slot', 'part', 'exportparts', 'tabindex']);

const shellCss = `${themeCss()}
:host { display: block; height: 100%; min-height: 320px; }
:host([mode='launcher']) { height: 0; min-height: 0; }
ic-support-chat-core { height: 100%; min-height: inherit; }
.swap::part(panel) { animation: none; }`;

let panelModule: Promise<PanelModule> | undefined;
let prefetchScheduled = false;
/** The quick panel's module once it has arrived (so a click can show it synchronously). */
let quickModule: QuickModule | undefined;
let quickLoading: Promise<QuickModule> | undefined;

function loadQuickPanel(): Promise<QuickModule> {
  return (quickLoading ??= import('./quick-panel.js').then((module) => (quickModule = module)));
}

/** Starts loading the full chat (once per page). */
export function loadPanel(): Promise<PanelModule> {
  return (panelModule ??= import('./lazy-panel.js'));
}

/**
 * After the page has loaded (never before: the page's own resources come first): the quick panel at
 * once (~1.8 KB), and the full chat when the browser is idle, so that most visitors find it ready
 * when they open it; not the full chat for visitors who asked to save data (they still get it on
 * hover, focus or press).
 */
export function prefetchWhenIdle(): void {
  if (prefetchScheduled) return;
  prefetchScheduled = true;
  const afterLoad = () => {
    void loadQuickPanel();
    if ((navigator as { connection?: { saveData?: boolean } }).connection?.saveData) return;
    ((window.requestIdleCallback as typeof requestIdleCallback | undefined) ?? ((task: () => void) => setTimeout(task, 500)))(() => void loadPanel());
  };
  if (document.readyState === 'complete') afterLoad();
  else addEventListener('load', afterLoad, { once: true });
}

/**
 * The lazily loading `<ic-support-chat>`: see `IcSupportChat` for its documented surface.
 * @internal
 */
export class IcSupportChatLazy extends HTMLElementBase {
  #core: Core | null = null;
  #mounting: Promise<Core> | null = null;
  #launcher: IcLauncher | null = null;
  /** Shown from a click until the full chat is mounted. */
  #quick: QuickPanel | null = null;
  readonly #attributeObserver = new MutationObserver((records) => {
    for (const record of records) if (record.attributeName) this.#forwardAttribute(record.attributeName);
  });

  connectedCallback(): void {
    if (!this.shadowRoot) {
      adoptCss(this.attachShadow({ mode: 'open' }), shellCss);
    }
    this.#attributeObserver.observe(this, { attributes: true });
    if (this.#core || this.#mounting) return;
    if (this.getAttribute('mode') === 'launcher' && !this.hasAttribute('open')) {
      this.#showLauncher();
      prefetchWhenIdle();
    } else void this.#mount();
  }

  disconnectedCallback(): void {
    this.#attributeObserver.disconnect();
  }

  /** The full chat, once loaded (`null` before the first open). */
  get loaded(): boolean {
    return this.#core !== null;
  }

  /** Loads the full chat now (it is loaded on first open otherwise). */
  preload(): Promise<unknown> {
    void loadQuickPanel();
    return loadPanel();
  }

  open(): void {
    let painted: Promise<unknown> = Promise.resolve();
    if (this.#quick?.element.hidden) {
      // Closed with Escape before the chat arrived, and opened again: the same panel and text.
      this.#quick.element.hidden = false;
      this.#launcher!.hidden = true;
      this.#quick.input.focus();
      return;
    }
    if (!this.#core && !this.#quick && this.#launcher) {
      // Normally here since the page loaded; on a click that beat it, as soon as it arrives.
      if (quickModule) {
        this.#showQuickPanel(quickModule);
        // Let the quick panel paint before the full chat's first render takes the main thread.
        painted = new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
      } else
        void loadQuickPanel().then((module) => {
          if (!this.#core && !this.#quick) this.#showQuickPanel(module);
        });
    }
    void painted.then(() => this.#withCore((core) => this.#takeOver(core)));
  }
  close(): void {
    if (this.#quick) this.#closeQuickPanel();
    this.#core?.close();
  }
  toggle(): void {
    if (this.#core) this.#core.toggle();
    else if (this.#quick && !this.#quick.element.hidden) this.close();
    else this.open();
  }
  send(text?: string): Promise<boolean> {
    return this.#withCore((core) => core.send(text));
  }
  stop(): void {
    this.#core?.stop();
  }
  newConversation(): void {
    void this.#withCore((core) => core.newConversation());
  }
  downloadTranscript(): Promise<void> {
    return this.#withCore((core) => core.downloadTranscript());
  }
  override focus(options?: FocusOptions): void {
    if (this.#core) this.#core.focus(options);
    else if (this.#quick && !this.#quick.element.hidden) this.#quick.input.focus(options);
    else this.#launcher?.focus(options);
  }
  get currentThreadId(): string | null {
    return this.#core?.currentThreadId ?? null;
  }

  async #withCore<T>(action: (core: Core) => T): Promise<Awaited<T>> {
    return await action(await this.#mount());
  }

  /** The launcher button alone, named in the page's language, until the chat loads. */
  #showLauncher(): void {
    if (!customElements.get('ic-launcher')) customElements.define('ic-launcher', IcLauncher);
    const launcher = document.createElement('ic-launcher');
    const lang = languageOf(this);
    const direction = directionOf(this, lang);
    const overrides = (this as { strings?: { openChat?: string } }).strings;
    launcher.label = overrides?.openChat ?? launcherLabelsFor(lang).openChat;
    launcher.setAttribute('part', 'launcher');
    launcher.setAttribute('exportparts', launcherParts);
    launcher.setAttribute('dir', direction);
    launcher.setAttribute('position', `bottom-${launcherSide(this.getAttribute('position'), direction)}`);
    launcher.addEventListener('click', () => this.open());
    // Intent to open: start downloading the chat now, if the idle prefetch has not yet.
    for (const type of ['pointerenter', 'pointerdown', 'focusin']) launcher.addEventListener(type, () => void this.preload(), { once: true });
    this.shadowRoot!.append(launcher);
    this.#launcher = launcher;
  }

  /** The panel's frame and a focused message box, at once, while the full chat loads. */
  #showQuickPanel({ createQuickPanel }: QuickModule): void {
    const lang = languageOf(this);
    const direction = directionOf(this, lang);
    const quick = createQuickPanel(
      this.shadowRoot!,
      lang,
      this.getAttribute('heading') ?? '',
      this.getAttribute('placeholder') ?? '',
      direction,
      launcherSide(this.getAttribute('position'), direction),
      () => this.#closeQuickPanel(),
    );
    this.#launcher!.hidden = true;
    this.shadowRoot!.append(quick.element);
    quick.input.focus();
    this.#quick = quick;
  }

  /** Escape before the chat arrived: back to the launcher (the text stays for the next open). */
  #closeQuickPanel(): void {
    const quick = this.#quick!;
    quick.element.hidden = true;
    this.#launcher!.hidden = false;
    if (quick.element.contains(this.shadowRoot!.activeElement)) this.#launcher!.focus();
  }

  /** Opens the full chat, taking over from the quick panel if it is there (quick-panel.ts). */
  async #takeOver(core: Core): Promise<void> {
    const quick = this.#quick;
    if (!quick || !quickModule) return core.open();
    this.#quick = null;
    await quickModule.handOver(quick, core);
  }

  /** Loads the full chat and puts it in place of the launcher, with this element's configuration. */
  #mount(): Promise<Core> {
    this.#mounting ??= loadPanel().then(async (module) => {
      const core = document.createElement(module.CORE_TAG) as Core;
      for (const { name } of [...this.attributes]) this.#forwardAttribute(name, core);
      // Properties set on this element before the chat loaded (strings, transport, …) move over,
      // and from now on this element's properties are the chat's.
      for (const key of module.forwardedProperties) this.#forwardProperty(key, core);
      for (const name of ['avatar', 'header', 'empty']) core.append(h('slot', { name, slot: name }));
      // The chat reflects `open`; mirror it so `ic-support-chat[open]` selectors keep working.
      core.addEventListener('ic-open', () => this.toggleAttribute('open', true));
      core.addEventListener('ic-close', () => {
        this.toggleAttribute('open', false);
        core.classList.remove('swap');
      });
      this.#core = core;
      this.shadowRoot!.append(core);
      await core.updateComplete;
      core.setAttribute('exportparts', module.exposedParts(core).join(', '));
      this.#launcher?.remove();
      this.#launcher = null;
      return core;
    });
    return this.#mounting;
  }

  #forwardAttribute(name: string, core: Core | null = this.#core): void {
    if (!core || OWN_ATTRIBUTES.has(name)) return;
    const value = this.getAttribute(name);
    if (value === null) core.removeAttribute(name);
    else if (core.getAttribute(name) !== value) core.setAttribute(name, value);
  }

  #forwardProperty(key: string, core: Core): void {
    if (key in HTMLElement.prototype) return;
    const self = this as unknown as Record<string, unknown>;
    const target = core as unknown as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(this, key)) {
      const value = self[key];
      delete self[key];
      target[key] = value;
    }
    Object.defineProperty(this, key, {
      configurable: true,
      enumerable: true,
      get: () => target[key],
      set: (value: unknown) => {
        target[key] = value;
      },
    });
  }
}
