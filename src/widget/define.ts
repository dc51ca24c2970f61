/**
 * Registers the widget's elements. Separate from the classes so they can be imported (and
 * extended or registered under other names) without side effects. Safe to load twice.
 */
import { IcComposer } from './composer/composer.js';
import { IcMessageList } from './message-list/message-list.js';
import { IcMessage } from './message/message.js';
import { IcSupportChat } from './support-chat/support-chat.js';

const elements: readonly [string, CustomElementConstructor][] = [
  ['ic-message', IcMessage],
  ['ic-message-list', IcMessageList],
  ['ic-composer', IcComposer],
  ['ic-support-chat', IcSupportChat],
];

for (const [tag, element] of elements) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
