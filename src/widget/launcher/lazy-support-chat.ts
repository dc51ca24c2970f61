/**
 * The light `<ic-support-chat>` of the lazy entry (`src/lazy.ts`): same tag, attributes, methods and
 * events as the full element, but it only ships the launcher button (no Lit, no Markdown). The full
 * chat is imported on first open, or earlier when the visitor hovers or focuses the launcher, and
 * then lives in this element's shadow root; attributes and properties are forwarded to it, its
 * events bubble out through this element, and its parts are re-exported.
 */
import { HTMLElementBase } from '../html-element-base.js';
import { directionOf, languageOf } from '../i18n/locale.js';
import { themeCss } from '../styles/theme.js';
import { IcLauncher } from './launcher.js';
import { launcherLabelsFor } from './launcher-labels.js';
import { launcherParts, launcherSide } from './launcher-options.js';

type PanelModule = typeof import('./lazy-panel.js');
type Core = import('./lazy-panel.js').IcSupportChatCore;

/** Attributes that belong to this element itself, not to the chat inside it. */
const OWN_ATTRIBUTES = new Set(['id', 'class', 'style', 'slot', 'part', 'exportparts', 'tabindex']);

const shellCss = `${themeCss()}
:host { display: block; height: 100%; min-height: 320px; }
:host([mode='launcher']) { height: 0; min-height: 0; }
ic-support-chat-core { height: 100%; min-height: inherit; }`;

let panelModule: Promise<PanelModule> | undefined;

/** Starts loading the full chat (once per page). */
export function loadPanel(): Promise<PanelModule> {
  return (panelModule ??= import('./lazy-panel.js'));
}

/**
 * The lazily loading `<ic-support-chat>`: see `IcSupportChat` for its documented surface.
 * @internal
 */
export class IcSupportChatLazy extends HTMLElementBase {
  private core: Core | null = null;
  private mounting: Promise<Core> | null = null;
  private launcher: IcLauncher | null = null;
  private readonly attributeObserver = new MutationObserver((records) => {
    for (const record of records) if (record.attributeName) this.forwardAttribute(record.attributeName);
  });

  connectedCallback(): void {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `<style>${shellCss}</style>`;
    }
    this.attributeObserver.observe(this, { attributes: true });
    if (this.core || this.mounting) return;
    if (this.getAttribute('mode') === 'launcher' && !this.hasAttribute('open')) this.showLauncher();
    else void this.mount();
  }

  disconnectedCallback(): void {
    this.attributeObserver.disconnect();
  }

  /** The full chat, once loaded (`null` before the first open). */
  get loaded(): boolean {
    return this.core !== null;
  }

  /** Loads the full chat now (it is loaded on first open otherwise). */
  preload(): Promise<unknown> {
    return loadPanel();
  }

  open(): void {
    void this.withCore((core) => core.open());
  }
  close(): void {
    this.core?.close();
  }
  toggle(): void {
    if (this.core) this.core.toggle();
    else this.open();
  }
  send(text?: string): Promise<boolean> {
    return this.withCore((core) => core.send(text));
  }
  stop(): void {
    this.core?.stop();
  }
  newConversation(): void {
    void this.withCore((core) => core.newConversation());
  }
  downloadTranscript(): Promise<void> {
    return this.withCore((core) => core.downloadTranscript());
  }
  override focus(options?: FocusOptions): void {
    if (this.core) this.core.focus(options);
    else this.launcher?.focus(options);
  }
  get currentThreadId(): string | null {
    return this.core?.currentThreadId ?? null;
  }

  private async withCore<T>(action: (core: Core) => T): Promise<Awaited<T>> {
    return await action(await this.mount());
  }

  /** The launcher button alone, named in the page's language, until the chat loads. */
  private showLauncher(): void {
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
    // Intent to open: start downloading the chat so the first open is instant.
    launcher.addEventListener('pointerenter', () => void this.preload(), { once: true });
    launcher.addEventListener('focusin', () => void this.preload(), { once: true });
    this.shadowRoot!.append(launcher);
    this.launcher = launcher;
  }

  /** Loads the full chat and puts it in place of the launcher, with this element's configuration. */
  private mount(): Promise<Core> {
    this.mounting ??= loadPanel().then(async (module) => {
      const core = document.createElement(module.CORE_TAG) as Core;
      for (const { name } of [...this.attributes]) this.forwardAttribute(name, core);
      // Properties set on this element before the chat loaded (strings, transport, …) move over,
      // and from now on this element's properties are the chat's.
      for (const key of module.forwardedProperties) this.forwardProperty(key, core);
      core.innerHTML = '<slot name="avatar" slot="avatar"></slot><slot name="header" slot="header"></slot><slot name="empty" slot="empty"></slot>';
      // The chat reflects `open`; mirror it so `ic-support-chat[open]` selectors keep working.
      core.addEventListener('ic-open', () => this.toggleAttribute('open', true));
      core.addEventListener('ic-close', () => this.toggleAttribute('open', false));
      this.core = core;
      this.shadowRoot!.append(core);
      await core.updateComplete;
      core.setAttribute('exportparts', module.exposedParts(core).join(', '));
      this.launcher?.remove();
      this.launcher = null;
      return core;
    });
    return this.mounting;
  }

  private forwardAttribute(name: string, core: Core | null = this.core): void {
    if (!core || OWN_ATTRIBUTES.has(name)) return;
    const value = this.getAttribute(name);
    if (value === null) core.removeAttribute(name);
    else if (core.getAttribute(name) !== value) core.setAttribute(name, value);
  }

  private forwardProperty(key: string, core: Core): void {
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
