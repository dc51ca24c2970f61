import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Chats holding the lock (a page may have several), and the page's own value to give back. */
let holders = 0;
let saved = '';

/**
 * Keeps the page behind a full-screen panel from scrolling while `active()` says so (the wheel or a
 * swipe past the transcript's end would scroll the page under it), through the root's `overflow`;
 * the page's own inline value is put back when the last holder lets go.
 */
export class ScrollLockController implements ReactiveController {
  #holding = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly active: () => boolean,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    this.#hold(this.active());
  }

  hostDisconnected(): void {
    this.#hold(false);
  }

  #hold(on: boolean): void {
    if (on === this.#holding) return;
    this.#holding = on;
    const style = document.documentElement.style;
    if (on && !holders++) [saved, style.overflow] = [style.overflow, 'hidden'];
    if (!on && !--holders) style.overflow = saved;
  }
}
