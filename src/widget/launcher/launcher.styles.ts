/**
 * The launcher button's styles, as a plain string (the launcher is a dependency-free element so it
 * can load before Lit). Colours come from the same `--ic-*` properties as the rest of the widget.
 */
import { colorVar } from '../styles/theme.js';

// Tagged `css` so the build minifies it like Lit's css`` literals (scripts/vite-minify-literals.ts).
const css = String.raw;

export const launcherCss = css`
  :host {
    position: fixed;
    z-index: var(--ic-z-index, 2147483000);
    inset-block-end: max(var(--ic-launcher-offset, 20px), calc(env(safe-area-inset-bottom, 0px) + 8px));
    right: max(var(--ic-launcher-offset, 20px), calc(env(safe-area-inset-right, 0px) + 8px));
    display: block;
    box-sizing: border-box;
  }
  :host([position='bottom-left']) {
    right: auto;
    left: max(var(--ic-launcher-offset, 20px), calc(env(safe-area-inset-left, 0px) + 8px));
  }
  :host([hidden]) {
    display: none;
  }
  button {
    position: relative;
    display: grid;
    place-items: center;
    inline-size: var(--ic-launcher-size, 56px);
    block-size: var(--ic-launcher-size, 56px);
    margin: 0;
    padding: 0;
    border: 0;
    border-radius: var(--ic-launcher-radius, 50%);
    background: ${colorVar('accent')};
    color: ${colorVar('accent-contrast')};
    box-shadow: ${colorVar('shadow')};
    cursor: pointer;
    transition:
      transform 150ms ease,
      background-color 150ms ease;
  }
  button:hover {
    background: ${colorVar('accent-hover')};
    transform: scale(1.05);
  }
  button:focus-visible {
    outline: 3px solid ${colorVar('accent')};
    outline-offset: 3px;
  }
  svg {
    inline-size: 28px;
    block-size: 28px;
    fill: currentColor;
  }
  :host([dir='rtl']) svg {
    transform: scaleX(-1);
  }
  .badge {
    position: absolute;
    inset-block-start: -4px;
    inset-inline-end: -4px;
    min-inline-size: 22px;
    block-size: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: var(--ic-badge-bg, #b3261e);
    color: var(--ic-badge-text, #ffffff);
    font: 700 12px/22px var(--ic-font-family, system-ui, sans-serif);
    text-align: center;
    box-shadow: 0 0 0 2px ${colorVar('surface')};
  }
  .badge[hidden] {
    display: none;
  }
  @media (prefers-reduced-motion: reduce) {
    button {
      transition: none;
    }
    button:hover {
      transform: none;
    }
  }
`;
