// A turn with five 10 MB attachments goes upstream as a ~70 MB JSON body of data URLs.
// JSON.stringify of it, then fetch encoding the string to UTF-8, held the event loop ~0.4 s in one
// go. A body with large strings is instead written a slice at a time into a Blob (built up as it
// goes, so no step copies more than a few MB), handing the event loop back between slices. A
// Blob, not a stream: it has a length (a plain Content-Length upload, as before) and can be sent
// again on a retry. The bytes are the ones JSON.stringify would give.
import { Cooperative, SLICE_UNITS } from '../core/cooperative.js';

/** A string at least this long is written in slices; a body without one is stringified at once. */
const LARGE_STRING = 64 * 1024;
/** Encoded bytes gathered before they join the Blob. */
const BATCH_BYTES = 4 * 1024 * 1024;

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function hasLargeString(value: unknown): boolean {
  if (typeof value === 'string') return value.length >= LARGE_STRING;
  if (!isContainer(value)) return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(hasLargeString);
}

/** JSON.stringify drops these as object members and writes them as `null` in arrays. */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

class BlobWriter {
  #blob = new Blob([]);
  #batch: Uint8Array<ArrayBuffer>[] = [];
  #batchBytes = 0;
  readonly #encoder = new TextEncoder();

  write(text: string): void {
    const bytes = this.#encoder.encode(text);
    this.#batch.push(bytes);
    this.#batchBytes += bytes.byteLength;
    if (this.#batchBytes >= BATCH_BYTES) this.#flush();
  }

  #flush(): void {
    // A Blob made of a Blob and parts refers to the first one: only the new parts are copied.
    this.#blob = new Blob([this.#blob, ...this.#batch]);
    this.#batch = [];
    this.#batchBytes = 0;
  }

  done(): Blob {
    this.#flush();
    return this.#blob;
  }
}

async function writeValue(out: BlobWriter, value: unknown, work: Cooperative): Promise<void> {
  if (!hasLargeString(value)) {
    out.write(JSON.stringify(value));
    return;
  }
  if (typeof value === 'string') {
    out.write('"');
    for (let at = 0; at < value.length;) {
      let end = Math.min(value.length, at + SLICE_UNITS);
      // Never between the two halves of a surrogate pair: each half alone would be escaped.
      const last = value.charCodeAt(end - 1);
      if (end < value.length && last >= 0xd800 && last <= 0xdbff) end--;
      out.write(JSON.stringify(value.slice(at, end)).slice(1, -1));
      at = end;
      await work.pause();
    }
    out.write('"');
    return;
  }
  if (Array.isArray(value)) {
    out.write('[');
    for (const [i, item] of value.entries()) {
      if (i > 0) out.write(',');
      if (isSkipped(item)) out.write('null');
      else await writeValue(out, item, work);
    }
    out.write(']');
    return;
  }
  out.write('{');
  let first = true;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (isSkipped(item)) continue;
    out.write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    await writeValue(out, item, work);
  }
  out.write('}');
}

/** The request body for `value`: its JSON text, or the same bytes as a Blob written in slices when it holds large strings. */
export async function jsonRequestBody(value: unknown): Promise<string | Blob> {
  if (!hasLargeString(value)) return JSON.stringify(value);
  const out = new BlobWriter();
  await writeValue(out, value, new Cooperative());
  return out.done();
}
