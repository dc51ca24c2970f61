// A regex like /[…]+$/ is quadratic on a long run of those characters followed by anything else
// (every start in the run scans to its end before failing), and these strings come from visitors.
// Walking from the end is linear.

/** `text` without its trailing characters for which `drop` is true. */
export function trimEndWhile(text: string, drop: (char: string) => boolean): string {
  let end = text.length;
  while (end > 0 && drop(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without its leading characters for which `drop` is true. */
export function trimStartWhile(text: string, drop: (char: string) => boolean): string {
  let start = 0;
  while (start < text.length && drop(text[start]!)) start++;
  return start === 0 ? text : text.slice(start);
}

/** True for the characters `\s` matches (all of them are single UTF-16 code units). */
export function isSpace(char: string): boolean {
  return /^\s$/.test(char);
}
