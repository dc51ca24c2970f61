// Small helpers to reach into the widget's shadow roots and wait on store events (never on timers).
import { waitUntil as openWcWaitUntil } from '@open-wc/testing';
import type { ChatStore, ChatStoreEventMap } from '../../../src/widget/state/chat-store.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';

export function parts(chat: IcSupportChat) {
  const root = chat.shadowRoot!;
  const list = root.querySelector('ic-message-list')!;
  const composer = root.querySelector('ic-composer')!;
  return {
    list,
    composer,
    textarea: composer.shadowRoot!.querySelector('textarea')!,
    sendButton: () => composer.shadowRoot!.querySelector<HTMLButtonElement>('[part="send-button"]'),
    stopButton: () => composer.shadowRoot!.querySelector<HTMLButtonElement>('[part="stop-button"]'),
    newConversationButton: root.querySelector<HTMLButtonElement>('[part="new-conversation-button"]')!,
    log: () => list.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!,
    messages: () => [...list.shadowRoot!.querySelectorAll('ic-message')],
    liveRegion: root.querySelector<HTMLElement>('[role="status"]')!,
  };
}

/** The header menu's "More actions" button, once its chunk has loaded. */
export async function headerMenuButton(chat: IcSupportChat): Promise<HTMLButtonElement> {
  await customElements.whenDefined('ic-header-menu');
  const menu = chat.shadowRoot!.querySelector('ic-header-menu')!;
  await menu.updateComplete;
  return menu.shadowRoot!.querySelector<HTMLButtonElement>('[part="menu-button"]')!;
}

/** Resolves with the next `type` event of the store. */
export function nextStoreEvent<K extends keyof ChatStoreEventMap>(store: ChatStore, type: K): Promise<ChatStoreEventMap[K]> {
  return new Promise((resolve) => {
    const off = store.on(type, (event) => {
      off();
      resolve(event);
    });
  });
}

/** Resolves when the store goes back to idle (a run ended, however it ended). */
export function untilIdle(store: ChatStore): Promise<void> {
  if (!store.busy) return Promise.resolve();
  return new Promise((resolve) => {
    const off = store.on('change', () => {
      if (!store.busy) {
        off();
        resolve();
      }
    });
  });
}

/** Resolves after the next animation frame (the Markdown renderer paints at most once per frame). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/**
 * @open-wc's `waitUntil` with a 5 s default rather than 1 s: what these tests wait on (a lazy chunk,
 * a real HTTP reply) can take over a second on a loaded two-core CI machine, and a pass costs no more.
 */
export function waitUntil(predicate: () => unknown, message?: string, options: { interval?: number; timeout?: number } = {}): Promise<void> {
  return openWcWaitUntil(predicate, message, { timeout: 5000, ...options });
}
