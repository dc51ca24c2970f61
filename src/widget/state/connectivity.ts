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
}

export const browserConnectivity: Connectivity = {
  isOnline() {
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
