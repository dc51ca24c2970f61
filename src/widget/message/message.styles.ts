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
  .plain bdi {
    white-space: nowrap;
  }
  .plain {
    margin: 0;
    white-space: pre-wrap;
  }
  .typing {
    display: flex;
    gap: 5px;
    padding-block: 0.5em;
    color: ${tokens.textMuted};
  }
  .typing i {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: currentColor;
    opacity: 0.7;
    animation: ic-blink 1.2s infinite;
  }
  .typing i + i {
    animation-delay: 0.2s;
  }
  .typing i + i + i {
    animation-delay: 0.4s;
  }
  /*
   * The caret at the end of a reply still arriving (when text is its last part), after a line of
   * text only: after a code block's last newline it would add a line, which would vanish when the
   * reply completes. The negative margin keeps it from wrapping a full line for the same reason.
   * A long reply's last block is in its last group (.chunk, see markdown/chunks.ts). It blinks only
   * while the reply pauses, as a text caret does: a new last block makes a new caret, and starting
   * its blink cost the browser a frame of its own every few deltas (~7 % of a streamed reply's
   * main-thread time in npm run bench).
   */
  .streaming > .markdown:last-child > :is(p, h1, h2, h3, h4, h5, h6):last-child::after,
  .streaming > .markdown:last-child > :is(ul, ol):last-child > li:last-child::after,
  .streaming > .markdown:last-child > .chunk:last-child > :is(p, h1, h2, h3, h4, h5, h6):last-child::after,
  .streaming > .markdown:last-child > .chunk:last-child > :is(ul, ol):last-child > li:last-child::after {
    content: '';
    display: inline-block;
    width: 0.45em;
    height: 1.1em;
    margin-inline: 2px -0.5em;
    vertical-align: text-bottom;
    background: currentColor;
    opacity: 0.7;
    animation: var(--_ic-caret-blink, none);
  }
  /* The renderer marks a reply not redrawn for a second as paused (streaming-markdown.ts). Set on
     the last block only (the caret's), so pausing restyles one block, not the whole reply. Not
     under reduced motion: the tokens' rule that stops animations there does not reach ::after. */
  @media (prefers-reduced-motion: no-preference) {
    .markdown.paused > :last-child,
    .markdown.paused > .chunk:last-child > :last-child {
      --_ic-caret-blink: ic-blink 1s steps(2) infinite;
    }
  }
  @keyframes ic-blink {
    50% {
      opacity: 0.2;
    }
  }
  .undelivered {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    color: ${tokens.errorText};
    font-size: 0.85em;
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
