import { constants as zlibConstants, inflateSync } from 'node:zlib';

/**
 * What page counting may spend, shared by every PDF of one turn: the files are the visitor's, and
 * five crafted 32 KB PDFs once held the event loop for 19 s. Past any cap counting gives up
 * (`gaveUp`), and the reply says "page count unknown" instead of blocking the server.
 */
export interface PdfBudget {
  /** Bytes left to inflate from object streams. */
  inflateBytes: number;
  /** Objects left to look at inside object streams. */
  objects: number;
  /** `performance.now()` after which counting stops. */
  deadline: number;
  /** Set once a cap was reached or a stream's header was implausible: counts are then unknown. */
  gaveUp: boolean;
}

export interface PdfBudgetOptions {
  /** Total bytes inflated from object streams. Default 8 MB. */
  inflateBytes?: number;
  /** Total objects examined inside object streams. Default 100,000. */
  objects?: number;
  /** Wall time for counting, in ms. Default 250. */
  timeMs?: number;
}

/** Defaults far above real files: object streams hold ~100 objects and rarely inflate past 1 MB. */
export const PDF_BUDGET_DEFAULTS: Readonly<Required<PdfBudgetOptions>> = Object.freeze({
  inflateBytes: 8 * 1024 * 1024,
  objects: 100_000,
  timeMs: 250,
});

/** Most objects one object stream may declare (`/N`); more is taken as hostile, not counted. */
export const MAX_OBJECTS_PER_STREAM = 10_000;

export function createPdfBudget(options: PdfBudgetOptions = {}): PdfBudget {
  const o = { ...PDF_BUDGET_DEFAULTS, ...options };
  return { inflateBytes: o.inflateBytes, objects: o.objects, deadline: performance.now() + o.timeMs, gaveUp: false };
}

function outOfTime(budget: PdfBudget): boolean {
  if (performance.now() > budget.deadline) budget.gaveUp = true;
  return budget.gaveUp;
}

/**
 * Counts the pages of a PDF by finding its page objects (`/Type /Page`, not the `/Pages` tree
 * nodes). Page objects may sit in the file body or, in PDF 1.5+, inside compressed object streams
 * (`/Type /ObjStm`), which are inflated and searched too. Objects redefined by incremental updates
 * are counted once, by object number. Returns `null` when no page is found (not a PDF, or encrypted)
 * and when counting gave up within `budget` (then `budget.gaveUp` is set).
 */
export function pdfPageCount(bytes: Uint8Array, budget: PdfBudget = createPdfBudget()): number | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.startsWith('%PDF-')) return null;
  const pages = new Set<string>();

  // Objects in the body: "12 0 obj << … >> endobj".
  for (const { number, body } of bodyObjects(text)) {
    if (outOfTime(budget)) return null;
    const dict = dictionaryOf(body);
    if (isPage(dict)) pages.add(number);
    if (/\/Type\s*\/ObjStm\b/.test(dict)) {
      for (const n of pagesInObjectStream(dict, body, budget)) pages.add(n);
      if (budget.gaveUp) return null;
    }
  }
  if (pages.size > 0) return pages.size;
  // A damaged file without parsable "obj" wrappers: fall back to counting page dictionaries.
  const loose = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  return loose > 0 ? loose : null;
}

/**
 * A header "12 0 obj" starting a number (the lookbehind: without it every digit of a long run was a
 * start that scanned the run again, quadratic).
 */
const OBJ_HEADER_RE = /(?<!\d)(\d+)\s+\d+\s+obj\b/g;
const ENDOBJ_RE = /\bendobj\b/g;
const STREAM_RE = /\bstream\r?\n/;

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

/** The object's dictionary: the text before its stream data, if it has any. */
function dictionaryOf(body: string): string {
  const stream = STREAM_RE.exec(body);
  return stream ? body.slice(0, stream.index) : body;
}

function isPage(dict: string): boolean {
  return /\/Type\s*\/Page(?![A-Za-z])/.test(dict);
}

/**
 * A stream header's `/N` and `/First` when they are plausible: `/N` pairs "number offset" of at
 * least 4 bytes each fit before `/First`, and `/First` leaves no more than 32 bytes a pair.
 * Checked before inflating, so a stream that lies about them costs nothing.
 */
function streamHeader(dict: string): { n: number; first: number } | null {
  const n = Number(/\/N\s+(\d{1,9})(?!\d)/.exec(dict)?.[1] ?? NaN);
  const first = Number(/\/First\s+(\d{1,10})(?!\d)/.exec(dict)?.[1] ?? NaN);
  if (!Number.isInteger(n) || !Number.isInteger(first) || n < 1 || n > MAX_OBJECTS_PER_STREAM) return null;
  if (first < 4 * n - 1 || first > 32 * n + 64) return null;
  return { n, first };
}

/** Object numbers of page objects stored inside one FlateDecode object stream. */
function pagesInObjectStream(dict: string, body: string, budget: PdfBudget): string[] {
  if (!/\/Filter\s*(\[\s*)?\/FlateDecode\b/.test(dict) && /\/Filter\b/.test(dict)) return [];
  const header = streamHeader(dict);
  if (!header || header.n > budget.objects) {
    budget.gaveUp = true;
    return [];
  }
  const start = STREAM_RE.exec(body);
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
    // Over budget: the turn's remaining PDFs would each inflate up to it again before failing.
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      budget.inflateBytes = 0;
      budget.gaveUp = true;
    }
    return [];
  }
  const { n, first } = header;
  // The header must lie inside the data it indexes.
  if (first > data.length) {
    budget.gaveUp = true;
    return [];
  }
  budget.objects -= n;
  const numbers = data
    .slice(0, first)
    .trim()
    .split(/\s+/, 2 * n)
    .map(Number);
  const found: string[] = [];
  let previousOff = 0;
  for (let i = 0; i < n; i++) {
    const num = numbers[2 * i];
    const off = numbers[2 * i + 1];
    if (num === undefined || off === undefined || Number.isNaN(num) || Number.isNaN(off)) break;
    // Offsets increase in a valid stream; going back would let each object re-read the rest of the data.
    if (off < previousOff || first + off > data.length) break;
    previousOff = off;
    const next = i + 1 < n ? numbers[2 * i + 3] : undefined;
    const objText = data.slice(first + off, next !== undefined && next >= off ? first + next : undefined);
    if (isPage(objText)) found.push(String(num));
  }
  return found;
}
