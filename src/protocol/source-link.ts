import type { SourceInfo } from './types.js';

/** Bounds of a source as passed on to a browser: a title and snippet are a line or two, not a page. */
export const SOURCE_LIMITS = Object.freeze({ max_title_chars: 300, max_snippet_chars: 500, max_url_chars: 2048 });

/**
 * The URL as an absolute `http:`/`https:` link, or `null`: `javascript:`, `data:` and every other
 * scheme are never linked. `base` resolves a relative URL (a page's `document.baseURI`).
 */
export function linkableUrl(url: string, base?: string): string | null {
  if (url.length > SOURCE_LIMITS.max_url_chars) return null;
  try {
    const parsed = base === undefined ? new URL(url) : new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * A source fit to pass on from an upstream: an absolute http(s) URL, its title and snippet cut to
 * `SOURCE_LIMITS` and trimmed; `null` when it has no usable URL or title.
 */
export function boundedSource(source: SourceInfo): SourceInfo | null {
  const url = linkableUrl(source.url);
  const title = cut(source.title.trim(), SOURCE_LIMITS.max_title_chars);
  if (!url || !title) return null;
  const snippet = source.snippet?.trim();
  return snippet ? { title, url, snippet: cut(snippet, SOURCE_LIMITS.max_snippet_chars) } : { title, url };
}
