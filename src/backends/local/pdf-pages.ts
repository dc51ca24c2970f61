import { constants as zlibConstants, inflateSync } from 'node:zlib';

/**
 * Counts the pages of a PDF by finding its page objects (`/Type /Page`, not the `/Pages` tree
 * nodes). Page objects may sit in the file body or, in PDF 1.5+, inside compressed object streams
 * (`/Type /ObjStm`), which are inflated and searched too. Objects redefined by incremental updates
 * are counted once, by object number. Returns `null` when no page is found (not a PDF, or encrypted).
 */
export function pdfPageCount(bytes: Uint8Array): number | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.startsWith('%PDF-')) return null;
  const pages = new Set<string>();
  const budget = { inflateBytes: INFLATE_BUDGET };

  // Objects in the body: "12 0 obj << … >> endobj".
  for (const { number, body } of bodyObjects(text)) {
    const dict = body.split(/\bstream\r?\n/)[0]!;
    if (isPage(dict)) pages.add(number);
    if (/\/Type\s*\/ObjStm\b/.test(dict)) {
      for (const n of pagesInObjectStream(dict, body, budget)) pages.add(n);
    }
  }
  if (pages.size > 0) return pages.size;
  // A damaged file without parsable "obj" wrappers: fall back to counting page dictionaries.
  const loose = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  return loose > 0 ? loose : null;
}

/**
 * Most bytes inflated from object streams per file. The file is the visitor's: 10 MB of deflated
 * zeros would otherwise inflate to gigabytes. Real object streams are far below this.
 */
const INFLATE_BUDGET = 32 * 1024 * 1024;

/**
 * A header "12 0 obj" starting a number (the lookbehind: without it every digit of a long run was a
 * start that scanned the run again, quadratic).
 */
const OBJ_HEADER_RE = /(?<!\d)(\d+)\s+\d+\s+obj\b/g;
const ENDOBJ_RE = /\bendobj\b/g;

/**
 * Each "N G obj … endobj" of the body, in order; an object's text may contain neither. Found with
 * two searches that only move forward: a lazy `obj([\s\S]*?)endobj` scanned from every header
 * to the end of a file without "endobj", quadratic in the number of headers.
 */
function* bodyObjects(text: string): Generator<{ number: string; body: string }> {
  OBJ_HEADER_RE.lastIndex = 0;
  for (;;) {
    const header = OBJ_HEADER_RE.exec(text);
    if (!header) return;
    const start = header.index + header[0].length;
    ENDOBJ_RE.lastIndex = start;
    const end = ENDOBJ_RE.exec(text);
    if (!end) return;
    yield { number: header[1]!, body: text.slice(start, end.index) };
    OBJ_HEADER_RE.lastIndex = end.index + end[0].length;
  }
}

function isPage(dict: string): boolean {
  return /\/Type\s*\/Page(?![A-Za-z])/.test(dict);
}

/** Object numbers of page objects stored inside one FlateDecode object stream. */
function pagesInObjectStream(dict: string, body: string, budget: { inflateBytes: number }): string[] {
  if (!/\/Filter\s*(\[\s*)?\/FlateDecode\b/.test(dict) && /\/Filter\b/.test(dict)) return [];
  const start = /\bstream\r?\n/.exec(body);
  const end = body.lastIndexOf('endstream');
  if (!start || end < 0) return [];
  const raw = Buffer.from(body.slice(start.index + start[0].length, end), 'latin1');
  let data: string;
  try {
    const inflated = /\/FlateDecode\b/.test(dict)
      ? inflateSync(raw, {
          finishFlush: zlibConstants.Z_SYNC_FLUSH, // tolerate a stream cut short or a trailing EOL
          maxOutputLength: Math.max(1, budget.inflateBytes), // throws ERR_BUFFER_TOO_LARGE past it
        })
      : raw;
    budget.inflateBytes -= inflated.length;
    data = inflated.toString('latin1');
  } catch (err) {
    // Over budget: later streams would each inflate up to it again before failing.
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') budget.inflateBytes = 0;
    return [];
  }
  const n = Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? 0);
  const first = Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? 0);
  const header = data.slice(0, first).trim().split(/\s+/).map(Number);
  const found: string[] = [];
  let previousOff = 0;
  for (let i = 0; i < n; i++) {
    const num = header[2 * i];
    const off = header[2 * i + 1];
    if (num === undefined || off === undefined || Number.isNaN(num) || Number.isNaN(off)) break;
    // Offsets increase in a valid stream; going back would let each object re-read the rest of the data.
    if (off < previousOff) break;
    previousOff = off;
    const next = i + 1 < n ? header[2 * i + 3] : undefined;
    const objText = data.slice(first + off, next !== undefined ? first + next : undefined);
    if (isPage(objText)) found.push(String(num));
  }
  return found;
}
