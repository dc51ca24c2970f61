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
    margin: 0;
    font-size: 0.9em;
    color: ${tokens.textMuted};
  }
  /* Decided: one line, the action and how it ended (the box keeps its accent edge). */
  .decided {
    padding: 6px 10px;
  }
  .line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
    margin: 0;
    font-size: 0.9em;
  }
  .line .action {
    flex: 1 1 auto;
    min-width: 0;
    margin: 0;
  }
  .outcome {
    padding: 1px 8px;
    border-radius: 999px;
    border: 1px solid ${tokens.border};
    font-size: 0.9em;
    font-weight: 600;
  }
  .approved .outcome {
    color: ${tokens.accent};
    border-color: color-mix(in srgb, ${tokens.accent} 50%, transparent);
  }
  .denied .outcome,
  .cancelled .outcome {
    color: ${tokens.textMuted};
  }
  .failed .outcome {
    color: ${tokens.errorText};
  }
  .mark {
    flex: none;
    width: 12px;
    height: 12px;
    background: currentColor;
    clip-path: polygon(14% 52%, 0 66%, 38% 100%, 100% 24%, 86% 10%, 38% 72%);
  }
  .approved .mark {
    color: ${tokens.accent};
  }
  .denied .mark,
  .cancelled .mark,
  .failed .mark {
    color: ${tokens.textMuted};
    clip-path: polygon(20% 0, 50% 30%, 80% 0, 100% 20%, 70% 50%, 100% 80%, 80% 100%, 50% 70%, 20% 100%, 0 80%, 30% 50%, 0 20%);
  }
  .line:focus-visible {
    outline: 2px solid transparent;
    box-shadow: ${tokens.focusRing};
    border-radius: 4px;
  }
`;
