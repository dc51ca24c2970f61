// What the DOM builder (build-dom.ts) is told and holds to: the URL policy, checked with the
// browser's own URL parser, the labels of the parts we add, and right-to-left id isolation.
import type { Highlighter } from './highlight.js';

/** Labels this module puts in the DOM (localisable). */
export interface MarkdownLabels {
  /** Visible text of the Copy button. */
  copy: string;
  /** Accessible name of the Copy button. */
  copyCode: string;
  /** Shown briefly after copying. */
  copied: string;
  /** The line-wrap toggle (a pressed/not-pressed button). */
  wrap: string;
}

export const DEFAULT_LABELS: MarkdownLabels = { copy: 'Copy', copyCode: 'Copy code', copied: 'Copied', wrap: 'Wrap lines' };

export interface DecorateOptions {
  baseUrl?: string | undefined;
  images: boolean;
  labels: MarkdownLabels;
  /** Streaming draft: turn pending-link placeholders into pending spans. */
  draft: boolean;
  /** The host's syntax highlighter; not run on a streaming draft (the open block changes every frame). */
  highlight?: Highlighter | undefined;
}

/** The href the draft repair gives a link whose URL has not fully arrived. */
export const PENDING_HREF = '#ic-pending-link';

/** Resolves `value` like the browser would, against baseUrl; undefined when not allowed. */
export function safeUrl(value: string, baseUrl: string | undefined, schemes: ReadonlySet<string>): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    if (!baseUrl) return undefined; // relative, and nothing to resolve it against: dropped
    try {
      url = new URL(value, baseUrl);
    } catch {
      return undefined;
    }
  }
  return schemes.has(url.protocol) ? url.href : undefined;
}

// Right-to-left letters (Hebrew, Arabic and their presentation forms), and an id-like Latin token:
// letters and digits joined by - _ . / # : ("A-10482", "INV-2024/07").
export const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
export const ID = /[A-Za-z0-9]+(?:[-_./#:][A-Za-z0-9]+)+/g;

/**
 * In right-to-left text, an order id's neutral characters take the paragraph's direction: "A-10482"
 * shows as "10482-A", or as "-A" at a line's end. `text` split around its id-like tokens, each
 * wrapped by `wrap` (a `<bdi>`: its own direction, kept on one line by the styles); `text` itself
 * when it holds no RTL letters. Shared by replies (build-dom.ts) and the visitor's text (a template).
 */
export function isolateIdsIn<T>(text: string, wrap: (id: string) => T): string | (string | T)[] {
  if (!RTL.test(text)) return text;
  const out: (string | T)[] = [];
  let at = 0;
  for (const match of text.matchAll(ID)) {
    out.push(text.slice(at, match.index), wrap(match[0]));
    at = match.index + match[0].length;
  }
  out.push(text.slice(at));
  return out;
}
