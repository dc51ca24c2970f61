/** Parsing of the launcher-mode attributes. DOM-free and dependency-free (the lazy shell uses it). */

export type SupportChatMode = 'inline' | 'launcher';

/** `-end`/`-start` follow the layout direction; `-right`/`-left` do not. */
export type LauncherPosition = 'bottom-end' | 'bottom-start' | 'bottom-right' | 'bottom-left';

/** The physical side of the screen the launcher and its panel sit on. */
export function launcherSide(position: string | null | undefined, direction: 'ltr' | 'rtl'): 'left' | 'right' {
  switch (position) {
    case 'bottom-left':
      return 'left';
    case 'bottom-right':
      return 'right';
    case 'bottom-start':
      return direction === 'rtl' ? 'right' : 'left';
    default:
      return direction === 'rtl' ? 'left' : 'right';
  }
}

/** The `suggestions` attribute: a JSON array of strings; anything else gives none. */
export function parseSuggestions(value: string | null): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
  } catch {
    return [];
  }
}

/** `<ic-launcher>`'s parts, renamed as the chat passes them up (`inner: outer`); see ../parts.ts. */
export const launcherParts = 'button: launcher-button, badge: launcher-badge, preview: launcher-preview';
