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
import type {
  IcApprovalRequestEvent,
  IcCloseEvent,
  IcErrorEvent,
  IcOpenEvent,
  IcRunCompleteEvent,
  IcRunStartEvent,
  IcSendEvent,
  IcThreadChangeEvent,
  IcToolCallEvent,
} from '../widget/events.js';
import { IcSupportChat as IcSupportChatElement } from '../widget/support-chat/support-chat.js';

/** Event prop name → DOM event name, typed with the event's class. */
export const supportChatEvents = {
  onIcSend: 'ic-send' as EventName<IcSendEvent>,
  onIcRunStart: 'ic-run-start' as EventName<IcRunStartEvent>,
  onIcRunComplete: 'ic-run-complete' as EventName<IcRunCompleteEvent>,
  onIcThreadChange: 'ic-thread-change' as EventName<IcThreadChangeEvent>,
  onIcError: 'ic-error' as EventName<IcErrorEvent>,
  onIcToolCall: 'ic-tool-call' as EventName<IcToolCallEvent>,
  onIcApprovalRequest: 'ic-approval-request' as EventName<IcApprovalRequestEvent>,
  onIcOpen: 'ic-open' as EventName<IcOpenEvent>,
  onIcClose: 'ic-close' as EventName<IcCloseEvent>,
};

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
