import { createContext } from '@lit/context';
import type { ChatStrings } from '../i18n/strings.js';
import type { ChatStore } from './chat-store.js';

/** The chat's store, provided by `<ic-support-chat>` to every sub-element inside it. */
export const storeContext = createContext<ChatStore | undefined>(Symbol('ic-support-chat/store'));

/** The resolved strings table (language + overrides), provided alongside the store. */
export const stringsContext = createContext<ChatStrings | undefined>(Symbol('ic-support-chat/strings'));
