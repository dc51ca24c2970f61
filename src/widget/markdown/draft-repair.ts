// Makes the unsettled tail of a streaming reply look finished: closes half-written emphasis and
// inline code, turns a link whose URL is still arriving into a pending placeholder, and hides
// markers that would flash as raw syntax (a lone list marker, a half fence, a half HTML tag).
// Only ever applied to what is on screen while streaming; the final render never goes through it.
import { PENDING_HREF } from './decorate.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLOCK_START = /^ {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}(?:[ \t]|$)|>|\|)/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const LONE_MARKER = /^ {0,3}(?:[-*+]|-{2}|\d{1,9}[.)])[ \t]*$/;
const PARTIAL_FENCE = /^ {0,3}(?:`{1,2}|~{1,2})$/;
const DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-*:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*\|?[ \t]*$/;
const PENDING = `](${PENDING_HREF})`;

/** Returns `src` (the last block of a streaming reply) repaired for display. */
export function repairDraft(src: string): string {
  const lines = src.split('\n');
  // An open fence: its content is code and renders as such; hide a half-typed closing fence only.
  let fence: string | null = null;
  let closedOnLast = false;
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]!);
    if (!m) continue;
    if (fence === null) fence = m[1]!;
    else if (m[1]![0] === fence[0] && m[1]!.length >= fence.length && lines[i]!.trim() === m[1]) {
      fence = null;
      closedOnLast = i === lines.length - 1;
    }
  }
  if (closedOnLast) return src;
  if (fence !== null) {
    const last = lines.at(-1)!.trim();
    if (last && last.length < fence.length && [...last].every((c) => c === fence![0])) lines.pop();
    return lines.join('\n');
  }
  let last = lines.at(-1)!;
  if (PARTIAL_FENCE.test(last) || LONE_MARKER.test(last)) {
    lines.pop();
    last = lines.at(-1) ?? '';
  }
  if (lines.length >= 2 && DELIMITER_ROW.test(last) && last.includes('-') && lines.at(-2)!.includes('|')) {
    lines[lines.length - 1] = delimiterFor(lines.at(-2)!); // a table whose delimiter row is being typed
    return lines.join('\n');
  }
  // A first line starting with `|` is most likely a table header waiting for its delimiter row.
  if (/^ {0,3}\|/.test(last) && (lines.length < 2 || !lines.at(-2)!.includes('|'))) {
    lines.pop();
    return lines.join('\n');
  }
  // The current inline run: back to the blank line or the line that started this block.
  let start = lines.length - 1;
  while (start > 0 && lines[start - 1]!.trim() !== '' && !BLOCK_START.test(lines[start]!) && !HEADING.test(lines[start - 1]!)) start--;
  const head = lines.slice(0, start).join('\n') + (start > 0 ? '\n' : '');
  let segment = lines.slice(start).join('\n');
  let prefix = '';
  const cell = /^ {0,3}\|/.test(segment) ? segment.lastIndexOf('|') + 1 : 0;
  if (cell > 0) {
    prefix = segment.slice(0, cell);
    segment = segment.slice(cell);
  }
  return head + prefix + repairInline(segment);
}

function delimiterFor(header: string): string {
  const cells = header
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/).length;
  return '|' + ' --- |'.repeat(Math.max(1, cells));
}

interface Opener {
  text: string;
  at: number;
}

const isSpace = (c: string | undefined): boolean => c === undefined || /\s/.test(c);
const isWord = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Closes inline constructs left open at the end of `s` (one paragraph's text). */
export function repairInline(text: string): string {
  // A delimiter run at the very end is an opener or closer still being typed: hide it for now.
  const s = text.trimEnd().replace(/(^|[^\\*_~])[*_~]+$/, '$1');
  const stack: Opener[] = [];
  let code: Opener | null = null;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && !code) {
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (s[i + n] === '`') n++;
      const run = s.slice(i, i + n);
      if (!code) code = { text: run, at: i };
      else if (code.text === run) code = null;
      i += n;
      continue;
    }
    if (code) {
      i++;
      continue;
    }
    if (c === ']' && s[i + 1] === '(') {
      // Skip a link destination: emphasis characters in URLs are not delimiters.
      const close = s.indexOf(')', i + 2);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (c === '*' || c === '_' || c === '~') {
      let n = 1;
      while (s[i + n] === c) n++;
      const before = s[i - 1];
      const after = s[i + n];
      const intraword = c === '_' && isWord(before) && isWord(after);
      const canOpen = !isSpace(after) && !intraword;
      const canClose = !isSpace(before) && !intraword;
      let rest = c === '~' ? Math.min(n, 2) : n;
      let at = i;
      while (rest > 0 && !(c === '~' && n > 2)) {
        const len = c === '~' ? rest : rest >= 2 ? 2 : 1;
        const unit = c.repeat(len);
        const top = stack.at(-1);
        if (canClose && top && top.text === unit) stack.pop();
        else if (canOpen) stack.push({ text: unit, at });
        at += len;
        rest -= len;
      }
      i += n;
      continue;
    }
    i++;
  }
  const out = s.trimEnd();
  if (code) {
    // Unclosed inline code: close it, or hide the opener if nothing follows it yet.
    if (out.length <= code.at + code.text.length) return repairLinks(out.slice(0, code.at).trimEnd());
    return repairLinks(
      closeEmphasis(
        out.slice(0, code.at),
        stack.filter((o) => o.at < code!.at),
      ) +
        out.slice(code.at) +
        code.text,
    );
  }
  return repairLinks(closeEmphasis(out, stack));
}

