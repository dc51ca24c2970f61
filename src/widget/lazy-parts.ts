/**
 * Parts that only some conversations show, kept out of the main file and loaded with `import()`
 * on first need: the tool-call row and approval card (`tool-ui.ts`). Each is also prefetched once
 * the browser is idle after the chat first renders, so it is there before it is needed (offline
 * too, once fetched). A failed load is forgotten, so the next need tries again.
 */
let toolUi: Promise<unknown> | undefined;

/** Defines `<ic-tool-call>` and `<ic-approval>`; resolves once both are defined (rejects if the chunk cannot load). */
export function whenToolUiReady(): Promise<void> {
  toolUi ??= import('./tool-ui.js').catch((error: unknown) => {
    toolUi = undefined;
    throw error;
  });
  return toolUi.then(() => undefined);
}

/** `whenToolUiReady` for callers that go on either way (a row that cannot load stays a plain tag until the next try). */
export function loadToolUi(): Promise<void> {
  return whenToolUiReady().catch(() => undefined);
}

let prefetching = false;

/** Loads every lazy part when the browser is next idle (once per page). */
export function prefetchLazyParts(): void {
  if (prefetching) return;
  prefetching = true;
  const load = () => void loadToolUi();
  // No requestIdleCallback in Safari: a short delay keeps the first render's frames free there too.
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 4000 });
  else setTimeout(load, 1500);
}
