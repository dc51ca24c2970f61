/**
 * `ic-support-chat/react`: `<IcSupportChat>` for React, made with `@lit/react`. Attributes and
 * properties are props (`endpoint`, `mode`, `theme`, `transport`, `strings`, …) and every event is an
 * `on…` prop with its typed event (`onIcSend`, `onIcRunComplete`, …). Registers the elements on
 * import in the browser; importing it on a server (SSR) registers nothing and does not throw.
 *
 * ```tsx
 * import { IcSupportChat } from 'ic-support-chat/react';
 * <IcSupportChat endpoint="/api/support" onIcRunComplete={(e) => console.log(e.detail.message)} />
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import '../widget/define.js';
import { supportChatEventClasses, type IcSupportChatEventMap } from '../widget/events.js';
import { IcSupportChat as IcSupportChatElement } from '../widget/support-chat/support-chat.js';

/** `run-complete` → `RunComplete`. */
type PascalCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${PascalCase<Tail>}` : Capitalize<S>;

/** `ic-run-complete` → `onIcRunComplete`. */
export type EventPropName<Name extends string> = `on${PascalCase<Name>}`;

/** Event prop name → DOM event name, typed with the event's class (`onIcSend: 'ic-send'`, …). */
export type SupportChatEventProps = {
  [K in keyof IcSupportChatEventMap & string as EventPropName<K>]: EventName<IcSupportChatEventMap[K]>;
};

function eventPropName(name: string): string {
  return `on${name.replace(/(?:^|-)(\w)/g, (_, letter: string) => letter.toUpperCase())}`;
}

/** Event prop name → DOM event name, made from the element's event list (src/widget/events.ts). */
export const supportChatEvents = Object.fromEntries(
  supportChatEventClasses.map((EventClass) => [eventPropName(EventClass.eventName), EventClass.eventName]),
) as SupportChatEventProps;

/** `<ic-support-chat>` as a React component; its `ref` is the element (`send()`, `open()`, …). */
export const IcSupportChat = createComponent({
  tagName: 'ic-support-chat',
  elementClass: IcSupportChatElement,
  react: React,
  events: supportChatEvents,
  displayName: 'IcSupportChat',
});

/** The props `<IcSupportChat>` takes. */
export type IcSupportChatProps = React.ComponentProps<typeof IcSupportChat>;

export type { IcSupportChatElement };
