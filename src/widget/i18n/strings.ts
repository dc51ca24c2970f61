/**
 * Every visible and accessible string of the widget. English is the default table; hosts override
 * single strings with the `strings` property, and more languages are added by `lang`.
 * Placeholders in braces (`{seconds}`) are filled by `formatString`.
 */
export interface ChatStrings {
  /** Default header text when no `heading` attribute is given. */
  heading: string;
  newConversation: string;
  send: string;
  stop: string;
  retry: string;
  /** Label of the message box (visually hidden). */
  inputLabel: string;
  /** Placeholder of the message box when no `placeholder` attribute is given. */
  placeholder: string;
  /** Accessible name of the transcript. */
  transcriptLabel: string;
  /** Visually hidden speaker names before each message. */
  youSaid: string;
  assistantSaid: string;
  /** Status badges. */
  stopped: string;
  interrupted: string;
  /** Shown while waiting for the first token. */
  thinking: string;
  /** Announced once (politely) when a reply finishes: `{text}` is the reply. */
  replyAnnouncement: string;
  /** Error messages by cause. */
  errorNetwork: string;
  errorInterrupted: string;
  errorRateLimited: string;
  /** `{seconds}`: when to try again. */
  errorRateLimitedRetryIn: string;
  errorUnavailable: string;
  errorTooLarge: string;
  errorForbidden: string;
  errorGeneric: string;
}

export const en: ChatStrings = {
  heading: 'Support',
  newConversation: 'New conversation',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  inputLabel: 'Message',
  placeholder: 'Ask a question…',
  transcriptLabel: 'Conversation',
  youSaid: 'You said:',
  assistantSaid: 'Support said:',
  stopped: 'Stopped',
  interrupted: 'Interrupted',
  thinking: 'Thinking…',
  replyAnnouncement: 'New reply: {text}',
  errorNetwork: 'Could not reach support. Check your connection and try again.',
  errorInterrupted: 'The reply was cut off. Try again to get the full answer.',
  errorRateLimited: 'Too many messages right now. Please wait a moment and try again.',
  errorRateLimitedRetryIn: 'Too many messages right now. Try again in {seconds} seconds.',
  errorUnavailable: 'Support is unavailable right now. Please try again later.',
  errorTooLarge: 'That message is too large to send.',
  errorForbidden: 'This chat is not allowed on this page.',
  errorGeneric: 'Something went wrong. Please try again.',
};

/** Built-in tables by language code (primary subtag). More languages are added here. */
export const translations: Readonly<Record<string, ChatStrings>> = { en };

/** The table for a BCP 47 language tag, falling back to its primary subtag, then English. */
export function stringsFor(lang: string | null | undefined, overrides?: Partial<ChatStrings>): ChatStrings {
  const tag = (lang ?? '').toLowerCase();
  const base = translations[tag] ?? translations[tag.split('-')[0] ?? ''] ?? en;
  return overrides ? { ...base, ...overrides } : base;
}

/** Fills `{name}` placeholders. */
export function formatString(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
