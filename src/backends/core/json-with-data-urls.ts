// A turn of five 10 MB attachments is a ~70 MB JSON body that is almost all base64. Decoding it as
// one string and handing it to JSON.parse held the event loop for ~150 ms in one go (every other
// visitor waited). Here the data URLs, located by JsonTextMeter while the body streamed in, are
// turned into strings slice by slice, yielding between slices, and JSON.parse only sees the text
// around them, with a placeholder for each, swapped for the real string as it parses. Whatever the
// body, the outcome is the one JSON.parse of the whole body would give: the same value, the same
// errors in the same order (invalid UTF-8 first, then the first JSON error in the body).
import { Cooperative, SLICE_UNITS } from './cooperative.js';
import { SupportError } from './support-error.js';

/** Byte offsets of a data URL's contents in the body (see `JsonTextMeter.spans`). */
export interface Span {
  start: number;
  end: number;
}

// JSON forbids these unescaped in a string.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

/**
 * The pieces each data URL was decoded in, by the object and key holding it. A data URL's string
 * is those pieces joined lazily (a rope): anything that reads it whole (a regex, `slice`) first
 * copies all of it at once, so the checks read the pieces instead (see validate-attachment.ts).
 */
const piecesByHolder = new WeakMap<object, Map<string, readonly string[]>>();

/** The pieces of the data URL at `holder[key]`, when it came from `parseJsonAroundDataUrls`. */
export function dataUrlPieces(holder: object, key: string): readonly string[] | undefined {
  return piecesByHolder.get(holder)?.get(key);
}

const notUtf8 = () => new SupportError('invalid_request', 'The request body is not valid UTF-8.');

/** JSON.parse's error, its position (and column, where the runtime gives one) mapped back to the body as sent. */
function notJson(err: unknown, text: string, shifts: readonly { at: number; by: number }[]): SupportError {
  const message = (err as Error).message.replace(/(position )(\d+)(?: \(line (\d+) column (\d+)\))?/, (whole, label: string, n: string, line?: string, column?: string) => {
    const at = Number(n);
    const before = shifts.filter((s) => s.at < at);
    const position = at + before.reduce((sum, s) => sum + s.by, 0);
    if (line === undefined || column === undefined) return `${label}${position}`;
    // Data URLs hold no line breaks: only those on the error's own line move its column.
    const lineStart = text.lastIndexOf('\n', at - 1);
    const sameLine = before.filter((s) => s.at > lineStart).reduce((sum, s) => sum + s.by, 0);
    return `${label}${position} (line ${line} column ${Number(column) + sameLine})`;
  });
  return new SupportError('invalid_request', `The request body is not valid JSON: ${message}`);
}

/** Reads byte ranges of a body kept as the chunks it arrived in, front to back. */
class ChunkCursor {
  #chunk = 0;
  /** Body offset of chunk `#chunk`. */
  #base = 0;
  readonly #chunks: readonly Uint8Array[];

  constructor(chunks: readonly Uint8Array[]) {
    this.#chunks = chunks;
  }

