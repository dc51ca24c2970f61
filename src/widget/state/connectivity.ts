/**
 * Whether the browser is online, and waiting until it is. Injected into the store so it stays
 * DOM-free; the default reads `navigator.onLine` and listens for the window's `online` event.
 * A turn sent while offline waits for the connection instead of failing at once: the visitor sees
 * "Waiting for connection…", can press Stop (the text goes back into the composer), and the turn
 * goes out by itself when the connection returns.
 */
export interface Connectivity {
  isOnline(): boolean;
  /** Resolves when the browser is back online; rejects with the signal's reason on abort. */
  waitForOnline(signal: AbortSignal): Promise<void>;
  /** True just after the page started to be left (`beforeunload`, `pagehide`), for a few seconds. */
  isLeaving?(): boolean;
}

let leaving = false;
let watching = false;

/**
 * Listens for the page being left, once, from the first run on (not at import: the module loads
 * in Node for server rendering, where there is no window).
 */
function watchLeaving(): void {
  if (watching || typeof window === 'undefined' || typeof window.addEventListener !== 'function') return;
  watching = true;
  let reset: ReturnType<typeof setTimeout> | undefined;
  const leave = (): void => {
    leaving = true;
    // A navigation another script cancelled: the page stays, and so does this page's chat.
    clearTimeout(reset);
    reset = setTimeout(() => (leaving = false), 3_000);
  };
  window.addEventListener('beforeunload', leave);
  window.addEventListener('pagehide', leave);
  window.addEventListener('pageshow', () => (leaving = false));
}

export const browserConnectivity: Connectivity = {
  isLeaving: () => leaving,
  isOnline() {
    // Asked at the start of every run: from then on a reload mid-reply is told apart from a broken link.
    watchLeaving();
    // Without a navigator (Node, workers without it) assume online: the request decides.
    return typeof navigator === 'undefined' || navigator.onLine !== false;
  },
  waitForOnline(signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const target = typeof window === 'undefined' ? null : window;
      if (!target) return resolve();
      const done = (): void => {
        target.removeEventListener('online', onOnline);
        signal.removeEventListener('abort', onAbort);
      };
      const onOnline = (): void => {
        done();
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(signal.reason);
      };
      target.addEventListener('online', onOnline);
      signal.addEventListener('abort', onAbort);
    });
  },
};

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
