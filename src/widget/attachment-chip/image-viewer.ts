/**
 * The full-size view of a sent image: a modal `<dialog>` (the browser traps focus in it and closes it
 * on Escape), closed also by its Close button or a click beside the image; focus goes back to the
 * thumbnail that opened it. Its own module, loaded on the first open: most visitors never open one.
 */
import { css } from 'lit';
import { tokens } from '../styles/tokens.styles.js';

const viewerStyles = css`
  .viewer {
    max-width: min(96vw, 1200px);
    max-height: 96vh;
    padding: 8px;
    border: 0;
    border-radius: ${tokens.radiusSmall};
    background: ${tokens.surface};
    color: ${tokens.text};
  }
  .viewer::backdrop {
    background: rgb(0 0 0 / 0.7);
  }
  .viewer img {
    display: block;
    max-width: 100%;
    max-height: calc(96vh - 5rem);
    margin: 0 auto;
    object-fit: contain;
  }
  .viewer-bar {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-bottom: 8px;
  }
  .viewer-name {
    flex: 1;
    min-width: 0;
    margin: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
  }
  .viewer-close {
    font: inherit;
    padding: 4px 12px;
    border: 1px solid ${tokens.controlBorder};
    border-radius: ${tokens.radiusSmall};
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .viewer-close:focus-visible {
    outline: none;
    box-shadow: ${tokens.focusRing};
  }
`;

export interface ImageViewerOptions {
  src: string;
  name: string;
  closeLabel: string;
  /** Gets focus back when the viewer closes. */
  opener: HTMLElement;
}

/** Opens the viewer in `root` (its styles are adopted there once); resolves nothing, closes itself. */
export function openImageViewer(root: ShadowRoot, { src, name, closeLabel, opener }: ImageViewerOptions): HTMLDialogElement {
  const sheet = viewerStyles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] => {
    const made = root.ownerDocument.createElement(tag);
    made.className = className;
    made.textContent = text;
    return made;
  };
  const dialog = make('dialog', 'viewer');
  dialog.setAttribute('aria-label', name);
  const bar = make('div', 'viewer-bar');
  const title = make('p', 'viewer-name', name);
  title.dir = 'auto';
  const close = make('button', 'viewer-close', closeLabel);
  close.type = 'button';
  close.addEventListener('click', () => dialog.close());
  bar.append(title, close);
  const img = root.ownerDocument.createElement('img');
  img.src = src;
  img.alt = name;
  dialog.append(bar, img);
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener.focus({ preventScroll: true });
  });
  root.append(dialog);
  dialog.showModal();
  close.focus();
  return dialog;
}
