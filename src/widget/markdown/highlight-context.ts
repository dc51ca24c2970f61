import { createContext } from '@lit/context';
import type { Highlighter } from './highlight.js';

/** The host's `highlight` hook, provided by `<ic-support-chat>` to its messages. */
export const highlightContext = createContext<Highlighter | null | undefined>(Symbol('ic-support-chat/highlight'));
