/** Friendly labels for tool names, from the strings table, so they are translated with the rest. */
import { formatString, type ChatStrings } from '../i18n/strings.js';

type LabelKey = 'toolWebSearch' | 'toolLookupOrder' | 'toolOpenTicket';

/** Tool name → strings-table key. Unknown tools read "Using NAME". */
export const TOOL_LABEL_KEYS: Readonly<Record<string, LabelKey>> = {
  web_search: 'toolWebSearch',
  lookup_order: 'toolLookupOrder',
  open_ticket: 'toolOpenTicket',
};

export function toolLabel(name: string, s: ChatStrings): string {
  const key = Object.hasOwn(TOOL_LABEL_KEYS, name) ? TOOL_LABEL_KEYS[name] : undefined;
  if (key) return s[key];
  // Tool names are identifiers: show them readably ("search_docs" → "search docs").
  const readable = name.replace(/[_-]+/g, ' ').trim() || name;
  return formatString(s.toolFallback, { name: readable });
}