  /** Views of `[start, end)` at most `max` bytes each; `start` never goes back. */
  *range(start: number, end: number, max: number): Generator<Uint8Array> {
    let at = start;
    while (at < end) {
      let chunk = this.#chunks[this.#chunk]!;
      while (at >= this.#base + chunk.byteLength) {
        this.#base += chunk.byteLength;
        chunk = this.#chunks[++this.#chunk]!;
      }
      const from = at - this.#base;
      const to = Math.min(chunk.byteLength, end - this.#base, from + max);
      yield chunk.subarray(from, to);
      at += to - from;
    }
  }

  /**
   * `[start, end)` in slices of `size` bytes (the last may be shorter), gathered into `buffer`
   * where they span chunks: a body arrives in ~64 KB chunks, and strings decoded from slices that
   * small would be copied by every young-generation GC; a slice of 1 MB is allocated where large
   * objects live and never moved.
   */
  *slices(start: number, end: number, buffer: Uint8Array): Generator<Uint8Array> {
    let filled = 0;
    for (const part of this.range(start, end, buffer.byteLength)) {
      if (filled === 0 && part.byteLength === buffer.byteLength) {
        yield part;
        continue;
      }
      let from = 0;
      while (from < part.byteLength) {
        const n = Math.min(part.byteLength - from, buffer.byteLength - filled);
        buffer.set(part.subarray(from, from + n), filled);
        filled += n;
        from += n;
        if (filled === buffer.byteLength) {
          yield buffer;
          filled = 0;
        }
      }
    }
    if (filled > 0) yield buffer.subarray(0, filled);
  }
}

function randomTag(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Parses a JSON body kept as `chunks` (`total` bytes) whose `spans` are data URL contents.
 * `open`: where a data URL still open at the end of the body starts (the body is then cut short).
 */
export async function parseJsonAroundDataUrls(chunks: readonly Uint8Array[], total: number, spans: readonly Span[], open: number | null): Promise<unknown> {
  const work = new Cooperative();
  const cursor = new ChunkCursor(chunks);
  // A client cannot send these: the tag is random per request.
  const tag = `ic-data-url-${randomTag()}-`;
  const cutMarker = `${tag}cut`;
  const all = open === null ? spans : [...spans, { start: open, end: total }];
  const values: string[][] = [];
  /** The first control character inside a data URL: JSON.parse of the whole body fails there. */
  let cut: string | null = null;
  /** Characters of that data URL before it. */
  let cutChars = 0;
  /** Each placeholder and the characters of the data URL it stands for, to map error positions back. */
  const lifted: { marker: string; chars: number }[] = [];
  /** Characters of a data URL left open at the end of the body. */
  let openChars = 0;
  const encoder = new TextEncoder();
  const slice = new Uint8Array(SLICE_UNITS);
  const pieces: Uint8Array[] = [];
  let piecesBytes = 0;
  const keep = (bytes: Uint8Array) => {
    pieces.push(bytes);
    piecesBytes += bytes.byteLength;
  };

  let at = 0;
  for (const span of all) {
    for (const part of cursor.range(at, span.start, Infinity)) keep(part);
    at = span.end;
    // Each string is decoded on its own, so a BOM inside it is content, as in the whole body.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const seenCut = cut !== null;
    const value: string[] = [];
    let chars = 0;
    try {
      for (const part of cursor.slices(span.start, span.end, slice)) {
        const text = decoder.decode(part, { stream: true });
        if (cut === null) {
          const control = CONTROL.exec(text);
          if (control) {
            cut = control[0];
            cutChars = chars + control.index;
          } else if (text) value.push(text);
          chars += text.length;
        }
        await work.pause();
      }
      decoder.decode();
    } catch {
      throw notUtf8();
    }
    // Past the first control character nothing is parsed; the rest is only checked as UTF-8.
    if (seenCut) continue;
    if (cut !== null) keep(encoder.encode(cutMarker));
    // A string left open at the end of the body stays open, so the parse fails as it would.
    else if (span.end === total) openChars = chars;
    else {
      // Ends like the data URL, so an error message quoting the body around it quotes the same.
      const last = value.at(-1)?.slice(-16) ?? '';
      const marker = `${tag}${values.length}:${/^[\x20-\x7e]*$/.test(last) ? last : ''}`;
      keep(encoder.encode(marker));
      values.push(value);
      lifted.push({ marker, chars });
    }
  }
  for (const part of cursor.range(at, total, Infinity)) keep(part);

  const bytes = new Uint8Array(piecesBytes);
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8();
  }
  // Where each placeholder landed: a JSON error is reported at its position in the body as sent.
  const shifts: { at: number; by: number }[] = [];
  let from = 0;
  for (const { marker, chars } of lifted) {
    from = text.indexOf(marker, from);
    shifts.push({ at: from, by: chars - marker.length });
    from += marker.length;
  }
  if (cut === null) shifts.push({ at: text.length - 1, by: openChars });
  else {
    const marker = text.indexOf(cutMarker);
    // The first control character in a string is where the parse stops, unless an error comes first.
    if (marker >= 0) {
      text = text.slice(0, marker) + cut;
      shifts.push({ at: marker - 1, by: cutChars });
    }
  }
  try {
    return JSON.parse(text, function (this: object, key, value: unknown) {
      if (typeof value !== 'string' || !value.startsWith(tag)) return value;
      const pieces = values[parseInt(value.slice(tag.length), 10)]!;
      const byKey = piecesByHolder.get(this) ?? new Map<string, readonly string[]>();
      piecesByHolder.set(this, byKey.set(key, pieces));
      // Joined as a rope: no copy of the whole until something reads it whole.
      let joined = '';
      for (const piece of pieces) joined += piece;
      return joined;
    }) as unknown;
  } catch (err) {
    throw notJson(err, text, shifts);
  }
}
