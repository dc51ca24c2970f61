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

  // Objects in the body: "12 0 obj << … >> endobj".
  const objRe = /(\d+)\s+(\d+)\s+obj\b([\s\S]*?)\bendobj\b/g;
  for (const m of text.matchAll(objRe)) {
    const body = m[3]!;
    const dict = body.split(/\bstream\r?\n/)[0]!;
    if (isPage(dict)) pages.add(m[1]!);
    if (/\/Type\s*\/ObjStm\b/.test(dict)) {
      for (const n of pagesInObjectStream(dict, body)) pages.add(n);
    }
  }
  if (pages.size > 0) return pages.size;
  // A damaged file without parsable "obj" wrappers: fall back to counting page dictionaries.
  const loose = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  return loose > 0 ? loose : null;
}

function isPage(dict: string): boolean {
  return /\/Type\s*\/Page(?![A-Za-z])/.test(dict);
}

/** Object numbers of page objects stored inside one FlateDecode object stream. */
function pagesInObjectStream(dict: string, body: string): string[] {
  if (!/\/Filter\s*(\[\s*)?\/FlateDecode\b/.test(dict) && /\/Filter\b/.test(dict)) return [];
  const start = /\bstream\r?\n/.exec(body);
  const end = body.lastIndexOf('endstream');
  if (!start || end < 0) return [];
  const raw = Buffer.from(body.slice(start.index + start[0].length, end), 'latin1');
  let data: string;
  try {
    data = (/\/FlateDecode\b/.test(dict) ? inflateSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH } /* tolerate a stream cut short or a trailing EOL */) : raw).toString('latin1');
  } catch {
    return [];
  }
  const n = Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? 0);
  const first = Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? 0);
  const header = data.slice(0, first).trim().split(/\s+/).map(Number);
  const found: string[] = [];
  for (let i = 0; i < n; i++) {
    const num = header[2 * i];
    const off = header[2 * i + 1];
    if (num === undefined || off === undefined || Number.isNaN(num) || Number.isNaN(off)) break;
    const next = i + 1 < n ? header[2 * i + 3] : undefined;
    const objText = data.slice(first + off, next !== undefined ? first + next : undefined);
    if (isPage(objText)) found.push(String(num));
  }
  return found;
}
