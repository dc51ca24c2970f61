import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

/** A wrapping row of attachment chips (the composer's draft, a sent message's files). */
export const attachmentListStyles = css`
  .attachment-list {
    display: flex;
    flex-wrap: wrap;
    gap: ${tokens.spaceS};
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .attachment-list > li {
    min-width: 0;
    max-width: 100%;
  }
`;

/** Added to the composer's styles: the attach button, draft chips and refusal messages. */
export const composerAttachmentStyles = css`
  ${attachmentListStyles}
  .attachment-list {
    padding: ${tokens.space} ${tokens.space} 0;
  }
  /* Two chips a row at least: long names are cut (the full name is the chip's title), not the row. */
  .attachment-list > li {
    max-width: calc(50% - ${tokens.spaceS} / 2);
  }
  .attach {
    flex: none;
    display: grid;
    place-items: center;
    width: 40px;
    min-height: 40px;
    padding: 0;
    background: transparent;
    color: ${tokens.textMuted};
    border: 1px solid ${tokens.controlBorder};
  }
  .attach:hover:not(:disabled) {
    background: ${tokens.surfaceMuted};
    color: ${tokens.text};
  }
  .attachment-refusals {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    margin: ${tokens.space} ${tokens.space} 0;
    padding: 8px 12px;
    border-radius: ${tokens.radiusSmall};
    border: 1px solid color-mix(in srgb, ${tokens.errorText} 35%, transparent);
    background: ${tokens.errorSurface};
    color: ${tokens.errorText};
  }
  .attachment-refusals [role='alert'] {
    flex: 1 1 14rem;
  }
  .attachment-refusals p {
    margin: 0;
  }
  .attachment-refusals p + p {
    margin-top: 4px;
  }
  .attachment-refusals .dismiss {
    min-height: 32px;
    padding: 4px 10px;
  }
`;

/** Added to `<ic-support-chat>`'s styles: the drop target shown while files are dragged over the panel. */
export const dropTargetStyles = css`
  .panel {
    position: relative;
  }
  .drop-target {
    position: absolute;
    inset: 6px;
    z-index: 2;
    display: grid;
    place-items: center;
    padding: ${tokens.space};
    border: 2px dashed ${tokens.accent};
    border-radius: ${tokens.radius};
    background: color-mix(in srgb, ${tokens.surface} 88%, transparent);
    color: ${tokens.text};
    font-weight: 600;
    text-align: center;
    pointer-events: none;
  }
`;

/** Added to the message's styles: a sent message's files under its text. */
export const sentAttachmentStyles = css`
  ${attachmentListStyles}
  .plain + .attachment-list {
    margin-top: ${tokens.spaceS};
  }
  .bubble ic-attachment-chip {
    color: ${tokens.text};
  }
`;
