/**
 * Every visible and accessible string of the widget. English is the default table; hosts override
 * single strings with the `strings` property, and more languages are added by `lang`.
 * Placeholders in braces (`{seconds}`) are filled by `formatString`. Longer than 400 lines because it is
 * one table, a documented line per string: the list every translation follows, key by key.
 *
 * Only English is bundled with the element; every other shipped language is one file in ./locales/
 * (its table as the default export), loaded with `import()` the first time an element resolves to it
 * (`loadLocale`), so a page pays only for the languages it shows. Until then the element shows
 * English and re-renders when the table arrives. The loader finds the files through
 * ./locale-registry.ts, generated from that folder by scripts/locales.mjs.
 */
import { localeLoaders, SHIPPED_LANGUAGES, type ShippedLanguage } from './locale-registry.js';

export { SHIPPED_LANGUAGES, type ShippedLanguage };
export interface ChatStrings {
  /** Default header text when no `heading` attribute is given. */
  heading: string;
  /** Launcher mode: the floating button's accessible name. */
  openChat: string;
  /** Launcher mode: the panel's close button. */
  closeChat: string;
  /** Launcher mode: the unread badge, read after the launcher's name: `{count}` replies. */
  unreadReplies: string;
  /** The button shown when the reader has scrolled up and new content arrived below. */
  jumpToLatest: string;
  /** The divider above the first reply that arrived while the chat was closed. */
  newReplies: string;
  /** Accessible name of the group of suggested questions under the greeting. */
  suggestionsLabel: string;
  /** Above a conversation restored after a reload: `{date}` is when it was last active. */
  restoredFrom: string;
  newConversation: string;
  send: string;
  stop: string;
  retry: string;
  /** Under a question that got no reply (with Retry). */
  notDelivered: string;
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
  /** The reply stream went silent for longer than `idle-timeout`. */
  errorTimeout: string;
  /** The visitor stopped a turn that was waiting for the connection: nothing was sent. */
  errorOffline: string;
  /** `{when}`: a relative time ("in 30 seconds"). */
  errorRateLimitedRetryWhen: string;
  /** `{time}`: a clock time ("3:05 PM"), for waits longer than an hour. */
  errorRateLimitedRetryAt: string;
  /** Shown while a turn waits for the browser to come back online. */
  waitingForConnection: string;
  /** Under the composer while a reply whose connection broke is being picked up again. */
  reconnecting: string;
  /** @deprecated Unused: the error message alone says when Retry opens (it said it twice). */
  retryAvailable: string;
  /** Tool labels (`ic-tool-call`): known tools, then `{name}` for any other. */
  toolWebSearch: string;
  toolLookupOrder: string;
  toolOpenTicket: string;
  toolFallback: string;
  toolRunning: string;
  toolDone: string;
  toolFailed: string;
  toolArguments: string;
  toolOutput: string;
  /** The same labels once the tool is done (past tense), then `{name}` for any other. */
  toolWebSearchDone: string;
  toolLookupOrderDone: string;
  toolOpenTicketDone: string;
  toolFallbackDone: string;
  /** Opens the raw arguments and result of a tool call. */
  toolShowDetails: string;
  /** A sent image's thumbnail button: `{name}` is the file name. */
  imageOpen: string;
  /** Closes the full-size image viewer. */
  imageViewerClose: string;
  /** Code blocks: the Copy button's text, its accessible name, the feedback, and the line-wrap toggle. */
  codeCopy: string;
  codeCopyLabel: string;
  codeCopied: string;
  codeWrap: string;
  /** Approvals (`ic-approval`). */
  approvalHeading: string;
  approvalReason: string;
  approve: string;
  deny: string;
  approved: string;
  denied: string;
  approvalCancelled: string;
  /** When the host page decides (it cancelled `ic-approval-request`). */
  approvalWaitingForHost: string;
  /** Explains the locked composer while an approval waits. */
  composerLockedForApproval: string;
  /** Attachments: the paperclip button's accessible name. */
  attachFiles: string;
  /** Accessible name of a draft chip's remove button: `{name}` is the file name. */
  removeAttachment: string;
  /** Accessible name of the list of attachments (draft and sent). */
  attachmentsLabel: string;
  /** Shown on the panel while files are dragged over it. */
  dropFiles: string;
  /** Shown on a chip while the file is checked, shrunk and encoded. */
  attachmentPreparing: string;
  /** Announced politely after files are added: `{names}`. */
  attachmentsAdded: string;
  /** Announced politely after a chip is removed: `{name}`. */
  attachmentRemoved: string;
  /** Refusals, naming the file (`{name}`): wrong type by content (`{types}`: what is accepted). */
  attachmentRefusedType: string;
  /** Too big: `{size}` the file's size, `{limit}` the limit. */
  attachmentRefusedSize: string;
  /** Too many: `{max}` files per message. */
  attachmentRefusedCount: string;
  /** The file could not be read or decoded. */
  attachmentRefusedUnreadable: string;
  /** Accessible name of the button that hides the refusal messages. */
  dismiss: string;
  /** Under the assistant's name: tells visitors they talk to an AI (EU AI Act, Article 50). */
  aiDisclosure: string;
  /** The header menu's button (New conversation, Download transcript, …). */
  moreActions: string;
  /** Header menu: saves the conversation as a Markdown file. */
  downloadTranscript: string;
  /** Header menu item and heading of the list of past conversations. */
  previousConversations: string;
  /** The list when it is empty. */
  noPreviousConversations: string;
  /** The list while it is being read. */
  loadingConversations: string;
  /** Closes the list. */
  backToConversation: string;
  /** A past conversation's Delete button, by `{title}`. */
  deleteConversation: string;
  /** Asked before deleting `{title}`, with Delete and Cancel. */
  confirmDeleteConversation: string;
  deleteButton: string;
  cancelButton: string;
  /** The list (or a conversation in it) could not be read or deleted. */
  previousConversationsFailed: string;
  /** Accessible name of the actions under a finished reply. */
  replyActions: string;
  /** Copies the reply as Markdown. */
  copyReply: string;
  /** Shown (and announced) after Copy. */
  copied: string;
  /** Sends the question again for a new reply. */
  askAgain: string;
  /** Under a stopped reply: asks the assistant to go on. */
  continueReply: string;
  /** The message Continue sends. */
  continuePrompt: string;
  /** Feedback buttons under a finished reply. */
  helpful: string;
  notHelpful: string;
  /** Shown once a rating was saved. */
  feedbackThanks: string;
  /** Shown when a rating could not be sent. */
  feedbackFailed: string;
  /** "Not helpful": the group of reasons. */
  feedbackReasons: string;
  reasonIncorrect: string;
  reasonUnclear: string;
  reasonIncomplete: string;
  reasonOther: string;
  /** "Not helpful": the optional comment box. */
  feedbackComment: string;
  feedbackSubmit: string;
  /** The list of links under a reply to the pages it drew on. */
  sourcesLabel: string;
  /** Downloaded transcript: a sent file, by `{name}`. */
  transcriptAttachment: string;
  /** The header menu's item that asks for a person (`features.handoff`), and the form's heading. */
  talkToPerson: string;
  /** The hand-off form: what happens next. */
  handoffIntro: string;
  /** Its email field (anonymous visitors only) and optional message. */
  handoffEmail: string;
  handoffMessage: string;
  handoffSend: string;
  handoffCancel: string;
  /** The email field's error. */
  handoffEmailInvalid: string;
  /** The request failed (network, refused). */
  handoffFailed: string;
  /** The transcript's line once a person has the conversation: `{reference}` and `{email}`. */
  handoffResult: string;
  /** The same, when the backend named no address. */
  handoffResultNoEmail: string;
}

