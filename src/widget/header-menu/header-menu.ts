/**
 * `<ic-header-menu>`: the header's one menu of secondary actions, as a WAI-ARIA menu button. The
 * items are the element's children (`role="menuitem"` buttons the chat renders, so their parts and
 * handlers stay the chat's); this element adds the button and the keyboard: the button opens the
 * menu with focus on the first item (ArrowUp: the last), arrows and Home/End move, Escape closes it
 * and returns focus to the button, Tab or focus leaving closes it. Loaded on demand (its own chunk).
 */
import { LitElement, css, html } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { baseStyles, tokens } from '../styles/tokens.styles.js';

/**
 * @tag ic-header-menu
 * @summary The header's "More actions" menu (internal to `<ic-support-chat>`).
 *
 * @slot - The menu items: `<button role="menuitem" tabindex="-1">`.
 * @csspart menu-button - The "More actions" button.
 * @csspart menu - The open menu.
 */
export class IcHeaderMenu extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        position: relative;
        flex: none;
      }
      .button.icon {
        width: 36px;
        min-height: 36px;
        padding: 0;
        background: transparent;
        color: inherit;
      }
      .button.icon:hover {
        background: ${tokens.surfaceMuted};
      }
      svg {
        width: 20px;
        height: 20px;
        fill: currentColor;
      }
      .menu {
        position: absolute;
        inset-inline-end: 0;
        top: 100%;
        z-index: 1;
        display: flex;
        flex-direction: column;
        min-width: 12em;
        padding: 4px;
        background: ${tokens.surface};
        border: 1px solid ${tokens.border};
        border-radius: ${tokens.radiusSmall};
        box-shadow: 0 4px 16px ${tokens.shadow};
      }
      ::slotted([role='menuitem']) {
        padding: 8px 10px;
        border: 0;
        border-radius: 4px;
        background: none;
        color: inherit;
        font: inherit;
        text-align: start;
        white-space: nowrap;
        cursor: pointer;
        outline: 2px solid transparent;
      }
      ::slotted([role='menuitem']:hover),
      ::slotted([role='menuitem']:focus) {
        background: ${tokens.surfaceMuted};
      }
      ::slotted([role='menuitem']:focus-visible) {
        box-shadow: ${tokens.focusRing};
      }
    `,
  ];

  /** The button's accessible name and the menu's ("More actions"). */
  @property() label = '';

  @state() private open = false;
  @query('button') private button!: HTMLButtonElement;

  protected override render() {
    return html`<button
        part="menu-button"
        class="button icon"
        type="button"
        aria-label=${this.label}
        title=${this.label}
        aria-haspopup="menu"
        aria-expanded=${this.open}
        aria-controls="menu"
        @click=${() => this.#toggle(!this.open, 0)}
        @keydown=${this.#onButtonKey}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M12 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4m0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4m0 6a2 2 0 1 0 0 4 2 2 0 0 0 0-4" />
        </svg>
      </button>
      <div part="menu" id="menu" class="menu" role="menu" aria-label=${this.label} ?hidden=${!this.open} @keydown=${this.#onMenuKey} @click=${this.#onItemClick}>
        <slot></slot>
      </div>`;
  }

  constructor() {
    super();
    // On the element itself: it goes wherever the element goes, so it needs no removing.
    this.addEventListener('focusout', this.#onFocusOut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.open = false;
  }

  #items(): HTMLElement[] {
    return [...this.querySelectorAll<HTMLElement>(':scope > [role="menuitem"]')].filter((item) => !item.hidden);
  }

  /** Opens (focusing item `focusIndex`, -1 for the last) or closes the menu. */
  async #toggle(open: boolean, focusIndex: number): Promise<void> {
    this.open = open;
    await this.updateComplete;
    if (open) this.#items().at(focusIndex)?.focus();
  }

  #close(focusButton: boolean): void {
    if (!this.open) return;
    this.open = false;
    if (focusButton) this.button.focus();
  }

  #onButtonKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    void this.#toggle(true, event.key === 'ArrowUp' ? -1 : 0);
  }

  #onMenuKey(event: KeyboardEvent): void {
    const items = this.#items();
    const at = items.indexOf(event.target as HTMLElement);
    const move: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: -1 };
    if (event.key in move) {
      event.preventDefault();
      items.at(move[event.key]! % items.length)?.focus();
    } else if (event.key === 'Escape') {
      // Handled here: a launcher panel must not close as well.
      event.preventDefault();
      event.stopPropagation();
      this.#close(true);
    } else if (event.key === 'Tab') this.#close(false);
  }

  /** An item was chosen (its own click handler runs the action): the menu closes. */
  #onItemClick(event: Event): void {
    if ((event.target as HTMLElement).closest('[role="menuitem"]')) this.#close(true);
  }

  /** Focus left the button and the items (a click elsewhere, Shift+Tab): the menu closes. */
  readonly #onFocusOut = (event: FocusEvent): void => {
    const to = event.relatedTarget as Node | null;
    // Focus on the button (in this shadow root) is retargeted to this element, which contains itself.
    if (!to || !this.contains(to)) this.#close(false);
  };
}

// Its own chunk, loaded on demand: it registers itself (once, like define.ts).
if (typeof customElements !== 'undefined' && !customElements.get('ic-header-menu')) customElements.define('ic-header-menu', IcHeaderMenu);

declare global {
  interface HTMLElementTagNameMap {
    'ic-header-menu': IcHeaderMenu;
  }
}
