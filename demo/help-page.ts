/**
 * `/help/{slug}`: a help article as a page, so the links the local backend cites (`source.added`)
 * open something readable. A small Markdown subset (headings, paragraphs, lists, bold, code) with
 * everything escaped first: the articles are the demo's own files, but a page must not trust them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Article slugs: the file names in demo/help/ (nothing that could leave the folder). */
const SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Inline formatting of one escaped line: `code`, then **bold**. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/** The article's Markdown as HTML: blocks split on blank lines. */
export function articleHtml(markdown: string): string {
  const out: string[] = [];
  for (const block of markdown.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const heading = /^(#{1,4})\s+(.*)$/.exec(lines[0]!);
    if (heading && lines.length === 1) {
      const level = Math.min(heading[1]!.length, 4);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
      out.push(`<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('')}</ul>`);
    } else if (lines.every((l) => /^\s*\d+[.)]\s+/.test(l))) {
      out.push(`<ol>${lines.map((l) => `<li>${inline(l.replace(/^\s*\d+[.)]\s+/, ''))}</li>`).join('')}</ol>`);
    } else {
      out.push(`<p>${lines.map(inline).join('<br>')}</p>`);
    }
  }
  return out.join('\n');
}

/** The page for `slug` from `helpDir`, or `null` when there is no such article. */
export async function helpPage(helpDir: string, slug: string): Promise<string | null> {
  if (!SLUG.test(slug)) return null;
  let markdown: string;
  try {
    markdown = await readFile(join(helpDir, `${slug}.md`), 'utf8');
  } catch {
    return null;
  }
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? slug;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · Acme Cloud Notes help</title>
  <style>body{font-family:system-ui,sans-serif;max-width:720px;margin:2rem auto;padding:0 1rem;line-height:1.6}code{background:#f3f3f3;padding:0 .2em}</style>
</head>
<body>
<main>
${articleHtml(markdown)}
</main>
<p><a href="/help/">All help articles</a> · <a href="/">Back to the demo</a></p>
</body>
</html>
`;
}
