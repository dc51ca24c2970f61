/**
 * Framework-neutral typings of the elements' attributes, properties and events, used by the JSX
 * typings (`ic-support-chat/jsx-react`, `/jsx`, `/jsx-preact`, `/jsx-solid`) and Vue's (`/vue`).
 */
import type { IcAttachmentChipEventMap, IcSupportChatEventMap } from '../widget/events.js';
import type { ChatStrings } from '../widget/i18n/strings.js';
import type { Highlighter } from '../widget/markdown/highlight.js';
import type { LauncherPosition, SupportChatMode } from '../widget/launcher/launcher-options.js';
import type { ChatTransport } from '../widget/state/transport.js';
import type { Theme } from '../widget/styles/theme.js';
import type { PersistMode } from '../widget/types.js';

/** `<ic-support-chat>`'s attributes, as written in markup. */
export interface IcSupportChatAttributes {
  endpoint?: string;
  protocol?: 'v1' | 'ai-sdk';
  mode?: SupportChatMode;
  open?: boolean;
  position?: LauncherPosition;
  theme?: Theme;
  /** A JSON array of suggested questions (or the `suggestions` property). */
  suggestions?: string | string[];
  'thread-id'?: string;
  persist?: PersistMode;
  heading?: string;
  placeholder?: string;
  greeting?: string;
  'idle-timeout'?: number | string;
  accept?: string;
  'max-file-size'?: number | string;
  'max-files'?: number | string;
  'max-image-dimension'?: number | string;
  lang?: string;
  dir?: 'ltr' | 'rtl' | 'auto';
}

/** Properties that only exist as properties (objects): set them where the framework allows. */
export interface IcSupportChatProperties {
  transport?: ChatTransport | null;
  strings?: Partial<ChatStrings>;
  /** Colours code blocks: `(code, language) => html` (only text and `<span class>` kept; see docs/theming.md). */
  highlight?: Highlighter | null;
}

/** `<ic-support-chat>`'s and `<ic-attachment-chip>`'s events by name, from their lists in src/widget/events.ts. */
export type { IcAttachmentChipEventMap, IcSupportChatEventMap };

/** `<ic-launcher>`'s attributes. */
export interface IcLauncherAttributes {
  label?: string;
  'unread-label'?: string;
  unread?: number | string;
  expanded?: boolean;
  position?: 'bottom-right' | 'bottom-left';
}

/** `<ic-attachment-chip>`'s attributes. */
export interface IcAttachmentChipAttributes {
  name?: string;
  'media-type'?: string;
  size?: number | string;
  'preview-url'?: string;
  href?: string;
  removable?: boolean;
  pending?: boolean;
  /** A sent image: a larger thumbnail that opens full size. */
  viewable?: boolean;
  'attachment-id'?: string;
}

/** `{ 'ic-send': E }` → `{ [`${prefix}ic-send`]?: (event: E) => void }`. */
export type EventProps<M, Prefix extends string> = {
  [K in keyof M & string as `${Prefix}${K}`]?: (event: M[K]) => void;
};
