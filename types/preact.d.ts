/**
 * `ic-support-chat/jsx-preact`: Preact's `JSX.IntrinsicElements` for the elements.
 * Reference it once: `import type {} from 'ic-support-chat/jsx-preact';`.
 */
import type {} from 'preact';
import type {
  EventProps,
  IcAttachmentChipAttributes,
  IcAttachmentChipEventMap,
  IcLauncherAttributes,
  IcSupportChatAttributes,
  IcSupportChatEventMap,
  IcSupportChatProperties,
} from './elements.js';

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      // Preact sets a prop as a property when the element has it, and `on` + name listens to the event.
      'ic-support-chat': HTMLAttributes<HTMLElement> & IcSupportChatAttributes & IcSupportChatProperties & EventProps<IcSupportChatEventMap, 'on'>;
      'ic-launcher': HTMLAttributes<HTMLElement> & IcLauncherAttributes;
      'ic-attachment-chip': HTMLAttributes<HTMLElement> & IcAttachmentChipAttributes & EventProps<IcAttachmentChipEventMap, 'on'>;
    }
  }
}
