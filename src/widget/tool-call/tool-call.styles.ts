import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

export const toolCallStyles = css`
  :host {
    display: block;
    margin: 6px 0;
  }
  [part='base'] {
    border: 1px solid ${tokens.border};
    border-radius: ${tokens.radiusSmall};
    background: ${tokens.surface};
    color: ${tokens.text};
    font-size: 0.9em;
  }
  [part='summary'] {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 10px;
    cursor: pointer;
    border-radius: ${tokens.radiusSmall};
  }
  summary:focus-visible {
    outline: none;
    box-shadow: ${tokens.focusRing};
  }
  .label {
    font-weight: 600;
    flex: 1 1 auto;
    min-width: 0;
  }
  .state {
    color: ${tokens.textMuted};
    font-size: 0.9em;
  }
  .error .state {
    color: ${tokens.errorText};
  }
  .icon {
    flex: none;
    width: 14px;
    height: 14px;
    border-radius: 50%;
  }
  .running .icon {
    border: 2px solid color-mix(in srgb, ${tokens.accent} 25%, transparent);
    border-top-color: ${tokens.accent};
    animation: spin 0.8s linear infinite;
  }
  .done .icon {
    background: color-mix(in srgb, ${tokens.accent} 80%, transparent);
    clip-path: polygon(14% 52%, 0 66%, 38% 100%, 100% 24%, 86% 10%, 38% 72%);
    border-radius: 0;
  }
  .error .icon {
    background: ${tokens.errorText};
    clip-path: polygon(20% 0, 50% 30%, 80% 0, 100% 20%, 70% 50%, 100% 80%, 80% 100%, 50% 70%, 20% 100%, 0 80%, 30% 50%, 0 20%);
    border-radius: 0;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    /* No spinning: a steady, half-filled ring still says "working". */
    .running .icon {
      animation: none;
      border-top-color: ${tokens.accent};
      border-right-color: ${tokens.accent};
    }
  }
  .body {
    padding: 0 10px 8px;
  }
  [part='output'] {
    padding-top: 4px;
    border-top: 1px dashed ${tokens.border};
  }
  .raw {
    font-size: 0.9em;
  }
  .raw > summary {
    display: inline-flex;
    padding: 2px 4px;
    color: ${tokens.textMuted};
  }
  .raw-label {
    margin: 6px 0 2px;
    font-size: 0.9em;
    color: ${tokens.textMuted};
  }
  pre {
    margin: 0;
    padding: 6px 8px;
    max-height: 16rem;
    overflow: auto;
    border-radius: 4px;
    background: ${tokens.surfaceMuted};
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.85em;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;
