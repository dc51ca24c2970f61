import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

export const attachmentChipStyles = css`
  :host {
    display: inline-block;
    max-width: 100%;
    vertical-align: top;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: ${tokens.spaceS};
    max-width: 100%;
    min-height: 44px;
    padding: 4px;
    padding-inline-end: 8px;
    border: 1px solid ${tokens.border};
    border-radius: ${tokens.radiusSmall};
    background: ${tokens.surface};
    color: ${tokens.text};
    font-size: 0.875em;
    line-height: 1.25;
  }
  .body {
    display: inline-flex;
    align-items: center;
    gap: ${tokens.spaceS};
    min-width: 0;
    color: inherit;
    text-decoration: none;
    border-radius: 4px;
  }
  a.body:hover .name {
    text-decoration: underline;
  }
  a.body:focus-visible,
  .remove:focus-visible,
  .open:focus-visible {
    outline: none;
    box-shadow: ${tokens.focusRing};
  }
  .thumb,
  .icon {
    flex: none;
    width: 36px;
    height: 36px;
    border-radius: 4px;
  }
  .thumb {
    object-fit: cover;
    background: ${tokens.surfaceMuted};
  }
  .icon {
    display: grid;
    place-items: center;
    background: ${tokens.surfaceMuted};
    color: ${tokens.textMuted};
  }
  .icon svg {
    width: 22px;
    height: 22px;
  }
  .text {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
    max-width: 16em;
  }
  .meta {
    color: ${tokens.textMuted};
    font-size: 0.9em;
    white-space: nowrap;
  }
  .remove {
    flex: none;
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
    margin: 0;
    padding: 0;
    border: 1px solid transparent;
    border-radius: 999px;
    background: transparent;
    color: ${tokens.textMuted};
    cursor: pointer;
  }
  .remove:hover {
    background: ${tokens.surfaceMuted};
    color: ${tokens.text};
  }
  .remove svg {
    width: 14px;
    height: 14px;
  }
  .image {
    flex-direction: column;
    align-items: flex-start;
    gap: 4px;
    padding-inline-end: 4px;
  }
  .open {
    display: block;
    margin: 0;
    padding: 0;
    border: 0;
    border-radius: 4px;
    background: none;
    cursor: zoom-in;
  }
  .image .thumb {
    display: block;
    width: auto;
    height: auto;
    min-width: 48px;
    max-width: min(100%, 220px);
    max-height: 160px;
  }
  .image .text {
    flex-direction: row;
    gap: 6px;
    max-width: 220px;
  }
  :host([pending]) .thumb,
  :host([pending]) .icon {
    opacity: 0.6;
  }
`;
