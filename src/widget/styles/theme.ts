/**
 * The light and dark palettes behind the `--ic-*` colour properties, as plain strings (no Lit) so the
 * lazy launcher shell can use them without loading the panel.
 *
 * Every element reads a colour as `var(--ic-NAME, var(--_ic-NAME, LIGHT))`: a host page's `--ic-NAME`
 * (set on the element or any ancestor) always wins; otherwise the theme's default, which
 * `<ic-support-chat>` sets as the private `--_ic-NAME` on itself for `theme="light|dark|auto"`;
 * otherwise (a sub-element used on its own) the light literal.
 * Both palettes meet WCAG AA: text ≥ 4.5:1 on the surfaces and bubbles it sits on (checked by axe in
 * test/widget/a11y/).
 */

export interface ThemeColor {
  light: string;
  dark: string;
  /** Older names still honoured, checked after `--ic-NAME`. */
  aliases?: readonly string[];
  /** The literal used when no theme is set (defaults to `light`, which must then be a literal). */
  fallback?: string;
}

/** Colour properties, keyed by their name without `--ic-`. */
export const themeColors = {
  accent: { light: '#1d4ed8', dark: '#8ab4ff' },
  'accent-hover': { light: '#1e40af', dark: '#b3ceff' },
  'accent-contrast': { light: '#ffffff', dark: '#0b1220', aliases: ['on-accent'] },
  surface: { light: '#ffffff', dark: '#16181d' },
  'surface-raised': { light: '#ffffff', dark: '#1f232a' },
  'surface-muted': { light: '#f4f5f7', dark: '#2a2f37' },
  text: { light: '#1f2328', dark: '#e8eaed' },
  'text-muted': { light: '#57606a', dark: '#a9b1bb' },
  border: { light: '#d0d7de', dark: '#3a414b' },
  'control-border': { light: '#8c959f', dark: '#7d8590' },
  'user-bubble-bg': {
    light: 'var(--ic-accent, var(--_ic-accent))',
    dark: 'var(--ic-accent, var(--_ic-accent))',
    aliases: ['user-bubble'],
    fallback: 'var(--ic-accent, #1d4ed8)',
  },
  'user-bubble-text': {
    light: 'var(--ic-accent-contrast, var(--ic-on-accent, var(--_ic-accent-contrast)))',
    dark: 'var(--ic-accent-contrast, var(--ic-on-accent, var(--_ic-accent-contrast)))',
    fallback: 'var(--ic-accent-contrast, var(--ic-on-accent, #ffffff))',
  },
  'assistant-bubble-bg': { light: '#f4f5f7', dark: '#262b33', aliases: ['assistant-bubble'] },
  'assistant-bubble-text': {
    light: 'var(--ic-text, var(--_ic-text))',
    dark: 'var(--ic-text, var(--_ic-text))',
    fallback: 'var(--ic-text, #1f2328)',
  },
  'error-text': { light: '#a40e26', dark: '#ffb3bb' },
  'error-surface': { light: '#fff0f1', dark: '#3b1a1f' },
  'code-bg': { light: '#eef0f3', dark: '#0f1115' },
  'code-text': { light: 'inherit', dark: 'inherit' },
  shadow: {
    light: '0 12px 32px rgba(15, 23, 42, 0.18), 0 2px 6px rgba(15, 23, 42, 0.12)',
    dark: '0 12px 32px rgba(0, 0, 0, 0.55), 0 2px 6px rgba(0, 0, 0, 0.4)',
  },
} as const satisfies Record<string, ThemeColor>;

export type ThemeColorName = keyof typeof themeColors;
export type Theme = 'light' | 'dark' | 'auto';

/** `var(--ic-NAME, var(--ic-ALIAS, var(--_ic-NAME, LIGHT)))` for one colour. */
export function colorVar(name: ThemeColorName): string {
  const color: ThemeColor = themeColors[name];
  let value = `var(--_ic-${name}, ${color.fallback ?? color.light})`;
  for (const alias of [...(color.aliases ?? [])].reverse()) value = `var(--ic-${alias}, ${value})`;
  return `var(--ic-${name}, ${value})`;
}

function declarations(scheme: 'light' | 'dark'): string {
  const lines = [`color-scheme: ${scheme};`];
  for (const [name, color] of Object.entries(themeColors) as [string, ThemeColor][]) {
    lines.push(`--_ic-${name}: ${color[scheme]};`);
  }
  return lines.join('\n');
}

/**
 * The theme rules for a shadow root's `:host` (light by default, `theme="dark"`, and `theme="auto"`
 * following `prefers-color-scheme`).
 */
export function themeCss(): string {
  const dark = declarations('dark');
  return `:host { ${declarations('light')} }
:host([theme='dark']) { ${dark} }
@media (prefers-color-scheme: dark) { :host([theme='auto']) { ${dark} } }`;
}
