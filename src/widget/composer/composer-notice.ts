/**
 * Why the composer cannot send right now, shown under it: an approval waits for a decision (the
 * text area is locked), the browser is offline and the turn waits for the connection, or a reply
 * whose connection broke is being picked up again (said once: the text stays while it retries).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { tokens } from '../styles/tokens.styles.js';
import type { ChatStrings } from '../i18n/strings.js';
import type { ChatStore } from '../state/chat-store.js';

/** The id the text area points at with `aria-describedby` while locked. */
export const COMPOSER_NOTICE_ID = 'composer-notice';

/** True while the text area is locked: an approval must be decided first. */
export function composerLocked(store: ChatStore | undefined): boolean {
  return store?.status === 'awaiting_approval';
}

export function composerNotice(store: ChatStore | undefined, s: ChatStrings): TemplateResult | typeof nothing {
  const status = store?.status;
  const text = status === 'awaiting_approval' ? s.composerLockedForApproval : status === 'offline' ? s.waitingForConnection : status === 'reconnecting' ? s.reconnecting : '';
  return html`<p id=${COMPOSER_NOTICE_ID} part="notice" class="notice" role="status" ?hidden=${text === ''}>${text}</p>`;
}

export const composerNoticeStyles = css`
  .notice {
    margin: calc(-1 * ${tokens.space} + 4px) ${tokens.space} ${tokens.space};
    font-size: 0.85em;
    color: ${tokens.textMuted};
  }
`;
