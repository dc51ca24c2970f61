/**
 * Splits text into streamable chunks of one word each, every chunk carrying the whitespace that
 * follows its word (and the first chunk any leading whitespace), so joining the chunks gives back
 * the exact text: newlines, indentation and Markdown survive streaming.
 */
export function wordChunks(text: string): string[] {
  return text.match(/^\s+$|\s*\S+\s*/g) ?? [];
}
