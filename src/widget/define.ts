/**
 * Registers the widget's elements. Separate from the classes so they can be imported (and
 * extended or registered under other names) without side effects. Safe to load twice. The tool-call
 * row, approval card and attachment chip are registered on first need (lazy-parts.ts), or by the
 * package entry.
 */
import { IcComposer } from './composer/composer.js';
import { IcLauncher } from './launcher/launcher.js';
import { IcMessageList } from './message-list/message-list.js';
import { IcMessage } from './message/message.js';
import { IcSupportChat } from './support-chat/support-chat.js';

const elements: readonly [string, CustomElementConstructor][] = [
  ['ic-launcher', IcLauncher],
  ['ic-message', IcMessage],
  ['ic-message-list', IcMessageList],
  ['ic-composer', IcComposer],
  ['ic-support-chat', IcSupportChat],
];

// No registry on a server (SSR, Node): importing the package there registers nothing and does not throw.
if (typeof customElements !== 'undefined') {
  for (const [tag, element] of elements) {
    if (!customElements.get(tag)) customElements.define(tag, element);
  }
}
