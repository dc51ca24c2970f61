/**
 * Which CSS parts each element passes up to its host with `exportparts`, written once: the
 * `exportparts` attributes are these strings, and test/api/css-parts.test.ts checks each element's
 * `@csspart` docs against its own `part`s plus what it passes up. Plain strings: what `exportparts`
 * takes.
 */

/** An `<ic-attachment-chip>`'s parts, passed up by every list of chips. */
export const chipParts = 'attachment, attachment-thumbnail, attachment-icon, attachment-name, attachment-size';

/** A draft chip in the composer also has its Remove button. */
export const draftChipParts = `${chipParts}, remove-button`;

/** A reply's sources and actions (`<ic-reply-tools>`), passed up by its message. */
export const replyToolsParts = 'sources, reply-actions, copy-button, ask-again-button, continue-button, helpful-button, not-helpful-button, feedback-form';

/** What an `<ic-message>` exposes, passed up by the message list. */
export const messageParts = `bubble, badge, error, retry-button, undelivered, typing, tool-call, approval, attachments, ${chipParts}, ${replyToolsParts}`;

/** What `<ic-message-list>` exposes, passed up by the chat as the transcript's parts. */
export const messageListParts = `log, greeting, message, restored-notice, jump-button, new-divider, suggestions, suggestion, ${messageParts}`;

/** The header menu's own parts (its items are the chat's). */
export const headerMenuParts = 'menu-button, menu';

/** The list of previous conversations (`<ic-thread-list>`), passed up by the chat. */
export const threadListParts = 'back-button, thread, thread-delete-button, threads-empty, threads-loading';

/** What `<ic-composer>` exposes, passed up by the chat (its `form` stays inside). */
export const composerParts = `input, send-button, stop-button, notice, attach-button, attachments, ${draftChipParts}, attachment-error`;

// `<ic-launcher>`'s, kept with the launcher's options so the lazy entry's first load does not carry
// this module (which the panel also imports).
export { launcherParts } from './launcher/launcher-options.js';

/** The outer names an `exportparts` value exposes. */
export function exportedNames(exportparts: string): string[] {
  return exportparts.split(',').map((mapping) => mapping.split(':').pop()!.trim());
}
