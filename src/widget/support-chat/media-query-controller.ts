import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Tracks a CSS media query (e.g. the narrow-screen breakpoint where the launcher's panel goes
 * full-screen) and re-renders the host when it flips. Reads `window` only while connected, so the
 * element still imports on a server.
 */
export class MediaQueryController implements ReactiveController {
  matches = false;
  #list: MediaQueryList | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly query: string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof window === 'undefined' || !window.matchMedia) return;
    this.#list = window.matchMedia(this.query);
    this.#list.addEventListener('change', this.#onChange);
    this.matches = this.#list.matches;
  }

  hostDisconnected(): void {
    this.#list?.removeEventListener('change', this.#onChange);
    this.#list = undefined;
  }

  readonly #onChange = (event: MediaQueryListEvent): void => {
    this.matches = event.matches;
    this.host.requestUpdate();
  };
}