/** The English strings, the default and the fallback for any key another language lacks. */
export const en: ChatStrings = {
  heading: 'Support',
  openChat: 'Open support chat',
  closeChat: 'Close support chat',
  unreadReplies: 'New replies: {count}',
  jumpToLatest: 'Jump to latest',
  newReplies: 'New',
  suggestionsLabel: 'Suggested questions',
  restoredFrom: 'Conversation from {date}',
  newConversation: 'New conversation',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  notDelivered: 'Not delivered',
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
  errorTimeout: 'The reply stopped arriving. Try again to get the full answer.',
  errorOffline: 'You are offline, so your message was not sent. It is back in the message box.',
  errorRateLimitedRetryWhen: 'Too many messages right now. You can try again {when}.',
  errorRateLimitedRetryAt: 'Too many messages right now. You can try again at {time}.',
  waitingForConnection: 'Waiting for connection…',
  reconnecting: 'Reconnecting…',
  retryAvailable: 'Retry available {when}',
  toolWebSearch: 'Searching the web',
  toolLookupOrder: 'Looking up your order',
  toolOpenTicket: 'Opening a ticket',
  toolFallback: 'Using {name}',
  toolRunning: 'Running',
  toolDone: 'Done',
  toolFailed: 'Failed',
  toolArguments: 'Arguments',
  toolOutput: 'Result',
  toolWebSearchDone: 'Searched the web',
  toolLookupOrderDone: 'Looked up your order',
  toolOpenTicketDone: 'Opened a ticket',
  toolFallbackDone: 'Used {name}',
  toolShowDetails: 'Show details',
  imageOpen: 'Open {name} full size',
  imageViewerClose: 'Close',
  codeCopy: 'Copy',
  codeCopyLabel: 'Copy code',
  codeCopied: 'Copied',
  codeWrap: 'Wrap lines',
  approvalHeading: 'Approval needed',
  approvalReason: 'Why',
  approve: 'Approve',
  deny: 'Deny',
  approved: 'Approved',
  denied: 'Denied',
  approvalCancelled: 'Not decided',
  approvalWaitingForHost: 'Waiting for a decision…',
  composerLockedForApproval: 'Approve or deny the request above to continue.',
  attachFiles: 'Attach files',
  removeAttachment: 'Remove {name}',
  attachmentsLabel: 'Attachments',
  dropFiles: 'Drop files to attach them',
  attachmentPreparing: 'Preparing…',
  attachmentsAdded: 'Attached: {names}',
  attachmentRemoved: 'Removed {name}',
  attachmentRefusedType: '“{name}” was not attached: only {types} files can be sent.',
  attachmentRefusedSize: '“{name}” was not attached: it is {size}, and the limit is {limit} per file.',
  attachmentRefusedCount: '“{name}” was not attached: at most {max} files can be sent in one message.',
  attachmentRefusedUnreadable: '“{name}” was not attached: it could not be read.',
  dismiss: 'Dismiss',
  aiDisclosure: 'AI assistant · answers may be wrong',
  moreActions: 'More actions',
  downloadTranscript: 'Download transcript',
  previousConversations: 'Previous conversations',
  noPreviousConversations: 'No previous conversations yet.',
  loadingConversations: 'Loading…',
  backToConversation: 'Back',
  deleteConversation: 'Delete “{title}”',
  confirmDeleteConversation: 'Delete “{title}”? This cannot be undone.',
  deleteButton: 'Delete',
  cancelButton: 'Cancel',
  previousConversationsFailed: 'Previous conversations are unavailable right now. Please try again.',
  replyActions: 'Reply actions',
  copyReply: 'Copy',
  copied: 'Copied',
  askAgain: 'Ask again',
  continueReply: 'Continue',
  continuePrompt: 'Please continue.',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  feedbackThanks: 'Thanks for your feedback',
  feedbackFailed: 'Your feedback could not be sent.',
  feedbackReasons: 'What was wrong?',
  reasonIncorrect: 'Incorrect',
  reasonUnclear: 'Hard to understand',
  reasonIncomplete: 'Incomplete',
  reasonOther: 'Something else',
  feedbackComment: 'Comment (optional)',
  feedbackSubmit: 'Send feedback',
  sourcesLabel: 'Sources',
  transcriptAttachment: 'Attachment: {name}',
  talkToPerson: 'Talk to a person',
  handoffIntro: 'Someone from our team will read this conversation and reply by email.',
  handoffEmail: 'Your email',
  handoffMessage: 'Anything to add? (optional)',
  handoffSend: 'Send request',
  handoffCancel: 'Cancel',
  handoffEmailInvalid: 'Enter an email address, like name@example.com.',
  handoffFailed: 'Your request could not be sent. Please try again.',
  handoffResult: 'We have your request {reference}; we will email {email}.',
  handoffResultNoEmail: 'We have your request {reference}.',
};

