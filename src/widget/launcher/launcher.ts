import { HTMLElementBase } from '../html-element-base.js';
import { launcherCss } from './launcher.styles.js';
import { adoptCss, h } from './shadow-dom.js';

/** A speech bubble's outline, drawn inline: nothing is fetched from anywhere. */
const ICON_PATH = 'M12 3C6.5 3 2 6.8 2 11.5c0 2.4 1.2 4.6 3.1 6.1-.2 1.5-.9 2.9-2 4 2.2-.1 4.2-.9 5.7-2.2 1 .3 2.1.4 3.2.4 5.5 0 10-3.8 10-8.5S17.5 3 12 3Z';

/**
 * @tag ic-launcher
 * @summary The floating round button that opens the chat in launcher mode, with an unread badge,
 * its name on hover and focus, and a preview of the newest unread reply.
 * Written without Lit or any dependency so a page can show it before loading the chat itself.
 * `<ic-support-chat mode="launcher">` renders it (part `launcher`); it is usable on its own too.
 *
 * @csspart button - The button (its `::after` shows its name beside it on hover and keyboard focus).
 * @csspart badge - The unread count.
 * @csspart preview - The start of the newest unread reply, above the button (a click opens the chat); `<ic-support-chat>` styles it, style it yourself when using the launcher alone.
 *
 * @cssprop --ic-accent - Button colour.
 * @cssprop --ic-accent-hover - Button colour when hovered.
 * @cssprop --ic-accent-contrast - Icon colour.
 * @cssprop --ic-shadow - Button shadow.
 * @cssprop --ic-z-index - Stacking order of the floating button.
 * @cssprop --ic-launcher-size - Button diameter (default 56px).
 * @cssprop --ic-launcher-radius - Button corner radius (default 50%: round).
 * @cssprop --ic-launcher-offset - Distance from the viewport's edges (default 20px).
 * @cssprop --ic-badge-bg - Background of the unread badge.
 * @cssprop --ic-badge-text - Text colour of the unread badge.
 */
export class IcLauncher extends HTMLElementBase {
  static readonly observedAttributes = ['label', 'unread-label', 'unread', 'expanded', 'preview'];

  #button: HTMLButtonElement | undefined;
  #badge: HTMLElement | undefined;

  /** The button's accessible name (default "Open support chat"). */
  get label(): string {
    return this.getAttribute('label') ?? 'Open support chat';
  }
  set label(value: string) {
    this.setAttribute('label', value);
  }

  /** Unread replies; shown as a badge when above zero. */
  get unread(): number {
    return Math.max(0, Number(this.getAttribute('unread')) || 0);
  }
  set unread(value: number) {
    if (value > 0) this.setAttribute('unread', String(value));
    else this.removeAttribute('unread');
  }

  /** Appended to the name while there are unread replies; `{count}` is their number. */
  get unreadLabel(): string {
    return this.getAttribute('unread-label') ?? 'New replies: {count}';
  }
  set unreadLabel(value: string) {
    this.setAttribute('unread-label', value);
  }

  /** The start of the newest unread reply (plain text), shown beside the button while there are unread replies. */
  get preview(): string {
    return this.getAttribute('preview') ?? '';
  }
  set preview(value: string) {
    this.setAttribute('preview', value);
  }

  /** Mirrors whether the chat it opens is open (`aria-expanded`). */
  get expanded(): boolean {
    return this.hasAttribute('expanded');
  }
  set expanded(value: boolean) {
    this.toggleAttribute('expanded', value);
  }

  connectedCallback(): void {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open', delegatesFocus: true });
      // The preview describes the button; its name shows beside it on hover and focus (CSS ::after).
      adoptCss(root, launcherCss);
      const icon = h('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, h('path', { d: ICON_PATH }));
      this.#badge = h('span', { part: 'badge', class: 'badge', 'aria-hidden': 'true', hidden: '' }) as HTMLElement;
      this.#button = h('button', { part: 'button', type: 'button', 'aria-haspopup': 'dialog', 'aria-describedby': 'preview' }, icon, this.#badge) as HTMLButtonElement;
      root.append(this.#button, h('span', { part: 'preview', id: 'preview', dir: 'auto', hidden: '' }));
    }
    this.#sync();
  }

  attributeChangedCallback(): void {
    this.#sync();
  }

  /** Moves focus to the button. */
  override focus(options?: FocusOptions): void {
    this.#button?.focus(options);
  }

  #sync(): void {
    const button = this.#button;
    const badge = this.#badge;
    if (!button || !badge) return;
    const unread = this.unread;
    const name = unread > 0 ? `${this.label}. ${this.unreadLabel.replace('{count}', String(unread))}` : this.label;
    button.setAttribute('aria-label', name);
    button.setAttribute('aria-expanded', String(this.expanded));
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = unread === 0;
    const preview = this.shadowRoot!.getElementById('preview')!;
    // Empty while hidden: the button's description (aria-describedby) is empty then too.
    preview.textContent = unread > 0 ? this.preview : '';
    preview.hidden = !preview.textContent;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ic-launcher': IcLauncher;
  }
}
