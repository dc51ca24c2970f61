import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

export const messageListStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    position: relative;
  }
  .scroller {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    scroll-behavior: auto;
  }
  .scroller:focus-visible {
    outline: none;
    box-shadow: inset ${tokens.focusRing};
  }
  .content {
    display: flex;
    flex-direction: column;
    gap: ${tokens.space};
    padding: ${tokens.space};
  }
  .greeting {
    align-self: flex-start;
    max-width: min(85%, 46rem);
    padding: 10px 14px;
    border-radius: ${tokens.radius};
    border-end-start-radius: 4px;
    background: ${tokens.assistantBubble};
    color: ${tokens.assistantBubbleText};
    line-height: 1.5;
    white-space: pre-wrap;
    margin: 0;
  }
  .suggestions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin: 0;
  }
  .suggestion {
    min-height: 36px;
    font-weight: 500;
    text-align: start;
    border-radius: 999px;
  }
  .restored {
    align-self: center;
    margin: 0;
    color: ${tokens.textMuted};
    font-size: 0.85em;
  }
  /* A rule across the log with "New" in its middle. */
  .new {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    color: ${tokens.accent};
    font-size: 0.85em;
    font-weight: 600;
  }
  .new::before,
  .new::after {
    content: '';
    flex: 1;
    border-top: 1px solid currentColor;
  }
  .jump {
    position: absolute;
    inset-block-end: 12px;
    inset-inline-start: 50%;
    translate: -50% 0;
    min-height: 32px;
    padding: 4px 12px;
    border-radius: 999px;
    font-size: 0.9em;
    box-shadow: ${tokens.shadow};
  }
  :host(:dir(rtl)) .jump {
    translate: 50% 0;
  }
  .jump svg {
    width: 16px;
    height: 16px;
    fill: currentColor;
  }
`;
