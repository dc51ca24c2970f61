import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

export const messageStyles = css`
  :host {
    display: block;
  }
  .row {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .row.user {
    align-items: flex-end;
  }
  .row.assistant {
    align-items: flex-start;
  }
  .bubble {
    max-width: min(85%, 46rem);
    min-width: 0;
    padding: 10px 14px;
    border-radius: ${tokens.radius};
    line-height: 1.5;
    overflow-wrap: anywhere;
  }
  .bubble.user {
    background: ${tokens.userBubble};
    color: ${tokens.userBubbleText};
    border-end-end-radius: 4px;
  }
  .bubble.assistant {
    background: ${tokens.assistantBubble};
    color: ${tokens.assistantBubbleText};
    border-end-start-radius: 4px;
  }
  .plain {
    margin: 0;
    white-space: pre-wrap;
  }
  .markdown > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child {
    margin-bottom: 0;
  }
  .thinking {
    color: ${tokens.textMuted};
    font-style: italic;
  }
  .badge {
    display: inline-block;
    margin-top: 6px;
    padding: 1px 8px;
    border-radius: 999px;
    border: 1px solid ${tokens.border};
    background: ${tokens.surface};
    color: ${tokens.textMuted};
    font-size: 0.8em;
    font-weight: 600;
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
    max-width: min(85%, 46rem);
    padding: 8px 12px;
    border-radius: ${tokens.radiusSmall};
    border: 1px solid color-mix(in srgb, ${tokens.errorText} 35%, transparent);
    background: ${tokens.errorSurface};
    color: ${tokens.errorText};
  }
  .error p {
    margin: 0;
    flex: 1 1 12rem;
  }
`;
