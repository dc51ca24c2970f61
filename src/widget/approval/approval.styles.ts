import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

export const approvalStyles = css`
  :host {
    display: block;
    margin: 8px 0;
  }
  .box {
    padding: 10px 12px;
    border: 1px solid ${tokens.controlBorder};
    border-inline-start: 4px solid ${tokens.accent};
    border-radius: ${tokens.radiusSmall};
    background: ${tokens.surface};
    color: ${tokens.text};
  }
  .box:focus-visible {
    /* Invisible unless forced colours drop box-shadows: then it is the focus indicator. */
    outline: 2px solid transparent;
    outline-offset: 2px;
    box-shadow: ${tokens.focusRingOffset};
  }
  .heading {
    margin: 0 0 2px;
    font-size: 0.85em;
    font-weight: 600;
    color: ${tokens.textMuted};
  }
  .action {
    margin: 0 0 6px;
    font-weight: 600;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 10px;
    margin: 0 0 6px;
    font-size: 0.9em;
  }
  dt {
    color: ${tokens.textMuted};
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
  .reason {
    margin: 0 0 8px;
    font-size: 0.9em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .decision {
    display: inline-block;
    margin: 0;
    padding: 1px 8px;
    border-radius: 999px;
    border: 1px solid ${tokens.border};
    font-size: 0.85em;
    font-weight: 600;
  }
  .approved .decision {
    color: ${tokens.accent};
    border-color: color-mix(in srgb, ${tokens.accent} 50%, transparent);
  }
  .denied .decision,
  .cancelled .decision {
    color: ${tokens.textMuted};
  }
`;
