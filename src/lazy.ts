/**
 * The lazy entry (`dist/ic-support-chat.lazy.js`): registers a light `<ic-support-chat>` that shows
 * the launcher straight away and loads the full chat (Lit, Markdown, composer, store)
 * with a dynamic `import()` when the browser is idle after load, or when the visitor shows intent.
 * Same tag, attributes, methods and events as the full entry; in inline mode it loads at once.
 * Budget: ≤ 5 KB gzip up to the page's load (bench/launcher.bench.mjs).
 */
import { IcSupportChatLazy, loadPanel } from './widget/launcher/lazy-support-chat.js';

if (typeof customElements !== 'undefined' && !customElements.get('ic-support-chat')) customElements.define('ic-support-chat', IcSupportChatLazy);

export { IcSupportChatLazy, loadPanel };
