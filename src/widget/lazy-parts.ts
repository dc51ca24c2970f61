/**
 * Parts that only some conversations show, kept out of the main file and loaded with `import()`
 * on first need: the tool-call row and approval card (`tool-ui.ts`), and the attachment chip with
 * the image shrinking and encoding (`attachments/attachment-parts.ts`). Each, and the chip's image
 * viewer, is also prefetched once the browser is idle after the chat first renders, so it is there
 * before it is needed (offline too, once fetched). A failed load is forgotten: the next need retries.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

const toolUi = once(() => import('./tool-ui.js'));

/** Defines `<ic-tool-call>` and `<ic-approval>`; resolves once both are defined (rejects if the chunk cannot load). */
export function whenToolUiReady(): Promise<void> {
  return toolUi().then(() => undefined);
}

/** `whenToolUiReady` for callers that go on either way (a row that cannot load stays a plain tag until the next try). */
export function loadToolUi(): Promise<void> {
  return whenToolUiReady().catch(() => undefined);
}

/** Defines `<ic-attachment-chip>` and brings the file preparation (`prepareFile`); rejects if the chunk cannot load. */
export const attachmentParts = once(() => import('./attachments/attachment-parts.js'));

/** Defines `<ic-attachment-chip>`; resolves once it is (rejects if the chunk cannot load). */
export function whenAttachmentUiReady(): Promise<void> {
  return attachmentParts().then(() => undefined);
}

let prefetching = false;

/** Loads every lazy part when the browser is next idle (once per page). */
export function prefetchLazyParts(): void {
  if (prefetching) return;
  prefetching = true;
  const load = () => {
    void loadToolUi();
    whenAttachmentUiReady().catch(() => undefined);
    // The chip imports the viewer on a thumbnail's first click; fetched now, that click works offline too.
    import('./attachment-chip/image-viewer.js').catch(() => undefined);
  };
  // No requestIdleCallback in Safari: a short delay keeps the first render's frames free there too.
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 4000 });
  else setTimeout(load, 1500);
}