function closeEmphasis(text: string, stack: Opener[]): string {
  let out = text;
  // Openers with nothing after them are hidden rather than closed (`foo **` shows `foo`).
  while (stack.length && out.trimEnd().length <= stack.at(-1)!.at + stack.at(-1)!.text.length) {
    out = out.slice(0, stack.pop()!.at);
  }
  const trimmed = out.trimEnd();
  if (!stack.length) return out;
  return (
    trimmed +
    stack
      .map((o) => o.text)
      .reverse()
      .join('')
  );
}

const LINK_DEST = /(!?)\[([^[\]]*)\]\([^()\s]*(?:\s+(?:"[^"]*|'[^']*))?$/;
const OPEN_BRACKET = /(!?)\[([^[\]]*)$/;
const CLOSED_BRACKET = /(!?)\[([^[\]]+)\]$/;
const AUTOLINK = /<((?:https?|mailto):[^\s<>]*)$/i;
const BARE_URL = /(?:https?:\/\/|www\.)[^\s<>()]*$/i;
const PARTIAL_TAG = /<\/?[A-Za-z][\w-]*(?:\s[^<>\n]*)?$/;

/** Half-written links become pending placeholders; a half-written tag is hidden. */
function repairLinks(s: string): string {
  let m = LINK_DEST.exec(s) ?? OPEN_BRACKET.exec(s) ?? CLOSED_BRACKET.exec(s);
  if (m) {
    const text = m[2]!.trim();
    const head = s.slice(0, m.index);
    // `[ ` / `[x` right after a list marker is a task box being typed, not a link.
    if (!text || /^\s*(?:[-*+]|\d{1,9}[.)])\s+$/.test(head.slice(head.lastIndexOf('\n') + 1))) return head.trimEnd();
    return `${head}[${text}${PENDING}`;
  }
  m = AUTOLINK.exec(s);
  if (m) return `${s.slice(0, m.index)}[${m[1]}${PENDING}`;
  m = BARE_URL.exec(s);
  if (m && (m.index === 0 || /[\s*_~(]/.test(s[m.index - 1]!))) return `${s.slice(0, m.index)}[${m[0]}${PENDING}`;
  m = PARTIAL_TAG.exec(s);
  if (m && m[0].length <= 120) return s.slice(0, m.index).trimEnd();
  return s;
}
