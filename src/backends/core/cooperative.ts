// Work on a request's megabytes (a turn's attachments) runs in slices on the one event loop every
// other request shares. Between slices, once a slice of time is used up, it gives the loop back so
// a page load or another visitor's turn is served within a few milliseconds, not after the whole
// turn. Only what every server runtime has: `setImmediate` where there is one (Node, Bun: it runs
// after pending I/O, without setTimeout's 1 ms floor), else a MessageChannel message, else a timer.

type Resume = () => void;

const immediate = (globalThis as { setImmediate?: (fn: Resume) => unknown }).setImmediate;

function viaMessageChannel(): ((fn: Resume) => void) | null {
  if (typeof MessageChannel === 'undefined') return null;
  const queue: Resume[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  // Where a listening port keeps the process alive (Node, Deno), it must not.
  (channel.port1 as { unref?: () => void }).unref?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

let schedule: ((fn: Resume) => void) | null = null;

/** Resolves on a later turn of the event loop, after the I/O that was waiting. */
export function yieldToEventLoop(): Promise<void> {
  schedule ??= immediate ? (fn) => void immediate(fn) : (viaMessageChannel() ?? ((fn) => void setTimeout(fn, 0)));
  return new Promise((resolve) => schedule!(resolve));
}

/**
 * Longest a request's own work holds the event loop before it yields: well under the ~50 ms a
 * visitor would notice, and long enough that the yields themselves cost little.
 */
export const SLICE_MS = 8;

/** Hands the event loop back whenever `sliceMs` of work have passed since it last did. */
export class Cooperative {
  #since = performance.now();
  readonly #sliceMs: number;

  constructor(sliceMs = SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  /** Call between two bounded pieces of work; yields only when this slice of time is used up. */
  async pause(): Promise<void> {
    if (performance.now() - this.#since < this.#sliceMs) return;
    await yieldToEventLoop();
    this.#since = performance.now();
  }
}

/** Bytes or characters handled between two `pause()` calls: ~1 ms of regex, decoding or hashing. */
export const SLICE_UNITS = 1024 * 1024;
