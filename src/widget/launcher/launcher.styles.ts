/**
 * The launcher button's styles, as a plain string (the launcher is a dependency-free element so it
 * can load before Lit), which no build step minifies: keep it terse. Colours come from the same
 * `--ic-*` properties as the rest of the widget. The label and preview sit beside the button on the
 * page's side (the preview above it), mirrored for a left launcher.
 */
import { colorVar } from '../styles/theme.js';

export const launcherCss = `
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
:host([hidden]) { display: none; }
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
  transition: transform 150ms ease, background-color 150ms ease;
}
button:hover { background: ${colorVar('accent-hover')}; transform: scale(1.05); }
button:focus-visible {
  outline: 3px solid ${colorVar('accent')};
  outline-offset: 3px;
}
svg { inline-size: 28px; block-size: 28px; fill: currentColor; }
:host([dir='rtl']) svg { transform: scaleX(-1); }
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
.badge[hidden] { display: none; }
.label, .preview { position: absolute; right: calc(100% + 12px); color: ${colorVar('text')}; background: ${colorVar('surface-raised')}; box-shadow: ${colorVar('shadow')}; font: 14px/1.4 var(--ic-font-family, system-ui, sans-serif); }
.label { top: 50%; translate: 0 -50%; padding: 6px 10px; border-radius: 8px; white-space: nowrap; pointer-events: none; opacity: 0; transition: opacity 150ms; }
button:hover ~ .label, button:focus-visible ~ .label { opacity: 1; }
.preview { right: 0; bottom: calc(100% + 12px); width: max-content; max-width: min(280px, 100vw - 40px); padding: 10px 14px; border-radius: 12px; cursor: pointer; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden; overflow-wrap: anywhere; }
.preview[hidden] { display: none; }
:host([position='bottom-left']) :is(.label, .preview) { right: auto; left: calc(100% + 12px); }
:host([position='bottom-left']) .preview { left: 0; }
@media (prefers-reduced-motion: reduce) {
  button, .label { transition: none; }
  button:hover { transform: none; }
}
`;
