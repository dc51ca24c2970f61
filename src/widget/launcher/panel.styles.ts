import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

/**
 * Where the launcher's panel covers the screen (and so is modal): a viewport narrow or short in CSS
 * pixels, which a phone is, and so is a desktop window zoomed to 200 % (1280 px wide becomes 640).
 */
export const FULL_SCREEN_QUERY = '(max-width: 720px), (max-height: 480px)';

/**
 * Launcher mode: the host takes no room, the panel floats above the page in a bottom corner, and on
 * narrow screens (FULL_SCREEN_QUERY, `.full-screen`, set from the same matchMedia that makes the panel modal,
 * so the two never disagree: WebKit can keep a stale @media result in a shared constructed
 * stylesheet that no connected element used while the window was resized) it covers the screen,
 * staying inside the visible viewport while the
 * on-screen keyboard is open (`--_ic-viewport-*` from VisualViewportController, else `100dvh`) and
 * clear of notches and home indicators (`env(safe-area-inset-*)`, with `viewport-fit=cover`).
 */
export const floatingPanelStyles = css`
  :host([mode='launcher']) {
    display: block;
    height: 0;
    min-height: 0;
  }
  /* Positioned, so blockified: its hidden attribute still hides it (no display set here). */
  ic-launcher::part(preview) {
    position: absolute;
    right: 0;
    bottom: calc(100% + 12px);
    width: max-content;
    max-width: min(280px, 100vw - 40px);
    padding: 10px 14px;
    border-radius: 12px;
    background: ${tokens.surfaceRaised};
    color: ${tokens.text};
    box-shadow: ${tokens.shadow};
    font-size: 14px;
    line-height: 1.4;
    overflow-wrap: anywhere;
    cursor: pointer;
  }
  ic-launcher[position='bottom-left']::part(preview) {
    right: auto;
    left: 0;
  }
  .panel.floating {
    position: fixed;
    z-index: ${tokens.zIndex};
    bottom: max(var(--ic-launcher-offset, 20px), calc(env(safe-area-inset-bottom, 0px) + 8px));
    width: var(--ic-panel-width, 400px);
    height: var(--ic-panel-height, 640px);
    max-width: calc(100vw - 32px);
    max-height: calc(100dvh - 40px);
    min-height: 0;
    background: ${tokens.surfaceRaised};
    box-shadow: ${tokens.shadow};
    transform-origin: bottom right;
    animation: ic-panel-in 160ms ease-out;
  }
  .panel.floating.right {
    right: max(var(--ic-launcher-offset, 20px), calc(env(safe-area-inset-right, 0px) + 8px));
  }
  .panel.floating.left {
    left: max(var(--ic-launcher-offset, 20px), calc(env(safe-area-inset-left, 0px) + 8px));
    transform-origin: bottom left;
  }
  @keyframes ic-panel-in {
    from {
      opacity: 0;
      transform: translateY(12px) scale(0.98);
    }
  }
  .button.icon {
    flex: none;
    width: 36px;
    min-height: 36px;
    padding: 0;
    background: transparent;
    color: ${tokens.text};
    border-color: transparent;
  }
  .button.icon:hover {
    background: ${tokens.surfaceMuted};
  }
  .button.icon svg {
    width: 20px;
    height: 20px;
    fill: currentColor;
  }
  .panel.floating.full-screen {
    left: 0;
    right: 0;
    bottom: auto;
    top: var(--_ic-viewport-top, 0px);
    width: 100%;
    max-width: none;
    height: var(--_ic-viewport-height, 100dvh);
    max-height: none;
    border: 0;
    border-radius: 0;
    padding: env(safe-area-inset-top, 0px) env(safe-area-inset-right, 0px) env(safe-area-inset-bottom, 0px) env(safe-area-inset-left, 0px);
    animation-name: ic-panel-up;
  }
  @keyframes ic-panel-up {
    from {
      transform: translateY(24px);
      opacity: 0;
    }
  }
`;
