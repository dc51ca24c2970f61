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
   * of width or text spacing: sized once from script, a placeholder that wrapped afterwards was cut
   * off. The script's height (for browsers without field-sizing) is overridden here.
   */
  @supports (field-sizing: content) {
    textarea {
      field-sizing: content;
      height: auto !important;
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
`;
