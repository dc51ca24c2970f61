/**
 * `ic-support-chat/jsx-react`: React 19 JSX typings for using the elements directly
 * (`<ic-support-chat endpoint="/api/support" onic-run-complete={…} />`). React 19 sets known
 * properties (`transport`, `strings`) as properties and listens to custom events with `on` + the
 * event's name. Import it once: `import type {} from 'ic-support-chat/jsx-react';`.
 * (For a component with `onIcSend`-style props, use `ic-support-chat/react`.)
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { IcAttachmentChip } from '../widget/attachment-chip/attachment-chip.js';
import type { IcLauncher } from '../widget/launcher/launcher.js';
import type { IcSupportChat } from '../widget/support-chat/support-chat.js';
import type {
  EventProps,
  IcAttachmentChipAttributes,
  IcAttachmentChipEventMap,
  IcLauncherAttributes,
  IcSupportChatAttributes,
  IcSupportChatEventMap,
  IcSupportChatProperties,
} from './elements.js';

type Base<E extends HTMLElement> = Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, 'dir' | 'lang'>;

export type IcSupportChatReactProps = Base<IcSupportChat> & IcSupportChatAttributes & IcSupportChatProperties & EventProps<IcSupportChatEventMap, 'on'>;
export type IcLauncherReactProps = Base<IcLauncher> & IcLauncherAttributes;
export type IcAttachmentChipReactProps = Base<IcAttachmentChip> & IcAttachmentChipAttributes & EventProps<IcAttachmentChipEventMap, 'on'>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'ic-support-chat': IcSupportChatReactProps;
      'ic-launcher': IcLauncherReactProps;
      'ic-attachment-chip': IcAttachmentChipReactProps;
    }
  }
}
