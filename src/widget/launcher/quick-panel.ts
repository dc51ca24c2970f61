/**
 * What the lazy entry shows between a click on the launcher and the full chat's arrival: the panel's
 * frame, its heading and a message box that takes focus at once. Plain DOM, a chunk of ~1.8 KB gzip
 * that the shell fetches as soon as the page has loaded (not before: the page's first load stays
 * ≤ 5 KB); the full chat takes over what the visitor typed, and sends it if they already did.
 */
import { quickPanelLabels } from '../i18n/quick-panel-strings.js';
import { colorVar } from '../styles/theme.js';
import { adoptCss, h } from './shadow-dom.js';
import type { IcSupportChatCore } from './lazy-panel.js';

/** The quick panel's strings (copies of the full tables' `heading`, `placeholder`, `send`). */
export interface QuickPanelLabels {
  heading: string;
  placeholder: string;
  send: string;
}

// `css` so the build minifies the text like Lit's css`` literals (scripts/vite-minify-literals.ts).
const css = String.raw;
const edge = (side: string) => `max(var(--ic-launcher-offset, 20px), calc(env(safe-area-inset-${side}, 0px) + 8px))`;

/**
 * Same box as the full chat's floating panel (panel.styles.ts), so one replaces the other in place;
 * no entry animation: it is there at once (and the full chat's panel then skips its own).
 */
const quickPanelCss = css`
  .quick {
    position: fixed;
    z-index: var(--ic-z-index, 2147483000);
    bottom: ${edge('bottom')};
    right: ${edge('right')};
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    width: var(--ic-panel-width, 400px);
    height: var(--ic-panel-height, 640px);
    max-width: calc(100vw - 32px);
    max-height: calc(100dvh - 40px);
    background: ${colorVar('surface-raised')};
    color: ${colorVar('text')};
    border: 1px solid ${colorVar('border')};
    border-radius: var(--ic-radius, 12px);
    box-shadow: ${colorVar('shadow')};
    font: var(--ic-font-size, 15px) var(--ic-font-family, system-ui, sans-serif);
  }
  .quick.left {
    right: auto;
    left: ${edge('left')};
  }
  @media (max-width: 480px) {
    .quick.quick {
      inset: 0;
      width: 100%;
      height: 100dvh;
      max-width: none;
      max-height: none;
      border: 0;
      border-radius: 0;
    }
  }
  .quick h2 {
    margin: 0;
    padding: 16px 12px;
    font-size: 1.05em;
    border-bottom: 1px solid ${colorVar('border')};
  }
  .quick form {
    display: flex;
    gap: 8px;
    margin: auto 0 0;
    padding: 12px;
    border-top: 1px solid ${colorVar('border')};
  }
  .quick textarea {
    flex: 1;
    min-height: 40px;
    padding: 9px 12px;
    resize: none;
    border: 1px solid ${colorVar('control-border')};
    border-radius: 8px;
    background: ${colorVar('surface')};
    color: inherit;
    font: inherit;
  }
  .quick button {
    padding: 0 14px;
    border: 0;
    border-radius: 8px;
    background: ${colorVar('accent')};
    color: ${colorVar('accent-contrast')};
    font: inherit;
    font-weight: 600;
  }
`;

/** The quick panel in the page, and what the visitor did in it. */
export interface QuickPanel {
  readonly element: HTMLElement;
  readonly input: HTMLTextAreaElement;
  /** The visitor pressed Enter or Send: the full chat sends the text once it is there. */
  sendRequested: boolean;
  /** Resolves when no IME composition is open (moving focus mid-composition would drop it). */
  settled(): Promise<void>;
}

/**
 * Builds the quick panel in language `lang`, for `root` (which gets its styles; the caller puts the
 * panel in it); `onClose` runs when the visitor presses Escape.
 */
export function createQuickPanel(root: ShadowRoot, lang: string | null, heading: string, placeholder: string, direction: string, side: string, onClose: () => void): QuickPanel {
  const tag = (lang ?? '').toLowerCase();
  const labels = quickPanelLabels[tag] ?? quickPanelLabels[tag.split('-')[0] ?? ''] ?? (quickPanelLabels.en as QuickPanelLabels);
  const element = document.createElement('div');
  element.className = `quick ${side}`;
  element.dir = direction;
  element.setAttribute('role', 'dialog');
  element.setAttribute('aria-label', heading || labels.heading);
  adoptCss(root, quickPanelCss);
  const input = h('textarea', { rows: '1', dir: 'auto', enterkeyhint: 'send' }) as HTMLTextAreaElement;
  const form = h('form', {}, input, h('button', {}, labels.send));
  element.append(h('h2', {}, heading || labels.heading), form);
  input.placeholder = placeholder || labels.placeholder;
  input.setAttribute('aria-label', input.placeholder);
  let composing: Promise<void> | null = null;
  const panel: QuickPanel = { element, input, sendRequested: false, settled: () => composing ?? Promise.resolve() };
  const send = (event: Event) => {
    event.preventDefault();
    if (input.value.trim()) panel.sendRequested = true;
  };
  form.addEventListener('submit', send);
  input.addEventListener('compositionstart', () => {
    composing = new Promise<void>((done) => input.addEventListener('compositionend', () => done(), { once: true })).then(() => {
      composing = null;
    });
  });
  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) send(event);
    else if (event.key === 'Escape') onClose();
  });
  return panel;
}

/**
 * Opens the full chat in the quick panel's place, with what the visitor typed as its draft (sent if
 * they pressed Enter) and focus and caret where they were, then removes the quick panel. Closed with
 * Escape meanwhile, the chat stays closed and keeps the text for the next open.
 */
export async function handOver(quick: QuickPanel, core: IcSupportChatCore): Promise<void> {
  await quick.settled();
  const { input, element } = quick;
  const wasFocused = (element.getRootNode() as ShadowRoot).activeElement === input;
  if (input.value) core.store.setDraft(input.value);
  if (!element.hidden) {
    // Its panel replaces this one in place: no entry animation (the shell's `.swap` rule).
    core.classList.add('swap');
    // Focus follows only if the visitor is still in the quick panel (never steal it from the page).
    if (wasFocused) core.open();
    else core.isOpen = true;
    await core.updateComplete;
    const composer = core.shadowRoot!.querySelector('ic-composer');
    await composer?.updateComplete;
    const box = composer?.shadowRoot?.querySelector('textarea');
    // The chat focuses its box as it opens (the text is its draft already); the caret goes back
    // where it was unless the visitor typed on there meanwhile (a language table can take a fetch).
    if (box && wasFocused && box.value === input.value) {
      box.focus();
      box.setSelectionRange(input.selectionStart, input.selectionEnd, input.selectionDirection ?? undefined);
    }
  }
  element.remove();
  if (quick.sendRequested) void core.send();
}
