/**
 * `ic-support-chat/jsx-solid`: Solid's `JSX.IntrinsicElements` for the elements. Solid listens to
 * custom events with `on:ic-send={…}` and sets properties with `prop:transport={…}`.
 * Reference it once: `import type {} from 'ic-support-chat/jsx-solid';`.
 */
import type {} from 'solid-js';
import type {
  EventProps,
  IcAttachmentChipAttributes,
  IcAttachmentChipEventMap,
  IcLauncherAttributes,
  IcSupportChatAttributes,
  IcSupportChatEventMap,
  IcSupportChatProperties,
} from './elements.js';

type PropPrefixed<T> = { [K in keyof T & string as `prop:${K}`]?: T[K] };

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      'ic-support-chat': HTMLAttributes<HTMLElement> & IcSupportChatAttributes & PropPrefixed<IcSupportChatProperties> & EventProps<IcSupportChatEventMap, 'on:'>;
      'ic-launcher': HTMLAttributes<HTMLElement> & IcLauncherAttributes;
      'ic-attachment-chip': HTMLAttributes<HTMLElement> & IcAttachmentChipAttributes & EventProps<IcAttachmentChipEventMap, 'on:'>;
    }
  }
}
