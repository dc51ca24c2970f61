/**
 * Which CSS parts each element passes up to its host with `exportparts`, written once: the
 * `exportparts` attributes are made from these lists, and test/api/css-parts.test.ts checks
 * each element's `@csspart` docs against its own `part`s plus what it passes up. Plain data, so the
 * lazy launcher can import it without pulling in the chat.
 */

/** An `<ic-attachment-chip>`'s parts, passed up by every list of chips. */
export const chipParts = ['attachment', 'attachment-thumbnail', 'attachment-icon', 'attachment-name', 'attachment-size'] as const;

/** A draft chip in the composer also has its Remove button. */
export const draftChipParts = [...chipParts, 'remove-button'] as const;

/** What an `<ic-message>` exposes, passed up by the message list. */
export const messageParts = ['bubble', 'badge', 'error', 'retry-button', 'tool-call', 'approval', 'attachments', ...chipParts] as const;

/** What `<ic-message-list>` exposes, passed up by the chat as the transcript's parts. */
export const messageListParts = [
  'log',
  'greeting',
  'message',
  'restored-notice',
  'jump-button',
  'suggestions',
  'suggestion',
  ...messageParts,
] as const;

/** What `<ic-composer>` exposes, passed up by the chat (its `form` stays inside). */
export const composerParts = ['input', 'send-button', 'stop-button', 'notice', 'attach-button', 'attachments', ...draftChipParts, 'attachment-error'] as const;

/** `<ic-launcher>`'s parts, renamed as the chat passes them up. */
export const launcherParts = { button: 'launcher-button', badge: 'launcher-badge' } as const;

/** The `exportparts` value for a list (same names) or a map (inner name → outer name). */
export function exportParts(parts: readonly string[] | Readonly<Record<string, string>>): string {
  return Array.isArray(parts) ? parts.join(', ') : Object.entries(parts).map(([inner, outer]) => `${inner}: ${outer}`).join(', ');
}
