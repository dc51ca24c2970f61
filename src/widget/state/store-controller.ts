import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChangeKey, ChatStore, ChatStoreEventMap } from './chat-store.js';

type Listeners = { [K in keyof ChatStoreEventMap]?: (event: ChatStoreEventMap[K]) => void };

export interface StoreControllerOptions {
  /** Re-render only for these kinds of change (default: any). */
  keys?: readonly ChangeKey[];
  /** Extra store events to listen to while connected (e.g. `delta`). */
  on?: Listeners;
}

/**
 * Bridges a `ChatStore` to a Lit element: requests an update on `change` (filtered by `keys`) and
 * wires any other listeners. The store may arrive late (through context) or be swapped: the
 * controller follows whatever `getStore()` returns at each update.
 */
export class StoreController implements ReactiveController {
  #subscribed: ChatStore | undefined;
  #unsubscribe: (() => void)[] = [];
  #connected = false;

  readonly #host: ReactiveControllerHost;
  readonly #getStore: () => ChatStore | undefined;
  readonly #options: StoreControllerOptions;

  constructor(host: ReactiveControllerHost, getStore: () => ChatStore | undefined, options: StoreControllerOptions = {}) {
    this.#host = host;
    this.#getStore = getStore;
    this.#options = options;
    host.addController(this);
  }

  /** The store it follows now (it may arrive late, through context). */
  get store(): ChatStore | undefined {
    return this.#getStore();
  }

  /** Subscribes to the store's changes. */
  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  /** Follows a store that arrived or was swapped since the last update. */
  hostUpdate(): void {
    this.#sync();
  }

  /** Unsubscribes, so a removed element does not keep the store's listeners. */
  hostDisconnected(): void {
    this.#connected = false;
    this.#detach();
  }

  #sync(): void {
    const store = this.#connected ? this.#getStore() : undefined;
    if (store === this.#subscribed) return;
    this.#detach();
    if (!store) return;
    this.#subscribed = store;
    const keys = this.#options.keys;
    this.#unsubscribe.push(
      store.on('change', (event) => {
        if (!keys || event.detail.keys.some((key) => keys.includes(key))) this.#host.requestUpdate();
      }),
    );
    const on = this.#options.on ?? {};
    for (const type of Object.keys(on) as (keyof ChatStoreEventMap)[]) {
      const listener = on[type] as ((event: Event) => void) | undefined;
      if (listener) this.#unsubscribe.push(store.on(type, listener));
    }
  }

  #detach(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#subscribed = undefined;
  }
}
