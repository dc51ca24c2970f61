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

/**
 * Colour properties, keyed by their name without `--ic-`: `[light, dark, alias]`, the alias an older
 * name still honoured (checked after `--ic-NAME`). `=OTHER` in place of the two values: the colour
 * follows `--ic-OTHER` in both themes (the visitor's bubble is the accent unless set on its own), and
 * its literal when no theme is set is OTHER's light one. Tuples rather than `{ light, dark }` objects:
 * the same data in fewer bytes for the bundle and the lazy launcher.
 */
export const themeColors = {
  accent: ['#1d4ed8', '#8ab4ff'],
  'accent-hover': ['#1e40af', '#b3ceff'],
  'accent-contrast': ['#ffffff', '#0b1220', 'on-accent'],
  surface: ['#ffffff', '#16181d'],
  // Floating surfaces: the launcher panel.
  'surface-raised': ['#ffffff', '#1f232a'],
  'surface-muted': ['#f4f5f7', '#2a2f37'],
  text: ['#1f2328', '#e8eaed'],
  'text-muted': ['#57606a', '#a9b1bb'],
  border: ['#d0d7de', '#3a414b'],
  // Form-control borders need 3:1 against the surface.
  'control-border': ['#8c959f', '#7d8590'],
  'user-bubble-bg': ['=accent', '', 'user-bubble'],
  'user-bubble-text': ['=accent-contrast', ''],
  'assistant-bubble-bg': ['#f4f5f7', '#262b33', 'assistant-bubble'],
  'assistant-bubble-text': ['=text', ''],
  'error-text': ['#a40e26', '#ffb3bb'],
  'error-surface': ['#fff0f1', '#3b1a1f'],
  'code-bg': ['#eef0f3', '#0f1115'],
  'code-text': ['inherit', 'inherit'],
  shadow: ['0 12px 32px rgba(15,23,42,.18),0 2px 6px rgba(15,23,42,.12)', '0 12px 32px rgba(0,0,0,.55),0 2px 6px rgba(0,0,0,.4)'],
} as const satisfies Record<string, readonly [string, string, string?]>;

export type ThemeColorName = keyof typeof themeColors;
export type Theme = 'light' | 'dark' | 'auto';

const entry = (name: string): readonly [string, string, string?] => themeColors[name as ThemeColorName];

/** `var(--ic-NAME, var(--ic-ALIAS, INNER))`. */
function chain(name: string, inner: string): string {
  const alias = entry(name)[2];
  return `var(--ic-${name}, ${alias ? `var(--ic-${alias}, ${inner})` : inner})`;
}

/** The colour another one follows (`=OTHER`), if any. */
const followed = (name: string): string | undefined => entry(name)[0].split('=')[1];

/** `var(--ic-NAME, var(--ic-ALIAS, var(--_ic-NAME, LIGHT)))` for one colour. */
export function colorVar(name: ThemeColorName): string {
  const other = followed(name);
  return chain(name, `var(--_ic-${name}, ${other ? chain(other, entry(other)[0]) : entry(name)[0]})`);
}

function declarations(scheme: 0 | 1): string {
  let text = `color-scheme: ${scheme ? 'dark' : 'light'};`;
  for (const name in themeColors) {
    const other = followed(name);
    text += `\n--_ic-${name}: ${other ? chain(other, `var(--_ic-${other})`) : entry(name)[scheme]};`;
  }
  return text;
}

/**
 * The theme rules for a shadow root's `:host` (light by default, `theme="dark"`, and `theme="auto"`
 * following `prefers-color-scheme`).
 */
export function themeCss(): string {
  const dark = declarations(1);
  return `:host { ${declarations(0)} }
:host([theme='dark']) { ${dark} }
@media (prefers-color-scheme: dark) { :host([theme='auto']) { ${dark} } }`;
}
