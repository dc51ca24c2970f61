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
`;
