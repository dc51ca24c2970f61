import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Chats holding the lock (a page may have more than one), and the page's own values to give back. */
const holders = new Set<object>();
let saved: { html: string; body: string } | null = null;

/**
 * Keeps the page behind a full-screen panel from scrolling while `active()` says so: the wheel or a
 * swipe past the transcript's end would otherwise scroll the page under the visitor's fingers. The
 * page's own inline `overflow` values are put back when the last holder lets go.
 */
export class ScrollLockController implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly active: () => boolean,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    if (this.active()) this.#lock();
    else this.#unlock();
  }

  hostDisconnected(): void {
    this.#unlock();
  }

  #lock(): void {
    if (holders.has(this)) return;
    holders.add(this);
    if (saved) return;
    const { documentElement: html, body } = document;
    saved = { html: html.style.overflow, body: body.style.overflow };
    html.style.overflow = 'hidden';
    body.style.overflow = 'hidden';
  }

  #unlock(): void {
    if (!holders.delete(this) || holders.size > 0 || !saved) return;
    document.documentElement.style.overflow = saved.html;
    document.body.style.overflow = saved.body;
    saved = null;
  }
}
