import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Makes an element a drop target for files: `active` is true while files are dragged over it (the
 * host shows its overlay then), and dropped files go to `onFiles`. Drags of text or links are left
 * to the browser. Enter/leave pairs are counted because they fire for every child crossed.
 */
export class FileDropController implements ReactiveController {
  /** True while files are being dragged over the host. */
  active = false;
  #depth = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onFiles: (files: File[]) => void,
    /** Whether drops are taken now (e.g. not while a launcher's panel is closed). */
    private readonly enabled: () => boolean = () => true,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const [type, listener] of this.#listeners) this.host.addEventListener(type, listener);
  }

  hostDisconnected(): void {
    for (const [type, listener] of this.#listeners) this.host.removeEventListener(type, listener);
    this.#setActive(false);
  }

  readonly #listeners: [string, (event: Event) => void][] = [
    ['dragenter', (e) => this.#onEnter(e as DragEvent)],
    ['dragover', (e) => this.#onOver(e as DragEvent)],
    ['dragleave', () => this.#onLeave()],
    ['drop', (e) => this.#onDrop(e as DragEvent)],
  ];

  #onEnter(event: DragEvent): void {
    if (!carriesFiles(event) || !this.enabled()) return;
    event.preventDefault();
    this.#depth++;
    this.#setActive(true);
  }

  #onOver(event: DragEvent): void {
    if (!carriesFiles(event) || !this.enabled()) return;
    // Cancelling dragover is what allows the drop.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.#setActive(true);
  }

  #onLeave(): void {
    if (!this.active) return;
    this.#depth = Math.max(0, this.#depth - 1);
    if (this.#depth === 0) this.#setActive(false);
  }

  #onDrop(event: DragEvent): void {
    this.#depth = 0;
    this.#setActive(false);
    if (!carriesFiles(event) || !this.enabled()) return;
    // Never let the browser navigate to the dropped file.
    event.preventDefault();
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length) this.onFiles(files);
  }

  #setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (!active) this.#depth = 0;
    this.host.requestUpdate();
  }
}

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
