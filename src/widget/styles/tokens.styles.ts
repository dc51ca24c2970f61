/**
 * Design tokens as CSS custom properties with their defaults, so every element looks right on its
 * own and a host page themes all of them by setting `--ic-*` on `<ic-support-chat>` or any ancestor.
 * Defaults meet WCAG AA contrast (text ≥ 4.5:1, controls ≥ 3:1) on the default surface.
 */
import { css } from 'lit';

export const tokens = {
  accent: css`var(--ic-accent, #1d4ed8)`,
  accentHover: css`var(--ic-accent-hover, #1e40af)`,
  onAccent: css`var(--ic-on-accent, #ffffff)`,
  surface: css`var(--ic-surface, #ffffff)`,
  surfaceMuted: css`var(--ic-surface-muted, #f4f5f7)`,
  text: css`var(--ic-text, #1f2328)`,
  textMuted: css`var(--ic-text-muted, #57606a)`,
  border: css`var(--ic-border, #d0d7de)`,
  /** Form-control borders need 3:1 against the surface. */
  controlBorder: css`var(--ic-control-border, #8c959f)`,
  radius: css`var(--ic-radius, 12px)`,
  radiusSmall: css`var(--ic-radius-small, 8px)`,
  fontFamily: css`var(--ic-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif)`,
  fontSize: css`var(--ic-font-size, 15px)`,
  space: css`var(--ic-space, 12px)`,
  userBubble: css`var(--ic-user-bubble, var(--ic-accent, #1d4ed8))`,
  userBubbleText: css`var(--ic-user-bubble-text, var(--ic-on-accent, #ffffff))`,
  assistantBubble: css`var(--ic-assistant-bubble, #f4f5f7)`,
  assistantBubbleText: css`var(--ic-assistant-bubble-text, var(--ic-text, #1f2328))`,
  errorText: css`var(--ic-error-text, #a40e26)`,
  errorSurface: css`var(--ic-error-surface, #fff0f1)`,
  focusRing: css`var(--ic-focus-ring, 0 0 0 3px color-mix(in srgb, var(--ic-accent, #1d4ed8) 45%, transparent))`,
} as const;

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
    transition: background-color 120ms ease, border-color 120ms ease;
  }
  .button:focus-visible {
    outline: none;
    box-shadow: ${tokens.focusRing};
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
