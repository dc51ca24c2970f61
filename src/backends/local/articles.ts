import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

/** A help article as given to `createLocalBackend({ articles })`. */
export interface HelpArticle {
  title: string;
  slug: string;
  /** Markdown, without the `# Title` line (a leading one is tolerated and skipped). */
  body: string;
}

/** One retrievable unit: the part of an article under one heading. */
export interface ArticleSection {
  article: HelpArticle;
  /** The heading the section sits under; the article's title for the text before the first heading. */
  heading: string;
  /** Heading level (2 or 3), or 1 for the article's lead text. */
  level: number;
  /** The section's Markdown, heading line excluded. */
  body: string;
}

/** Reads every `*.md` file of a folder, sorted by name. The title is the first `# ` line (or the file name). */
export function loadArticlesFromDir(dir: string): HelpArticle[] {
  return readdirSync(dir)
    .filter((name) => extname(name).toLowerCase() === '.md')
    .sort()
    .map((name) => parseArticle(readFileSync(join(dir, name), 'utf8'), basename(name, extname(name))));
}

/** Splits a Markdown document into its `# Title` and the rest. */
export function parseArticle(markdown: string, slug: string): HelpArticle {
  const text = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^#[ \t]+(.+?)[ \t#]*$/m.exec(text);
  // Only a title line before any other content counts as the article's title.
  if (m && text.slice(0, m.index).trim() === '') {
    return { title: m[1]!.trim(), slug, body: text.slice(m.index + m[0].length).replace(/^\n+/, '') };
  }
  return { title: slug.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()), slug, body: text };
}

/**
 * Splits an article at its `##` and `###` headings. Headings inside fenced code blocks are not
 * headings, so fences are tracked line by line.
 */
export function splitSections(article: HelpArticle): ArticleSection[] {
  const sections: ArticleSection[] = [];
  let heading = article.title;
  let level = 1;
  let lines: string[] = [];
  let fence: string | null = null;

  const flush = () => {
    const body = lines.join('\n').trim();
    if (body) sections.push({ article, heading, level, body });
    lines = [];
  };

  const bodyLines = article.body.replace(/\r\n?/g, '\n').split('\n');
  // A tolerated leading "# Title" line is dropped.
  if (bodyLines[0] !== undefined && /^#[ \t]/.test(bodyLines[0])) bodyLines.shift();

  for (const line of bodyLines) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
      lines.push(line);
      continue;
    }
    const h = fence === null ? /^ {0,3}(#{2,3})[ \t]+(.+?)[ \t#]*$/.exec(line) : null;
    if (h) {
      flush();
      heading = h[2]!.trim();
      level = h[1]!.length;
      continue;
    }
    lines.push(line);
  }
  flush();
  return sections;
}
