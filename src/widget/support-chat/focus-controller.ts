/**
 * Where focus goes in `<ic-support-chat>`, in one place: the focus trap of the full-screen panel,
 * focus back to the launcher when the panel closes, and focus that follows the action now needed
 * (the approval a paused run waits for, the Retry of a retry that failed again). Focus is only ever
 * moved from inside the chat, or from nowhere (`<body>`): never taken from the rest of the page.
 */
import type { ReactiveControllerHost } from 'lit';
import type { ChatStore } from '../state/chat-store.js';
import { tabbableElements } from './tab-order.js';
import { loadToolUi } from '../lazy-parts.js';

/** The element the controller serves; its parts are looked up in its shadow root when needed (rendered later). */
export interface FocusHost extends ReactiveControllerHost, HTMLElement {
  readonly store: ChatStore;
  readonly renderRoot: ParentNode;
}

export class FocusController {
  /** Retry moved focus to the message box: if that retry fails too, focus follows to the new Retry. */
  #retryHeldFocus = false;
  /** Whether focus was inside the panel when it closed (then it goes back to the launcher). */
  #focusWasInside = false;

  readonly #host: FocusHost;

  constructor(host: FocusHost) {
    this.#host = host;
  }

  /** One of the host's rendered parts (the `.panel`, or a sub-element by tag). */
  #part<K extends keyof HTMLElementTagNameMap>(selector: K): HTMLElementTagNameMap[K] | null {
    return this.#host.renderRoot?.querySelector(selector) ?? null;
  }

  // Full-screen, the panel hides the page, so Tab must not wander behind it: a focusable sentinel
  // at each end sends focus round to the other end's control (found across shadow roots and slots).
  readonly wrapToEnd = (): void => {
    this.#panelControls().at(-1)?.focus();
  };

  readonly wrapToStart = (): void => {
    this.#panelControls()[0]?.focus();
  };

  /** Before the panel is hidden: was the visitor in it? (Then focus returns to the launcher.) */
  panelClosing(): void {
    this.#focusWasInside = this.#panelHasFocus();
  }

  /** The panel closed: back to the launcher, but only from inside the panel. */
  panelClosed(): void {
    if (this.#focusWasInside) void this.#host.updateComplete.then(() => this.#part('ic-launcher')?.focus());
    this.#focusWasInside = false;
  }

  /** Retry was pressed: it disappears, so the focus it held goes to the message box. */
  retryPressed(focused: boolean): void {
    this.#retryHeldFocus = focused;
    if (focused) this.#host.focus();
  }

  /** The visitor typed, a reply finished or the conversation restarted: a failed retry must not move focus to its Retry. */
  forgetRetry(): void {
    this.#retryHeldFocus = false;
  }

  /** A turn failed: if it was a retry that moved focus to the message box, focus follows to the new Retry. */
  followRetry(messageId: string): void {
    if (!this.#retryHeldFocus) return;
    this.#retryHeldFocus = false;
    if (!this.#composerHasFocus()) return;
    // Decided again right before focus moves (see followApproval).
    const stillWanted = () => this.#composerHasFocus() || this.#focusIsLost();
    void this.#rendered().then(async () => {
      if (!stillWanted()) return;
      await this.#part('ic-message-list')?.messageElement(messageId)?.focusRetry(stillWanted);
    });
  }

  /**
   * The run paused for an approval, which locks the message box. Focus there (or lost from the
   * panel) goes to the request, the action now needed; focus elsewhere on the page is never taken.
   */
  followApproval(): void {
    const pending = this.#host.store.pendingApproval;
    if (!pending) return;
    // Now, before the locked text area renders disabled and drops focus to <body>.
    const fromComposer = this.#composerHasFocus();
    if (!fromComposer && !this.#panelHasFocus()) return;
    // Decided again right before focus moves: the reply draws over a few frames first, and the
    // visitor may have gone on to the page meanwhile.
    const stillWanted = () => this.#host.store.pendingApproval?.approvalId === pending.approvalId && (this.#focusIsLost() || (fromComposer && this.#composerHasFocus()));
    void this.#rendered().then(async () => {
      if (!stillWanted()) return;
      // The approval card may still be loading (an on-demand chunk): it can only take focus once defined.
      await loadToolUi();
      await this.#part('ic-message-list')?.messageElement(pending.messageId)?.focusApproval(pending.approvalId, stillWanted);
    });
  }

  #panelControls(): HTMLElement[] {
    const panel = this.#host.renderRoot?.querySelector<HTMLElement>('.panel');
    return panel ? tabbableElements(panel, (element) => element.classList.contains('focus-sentinel')) : [];
  }

  #panelHasFocus(): boolean {
    const active = this.#host.shadowRoot?.activeElement;
    return !!active && !!this.#host.renderRoot?.querySelector<HTMLElement>('.panel')?.contains(active);
  }

  #composerHasFocus(): boolean {
    const composer = this.#part('ic-composer');
    return !!composer && this.#host.shadowRoot?.activeElement === composer;
  }

  /** Focus went nowhere (to `<body>`): the control that held it was disabled or removed. */
  #focusIsLost(): boolean {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active === null || active === document.body || active === document.documentElement;
  }

  /** Resolves once the element and the transcript and composer have rendered the store's latest state. */
  async #rendered(): Promise<void> {
    await this.#host.updateComplete;
    await Promise.all([this.#part('ic-message-list')?.updateComplete, this.#part('ic-composer')?.updateComplete]);
  }
}
