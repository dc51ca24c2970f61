/**
 * Fires once when a stream has been silent for `ms`: every byte (a `: ping` comment included) and
 * every event pushes the deadline back. A proxy that silently stalls a connection otherwise leaves
 * the visitor watching "Thinking…" forever.
 */
export class IdleTimer {
  #handle: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  /** When something last arrived. reset() only records it (it runs for every delta, so it must be
   * cheap): the one pending timeout checks it when it fires and waits the rest if need be. */
  #last = 0;

  readonly #ms: number;
  readonly #onIdle: () => void;

  constructor(ms: number, onIdle: () => void) {
    this.#ms = ms;
    this.#onIdle = onIdle;
    this.reset();
  }

  /** Something arrived: start counting again. */
  reset(): void {
    if (this.#stopped || !(this.#ms > 0) || !Number.isFinite(this.#ms)) return;
    this.#last = performance.now();
    if (this.#handle === undefined) this.#arm(this.#ms);
  }

  #arm(wait: number): void {
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      if (this.#stopped) return;
      const quiet = performance.now() - this.#last;
      if (quiet < this.#ms) return this.#arm(this.#ms - quiet);
      this.#stopped = true;
      this.#onIdle();
    }, wait);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}

/** The error an idle stream is aborted with (also the abort reason, so it is what the run throws). */
export function idleTimeoutError(ms: number): { code: 'timeout'; message: string } {
  return { code: 'timeout', message: `No data arrived for ${Math.round(ms / 1000)} seconds.` };
}
