import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

export const replyToolsStyles = css`
  :host {
    display: block;
    max-width: min(85%, 46rem);
    font-size: 0.9em;
  }
  .label {
    margin: 0 0 2px;
    font-weight: 600;
    color: ${tokens.textMuted};
  }
  ul {
    margin: 0 0 4px;
    padding-inline-start: 1.2em;
  }
  a {
    color: ${tokens.accent};
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px;
  }
  .held {
    height: 32px;
  }
  .act {
    min-height: 32px;
    min-width: 32px;
    padding: 4px 8px;
    font-weight: 500;
    background: transparent;
    color: ${tokens.textMuted};
  }
  .act:hover {
    background: ${tokens.surfaceMuted};
    color: ${tokens.text};
  }
  .act[aria-pressed='true'] {
    color: ${tokens.accent};
    border-color: currentColor;
  }
  .act svg {
    width: 16px;
    height: 16px;
    fill: currentColor;
  }
  .note {
    color: ${tokens.textMuted};
    padding-inline-start: 6px;
  }
`;
