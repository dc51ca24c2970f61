/**
 * `ic-support-chat/jsx-preact`: Preact's `JSX.IntrinsicElements` for the elements (Preact 10 and 11).
 * Reference it once: `import type {} from 'ic-support-chat/jsx-preact';`.
 */
import type { JSX } from 'preact';
import type {
  EventProps,
  IcAttachmentChipAttributes,
  IcAttachmentChipEventMap,
  IcLauncherAttributes,
  IcSupportChatAttributes,
  IcSupportChatEventMap,
  IcSupportChatProperties,
} from './elements.js';

// Preact's global attributes of a plain HTMLElement, named the same way in every version: Preact 10
// (before 10.28) declares `HTMLAttributes` only inside `JSX`, Preact 11 only at the top level of
// 'preact', so naming either breaks the other. `<abbr>` is typed as exactly those attributes in both.
type PreactHTMLAttributes = JSX.IntrinsicElements['abbr'];

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      // Preact sets a prop as a property when the element has it, and `on` + name listens to the event.
      'ic-support-chat': PreactHTMLAttributes & IcSupportChatAttributes & IcSupportChatProperties & EventProps<IcSupportChatEventMap, 'on'>;
      'ic-launcher': PreactHTMLAttributes & IcLauncherAttributes;
      'ic-attachment-chip': PreactHTMLAttributes & IcAttachmentChipAttributes & EventProps<IcAttachmentChipEventMap, 'on'>;
    }
  }
}
