/**
 * The store's events become the element's public DOM events: one listener per class in
 * `storeEventClasses` (src/widget/events.ts), so a new public store event is forwarded by adding it
 * there. A cancelled DOM event cancels the store's (`ic-send`, `ic-approval-request`).
 */
import { storeEventClasses, type ForwardedStoreEventMap, type StoreEventName } from '../events.js';
import type { ChatStore } from '../state/chat-store.js';

/** Work the element does on a store event before re-firing it (focus, announcements, badge). */
export type StoreEventHooks = {
  [K in keyof ForwardedStoreEventMap]?: (event: ForwardedStoreEventMap[K]) => void;
};

export function bridgeStoreEvents(store: ChatStore, target: EventTarget, hooks: StoreEventHooks): void {
  for (const EventClass of storeEventClasses) {
    const name = EventClass.eventName.slice('ic-'.length) as StoreEventName<(typeof EventClass)['eventName']>;
    store.on(name, (event) => {
      (hooks[name] as ((event: CustomEvent<unknown>) => void) | undefined)?.(event);
      // The class and the store event were matched by name just above, so the detail fits.
      if (!target.dispatchEvent(new EventClass(event.detail as never))) event.preventDefault();
    });
  }
}
