/**
 * `ic-support-chat/jsx`: a global `JSX.IntrinsicElements` for JSX runtimes that read the global
 * namespace (Stencil, older Preact/Solid setups, custom `jsxImportSource`s). Preact and Solid's own
 * namespaces: `ic-support-chat/jsx-preact`, `ic-support-chat/jsx-solid`.
 * Reference it once: `import type {} from 'ic-support-chat/jsx';`.
 */
import type {
  EventProps,
  IcAttachmentChipAttributes,
  IcAttachmentChipEventMap,
  IcLauncherAttributes,
  IcSupportChatAttributes,
  IcSupportChatEventMap,
  IcSupportChatProperties,
} from './elements.js';

interface Common {
  id?: string;
  class?: string;
  className?: string;
  style?: string | Record<string, string | number>;
  slot?: string;
  hidden?: boolean;
  children?: unknown;
  ref?: unknown;
  key?: string | number;
}

export type IcSupportChatJsxProps = Common & IcSupportChatAttributes & IcSupportChatProperties & EventProps<IcSupportChatEventMap, 'on'>;
export type IcLauncherJsxProps = Common & IcLauncherAttributes;
export type IcAttachmentChipJsxProps = Common & IcAttachmentChipAttributes & EventProps<IcAttachmentChipEventMap, 'on'>;

declare global {
  namespace JSX {
    interface IntrinsicElements {
      'ic-support-chat': IcSupportChatJsxProps;
      'ic-launcher': IcLauncherJsxProps;
      'ic-attachment-chip': IcAttachmentChipJsxProps;
    }
  }
}
