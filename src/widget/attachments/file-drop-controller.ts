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
    for (const type of DRAG_EVENTS) this.host.addEventListener(type, this);
  }

  hostDisconnected(): void {
    for (const type of DRAG_EVENTS) this.host.removeEventListener(type, this);
    this.#setActive(false);
  }

  /** The one listener of the four drag events (an EventListener object: no bound copies to keep). */
  handleEvent(event: DragEvent): void {
    const type = event.type;
    if (type === 'dragleave') {
      if (this.active && --this.#depth <= 0) this.#setActive(false);
      return;
    }
    if (type === 'drop') {
      this.#depth = 0;
      this.#setActive(false);
    }
    if (!carriesFiles(event) || !this.enabled()) return;
    event.preventDefault();
    if (type === 'drop') {
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length) this.onFiles(files);
      return;
    }
    if (type === 'dragenter') this.#depth++;
    else if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.#setActive(true);
  }

  #setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (!active) this.#depth = 0;
    this.host.requestUpdate();
  }
}

const DRAG_EVENTS = ['dragenter', 'dragover', 'dragleave', 'drop'] as const;

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
