/**
 * The part of `<ic-support-chat>` the lazy entry loads when the browser is idle after load (or on
 * hover/focus/press of the launcher): every element (Markdown, composer, store)
 * registered as usual, plus the full chat under an internal tag that the light
 * `<ic-support-chat>` shell hosts in its shadow root.
 */
import '../define.js';
import { IcSupportChat } from '../support-chat/support-chat.js';

/** The internal tag of the full chat inside the lazy shell. */
export const CORE_TAG = 'ic-support-chat-core';

/**
 * The full chat, registered under an internal tag for the lazy shell (a class can be defined only
 * once, so this is its own subclass).
 * @internal
 */
export class IcSupportChatCore extends IcSupportChat {}

if (typeof customElements !== 'undefined' && !customElements.get(CORE_TAG)) customElements.define(CORE_TAG, IcSupportChatCore);

/**
 * Every part name the chat exposes (its own `part`s and those it re-exports), so the shell can
 * re-export them all and `ic-support-chat::part(…)` works the same whichever entry loaded it.
 */
export function exposedParts(core: Element): string[] {
  const names = new Set<string>();
  for (const element of core.shadowRoot?.querySelectorAll('[part], [exportparts]') ?? []) {
    for (const name of (element.getAttribute('part') ?? '').split(/\s+/)) if (name) names.add(name);
    for (const mapping of (element.getAttribute('exportparts') ?? '').split(',')) {
      const outer = mapping.split(':').pop()?.trim();
      if (outer) names.add(outer);
    }
  }
  return [...names];
}

/** The chat's public properties (Lit's), which the shell forwards once the chat is loaded. */
export const forwardedProperties: readonly string[] = [...IcSupportChatCore.elementProperties]
  .filter(([key, options]) => typeof key === 'string' && !options.state)
  .map(([key]) => key as string);
