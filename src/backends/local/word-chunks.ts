/**
 * Splits text into streamable chunks of one word each, every chunk carrying the whitespace that
 * follows its word (and the first chunk any leading whitespace), so joining the chunks gives back
 * the exact text: newlines, indentation and Markdown survive streaming.
 */
export function wordChunks(text: string): string[] {
  return text.match(/^\s+$|\s*\S+\s*/g) ?? [];
}

/** Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
