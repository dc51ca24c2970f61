/** Friendly labels for tool names, from the strings table, so they are translated with the rest. */
import { formatString, type ChatStrings } from '../i18n/strings.js';

type LabelKey = 'toolWebSearch' | 'toolLookupOrder' | 'toolOpenTicket';

/** Tool name → strings-table key. Unknown tools read "Using NAME" (running) and "Used NAME" (done). */
export const TOOL_LABEL_KEYS: Readonly<Record<string, LabelKey>> = {
  web_search: 'toolWebSearch',
  lookup_order: 'toolLookupOrder',
  open_ticket: 'toolOpenTicket',
};

/** The label while the tool runs (present tense), or once it is `done` (past tense). */
export function toolLabel(name: string, s: ChatStrings, done = false): string {
  const key = Object.hasOwn(TOOL_LABEL_KEYS, name) ? TOOL_LABEL_KEYS[name] : undefined;
  if (key) return s[done ? (`${key}Done` as const) : key];
  // Tool names are identifiers: show them readably ("search_docs" → "search docs").
  const readable = name.replace(/[_-]+/g, ' ').trim() || name;
  return formatString(done ? s.toolFallbackDone : s.toolFallback, { name: readable });
}
