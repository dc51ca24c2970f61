/**
 * Design tokens as CSS custom properties with their defaults, so every element looks right on its
 * own and a host page themes all of them by setting `--ic-*` on `<ic-support-chat>` or any ancestor.
 * Defaults meet WCAG AA contrast (text ≥ 4.5:1, controls ≥ 3:1) on the default surface.
 */
import { css, unsafeCSS, type CSSResult } from 'lit';
import { colorVar, themeColors, themeCss, type ThemeColorName } from './theme.js';

const color = (name: ThemeColorName): CSSResult => unsafeCSS(colorVar(name));

/** `user-bubble-bg` → `userBubbleBg`. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/**
 * One token per theme colour, named in camel case (`textMuted` is `--ic-text-muted`), built from the
 * palette rather than listed again: the list cost bytes in the bundle.
 */
const colors = Object.fromEntries(Object.keys(themeColors).map((name) => [name.replace(/-./g, (dash) => dash[1]!.toUpperCase()), color(name as ThemeColorName)])) as {
  readonly [Name in ThemeColorName as Camel<Name>]: CSSResult;
};

export const tokens = {
  ...colors,
  /** Text on the accent colour (`--ic-accent-contrast`; `--ic-on-accent` still works). */
  onAccent: colors.accentContrast,
  userBubble: colors.userBubbleBg,
  assistantBubble: colors.assistantBubbleBg,
  radius: css`var(--ic-radius, 12px)`,
  radiusSmall: css`var(--ic-radius-small, 8px)`,
  fontFamily: css`var(--ic-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif)`,
  fontSize: css`var(--ic-font-size, 15px)`,
  /** The base spacing (`--ic-space-m`; `--ic-space` still works). */
  space: css`var(--ic-space-m, var(--ic-space, 12px))`,
  spaceS: css`var(--ic-space-s, 8px)`,
  zIndex: css`var(--ic-z-index, 2147483000)`,
  /**
   * The focus indicator (`--ic-focus-ring`, a box-shadow): a solid accent ring, ≥ 3:1 against the
   * surfaces of both themes (a half-transparent halo was 2.4:1 on white). One shadow, so it can be
   * drawn `inset` too.
   */
  focusRing: css`var(--ic-focus-ring, 0 0 0 2px ${colors.accent})`,
  /**
   * The same indicator for controls, set off by a 2px gap of the surface colour so it also stands
   * apart from an accent-filled button or a grey control border it would otherwise touch.
   */
  focusRingOffset: css`var(--ic-focus-ring, 0 0 0 2px ${colors.surface}, 0 0 0 4px ${colors.accent})`,
} as const;

/**
 * The light/dark defaults behind the colour tokens, for `<ic-support-chat>`'s `theme` attribute
 * (`light` by default, `dark`, or `auto` following `prefers-color-scheme`).
 */
export const themeStyles = unsafeCSS(themeCss());

/** Shared by every element: box sizing, hidden-but-announced text, buttons. */
export const baseStyles = css`
  :host {
    box-sizing: border-box;
    font-family: ${tokens.fontFamily};
    font-size: ${tokens.fontSize};
    color: ${tokens.text};
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 36px;
    padding: 6px 14px;
    border-radius: ${tokens.radiusSmall};
    border: 1px solid transparent;
    font: inherit;
    font-weight: 600;
    line-height: 1.2;
    cursor: pointer;
    transition:
      background-color 120ms ease,
      border-color 120ms ease;
  }
  .button:focus-visible {
    /* Invisible unless forced colours drop box-shadows: then it is the focus indicator. */
    outline: 2px solid transparent;
    outline-offset: 2px;
    box-shadow: ${tokens.focusRingOffset};
  }
  .button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .button.primary {
    background: ${tokens.accent};
    color: ${tokens.onAccent};
  }
  .button.primary:hover:not(:disabled) {
    background: ${tokens.accentHover};
  }
  .button.secondary {
    background: ${tokens.surface};
    color: ${tokens.text};
    border-color: ${tokens.controlBorder};
  }
  .button.secondary:hover:not(:disabled) {
    background: ${tokens.surfaceMuted};
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;
