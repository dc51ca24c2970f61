/**
 * The launcher button's styles, as a plain string (the launcher is a dependency-free element so it
 * can load before Lit), tagged `css` so the build minifies it like Lit's css`` literals
 * (scripts/vite-minify-literals.ts). Colours come from the same
 * `--ic-*` properties as the rest of the widget. The button's name shows beside it, on the page's
 * side, on hover and keyboard focus (its ::after). The unread preview is styled by the chat (panel.styles.ts): it only ever shows once the
 * chat has loaded, so its styles stay out of the lazy entry's first load.
 */
import { colorVar } from '../styles/theme.js';

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
  button::after {
    content: attr(aria-label);
    position: absolute;
    right: calc(100% + 12px);
    padding: 6px 10px;
    border-radius: 8px;
    white-space: nowrap;
    pointer-events: none;
    opacity: 0;
    background: inherit;
    box-shadow: inherit;
    font: 14px/1.4 var(--ic-font-family, system-ui, sans-serif);
  }
  button:hover::after,
  button:focus-visible::after {
    opacity: 1;
  }
  :host([position='bottom-left']) button::after {
    right: auto;
    left: calc(100% + 12px);
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
