import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

export const supportChatStyles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 320px;
  }
  .panel {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: inherit;
    overflow: hidden;
    background: ${tokens.surface};
    color: ${tokens.text};
    border: 1px solid ${tokens.border};
    border-radius: ${tokens.radius};
  }
  .header {
    flex: none;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: ${tokens.space};
    padding: 10px ${tokens.space};
    border-bottom: 1px solid ${tokens.border};
  }
  ::slotted([slot='avatar']) {
    flex: none;
    width: 32px;
    height: 32px;
    border-radius: 50%;
  }
  .titles {
    flex: 1 1 auto;
    min-width: 0;
  }
  .disclosure {
    margin: 0;
    font-size: 0.8em;
    color: ${tokens.textMuted};
  }
  /* Until its chunk loads, the menu (its items are children) takes no room. */
  ic-header-menu:not(:defined) {
    display: none;
  }
  /* On a narrow screen (or with larger text spacing) the heading wraps rather than being cut off. */
  .heading {
    margin: 0;
    font-size: 1.05em;
    font-weight: 650;
    overflow-wrap: anywhere;
  }
  ic-message-list {
    flex: 1 1 auto;
  }
  ic-composer {
    flex: none;
    border-top: 1px solid ${tokens.border};
  }
  .focus-sentinel {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
`;
