import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

export const composerStyles = css`
  :host {
    display: block;
  }
  form {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: ${tokens.space};
    margin: 0;
  }
  textarea {
    flex: 1 1 0;
    min-width: 0;
    min-height: 40px;
    max-height: 10em;
    margin: 0;
    padding: 9px 12px;
    resize: none;
    overflow-y: auto;
    border: 1px solid ${tokens.controlBorder};
    border-radius: ${tokens.radiusSmall};
    background: ${tokens.surface};
    color: ${tokens.text};
    font: inherit;
    line-height: 1.4;
  }
  /*
   * The box sizes itself to its text, or when empty to its placeholder, and follows any later change
   * of width or text spacing (sized once from script, a placeholder that wrapped afterwards was cut
   * off). field-sizing does it where supported; elsewhere (Safari, WebKit) a hidden copy of the text
   * shares the box's grid cell, so the cell, and the box with it, is as tall as the text wraps.
   */
  .field {
    display: contents;
  }
  @supports (field-sizing: content) {
    textarea {
      field-sizing: content;
    }
  }
  @supports not (field-sizing: content) {
    .field {
      display: grid;
      flex: 1 1 0;
      min-width: 0;
      /* On the cell, not the copy: text-spacing overrides (\`* { line-height: … !important }\`) reach
         the box and the cell, and the copy inherits from the cell. */
      line-height: 1.4;
    }
    .field > textarea,
    .field::after {
      grid-area: 1 / 1 / 2 / 2;
      min-width: 0;
      box-sizing: border-box;
    }
    .field > textarea {
      align-self: stretch;
      height: auto;
    }
    .field::after {
      content: attr(data-replica) ' ';
      visibility: hidden;
      white-space: pre-wrap;
      overflow-wrap: break-word;
      overflow: hidden;
      min-height: 40px;
      max-height: 10em;
      padding: 9px 12px;
      border: 1px solid transparent;
      font: inherit;
    }
  }
  textarea::placeholder {
    color: ${tokens.textMuted};
    opacity: 1;
  }
  textarea:focus-visible {
    outline: 2px solid transparent;
    outline-offset: 2px;
    border-color: ${tokens.accent};
    box-shadow: ${tokens.focusRingOffset};
  }
  .button {
    flex: none;
    min-height: 40px;
  }
  /* As wide as Send, so the row does not jump when one replaces the other. */
  .stop {
    min-width: 4.5em;
    padding: 0;
  }
  .stop svg {
    width: 24px;
    height: 24px;
    fill: currentColor;
  }
`;
