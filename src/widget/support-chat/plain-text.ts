/**
 * A rough plain-text version of a Markdown reply, for the screen-reader announcement of a finished
 * reply: markup characters would be read out ("asterisk asterisk…") otherwise.
 */
export function markdownToPlainText(markdown: string, maxLength = 1000): string {
  const text = markdown
    .replace(/^\s*(```|~~~).*$/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|\*|_|~~|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
