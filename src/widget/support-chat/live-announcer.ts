import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';

/**
 * How recent an announcement must be, when the live region moves, to be said again in the new
 * place: long enough for one the screen reader may not have picked up from the old region yet,
 * short enough that a reply heard a while ago is not repeated because the panel opened.
 */
const RESAY_WINDOW_MS = 500;
/** How long a moved live region stays empty before the announcement is said in it: screen readers (VoiceOver above all) miss text put into a region they have not seen yet. */
const RESAY_DELAY_MS = 100;

/**
 * The chat's polite live region: what it says, and where it is. Every announcement replaces the
 * region's node (keyed by a count), so one that reads exactly like the previous one still changes
 * the DOM and is heard again. The host renders `region()` in one of two places (see `place()`).
 */
export class LiveAnnouncer implements ReactiveController {
  /** Whether the region belongs inside the panel (while it is a modal dialog) rather than after it. */
  inPanel = false;
  #text = '';
  #count = 0;
  /** The region has just moved and stays empty a moment, until the timer says the text there. */
  #held = false;
  /** When the text was said (`performance.now()`). */
  #saidAt = -Infinity;
  #resayTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#cancelResay();
  }

  /** Says `text` once. */
  say(text: string): void {
    this.#text = text;
    this.#count++;
    this.#saidAt = performance.now();
    this.host.requestUpdate();
  }

  /** Empties the region (a new conversation). */
  clear(): void {
    this.#cancelResay();
    this.#text = '';
    this.host.requestUpdate();
  }

  /**
   * Puts the region where it is heard: in the panel while it is modal (WebKit/VoiceOver ignores
   * everything outside an aria-modal dialog), else outside it (a closed panel is display: none,
   * which silences what is in it). Call before render (willUpdate). The region is a new element in
   * its new place: screen readers do not announce a region inserted with its text, and may drop one
   * said just before its old region went, so text said within RESAY_WINDOW_MS is said again once the
   * new region is in place; older text is not repeated.
   */
  place(inPanel: boolean): void {
    if (inPanel === this.inPanel) return;
    this.inPanel = inPanel;
    this.#cancelResay();
    if (!this.#text) return;
    if (performance.now() - this.#saidAt > RESAY_WINDOW_MS) {
      this.#text = '';
      return;
    }
    this.#held = true;
    this.#resayTimer = setTimeout(() => {
      this.#resayTimer = undefined;
      this.#held = false;
      this.#count++;
      this.host.requestUpdate();
    }, RESAY_DELAY_MS);
  }

  /** The region itself, to render in the place `inPanel` says. */
  region(direction: string): TemplateResult {
    return html`<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" dir=${direction}>
      ${keyed(this.#count, this.#text && !this.#held ? html`<span>${this.#text}</span>` : nothing)}
    </div>`;
  }

  #cancelResay(): void {
    clearTimeout(this.#resayTimer);
    this.#resayTimer = undefined;
    this.#held = false;
  }
}