/**
 * A language's table. Partial so that a key added to English never breaks the build: a missing key
 * shows in English, and test/widget/i18n/ fails until every shipped language has it.
 */
export type Translation = { readonly [K in keyof ChatStrings]?: string };

/**
 * Tables by language code (primary subtag): English from the start, each other shipped language once
 * `loadLocale` has loaded it.
 */
export const translations: Readonly<Record<string, ChatStrings>> = { en };
const loading = new Map<ShippedLanguage, Promise<void>>();
const failed = new Set<ShippedLanguage>();

/** The shipped language (other than English) that `lang` resolves to, if any. */
function shippedLanguageOf(lang: string | null | undefined): ShippedLanguage | null {
  const tag = (lang ?? '').toLowerCase();
  const primary = tag.split('-')[0] ?? '';
  const found = SHIPPED_LANGUAGES.find((code) => code === tag || code === primary);
  return found ?? null;
}

/** A shipped language's own table, as written (partial: missing keys show in English). */
export function loadTranslation(lang: ShippedLanguage): Promise<Translation> {
  return localeLoaders[lang]();
}

/**
 * Loads the table for a BCP 47 tag into `translations` (no-op for English and unknown languages).
 * Never rejects: if the module cannot be loaded the language keeps showing English.
 */
export function loadLocale(lang: string | null | undefined): Promise<void> {
  const code = shippedLanguageOf(lang);
  if (!code) return Promise.resolve();
  let pending = loading.get(code);
  if (!pending) {
    pending = loadTranslation(code).then(
      (table) => {
        (translations as Record<string, ChatStrings>)[code] = { ...en, ...table };
      },
      (error: unknown) => {
        failed.add(code); // not retried on every render: the page shows English
        console.warn(`ic-support-chat: could not load the "${code}" strings; showing English`, error);
      },
    );
    loading.set(code, pending);
  }
  return pending;
}

/** True when `stringsFor(lang)` already has its final table (English, unknown, or loaded). */
export function isLocaleLoaded(lang: string | null | undefined): boolean {
  const code = shippedLanguageOf(lang);
  return !code || code in translations || failed.has(code);
}

/**
 * The table for a BCP 47 language tag, falling back to its primary subtag, then English. A shipped
 * language that is not loaded yet gives English: call `loadLocale` first (the element does).
 */
export function stringsFor(lang: string | null | undefined, overrides?: Partial<ChatStrings>): ChatStrings {
  const tag = (lang ?? '').toLowerCase();
  const base = translations[tag] ?? translations[tag.split('-')[0] ?? ''] ?? en;
  return overrides ? { ...base, ...overrides } : base;
}

/** Fills `{name}` placeholders. */
export function formatString(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
