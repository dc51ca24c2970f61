/**
 * `ic-support-chat/vue`: Vue 3 `GlobalComponents` typings, so templates type-check
 * `<ic-support-chat endpoint="/api/support" @ic-run-complete="…" />` (with Volar / vue-tsc).
 * Also tell Vue's compiler the tags are custom elements: `isCustomElement: (tag) => tag.startsWith('ic-')`.
 * Reference it once: `import type {} from 'ic-support-chat/vue';`.
 */
import type { DefineComponent } from 'vue';
import type {
  EventProps,
  IcAttachmentChipAttributes,
  IcAttachmentChipEventMap,
  IcLauncherAttributes,
  IcSupportChatAttributes,
  IcSupportChatEventMap,
  IcSupportChatProperties,
} from './elements.js';

// Vue maps `@ic-send` to an `onIcSend`-style prop: the event name in camel case after `on`.
type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
type VueEvents<M> = { [K in keyof M & string as `on${Capitalize<CamelCase<K>>}`]?: (event: M[K]) => void };

declare module 'vue' {
  interface GlobalComponents {
    'ic-support-chat': DefineComponent<IcSupportChatAttributes & IcSupportChatProperties & VueEvents<IcSupportChatEventMap>>;
    'ic-launcher': DefineComponent<IcLauncherAttributes>;
    'ic-attachment-chip': DefineComponent<IcAttachmentChipAttributes & VueEvents<IcAttachmentChipEventMap>>;
  }
}

export type { EventProps };
