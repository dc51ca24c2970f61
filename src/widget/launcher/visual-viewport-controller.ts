import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps a full-screen panel inside the part of the screen the visitor can see. When a phone's
 * on-screen keyboard opens, most browsers shrink only the *visual* viewport (the layout viewport,
 * and so `100dvh` and `position: fixed`, stay put), which would hide the composer under the
 * keyboard. While `active()` says so, this publishes the visual viewport's height and offset as
 * `--_ic-viewport-height` / `--_ic-viewport-top` on the host; CSS falls back to `100dvh` without it.
 */
export class VisualViewportController implements ReactiveController {
  #listening = false;
  #frame = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly active: () => boolean,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const viewport = globalThis.visualViewport;
    if (!viewport) return;
    const want = this.active();
    if (want && !this.#listening) {
      viewport.addEventListener('resize', this.#schedule);
      viewport.addEventListener('scroll', this.#schedule);
      this.#listening = true;
      this.#apply();
    } else if (!want && this.#listening) {
      this.#stop();
    }
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #stop(): void {
    const viewport = globalThis.visualViewport;
    viewport?.removeEventListener('resize', this.#schedule);
    viewport?.removeEventListener('scroll', this.#schedule);
    cancelAnimationFrame(this.#frame);
    this.#listening = false;
    this.host.style.removeProperty('--_ic-viewport-height');
    this.host.style.removeProperty('--_ic-viewport-top');
  }

  readonly #schedule = (): void => {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => this.#apply());
  };

  #apply(): void {
    const viewport = globalThis.visualViewport;
    if (!viewport) return;
    this.host.style.setProperty('--_ic-viewport-height', `${Math.round(viewport.height)}px`);
    this.host.style.setProperty('--_ic-viewport-top', `${Math.round(viewport.offsetTop)}px`);
  }
}
