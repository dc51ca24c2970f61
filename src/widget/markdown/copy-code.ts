// The Copy button and the wrap toggle of a code block: one delegated listener (no inline handlers: the
// builder sets none), copying the block's text with the Clipboard API or a selection fallback.
import type { MarkdownLabels } from './decorate.js';

const feedback = new WeakMap<HTMLButtonElement, number>();

/** Copies the code of the block that holds `button`, and says so on the button for a moment. */
export function copyCodeFrom(button: HTMLButtonElement, labels: MarkdownLabels): void {
  const block = button.closest('.code-block');
  const text = block?.querySelector('pre')?.textContent ?? '';
  const done = (): void => {
    button.textContent = labels.copied;
    clearTimeout(feedback.get(button));
    feedback.set(
      button,
      window.setTimeout(() => (button.textContent = labels.copy), 1500),
    );
  };
  if (navigator.clipboard?.writeText) {
    navigator.clipboard.writeText(text).then(done, () => fallbackCopy(block, done));
  } else fallbackCopy(block, done);
}

function fallbackCopy(block: Element | null | undefined, done: () => void): void {
  const pre = block?.querySelector('pre');
  const selection = window.getSelection();
  if (!pre || !selection) return;
  const range = document.createRange();
  range.selectNodeContents(pre);
  selection.removeAllRanges();
  selection.addRange(range);
  // execCommand is deprecated but is the only copy path outside secure contexts.
  if (document.execCommand('copy')) done();
  selection.removeAllRanges();
}

/** Wraps (or unwraps) the long lines of the block that holds `button`: a toggle button's pressed state. */
export function toggleWrap(button: HTMLButtonElement): void {
  const wrapped = button.getAttribute('aria-pressed') !== 'true';
  button.setAttribute('aria-pressed', String(wrapped));
  button.closest('.code-block')?.classList.toggle('wrapped', wrapped);
}
