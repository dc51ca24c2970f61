// A run log's events in this process, kept as UTF-8 bytes in a few growing byte chunks instead of
// one JS string (or object) per event. A log holds every delta of every recent reply for minutes:
// as heap objects each one is copied out of the young generation and visited by every major GC
// (≈ 1.8 µs per delta at 1,000 streams, measured); as bytes in an ArrayBuffer it is neither, and an
// append is an `encodeInto` (≈ 0.4 µs). Only a resume decodes.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FIRST_CHUNK = 2048;
const MAX_CHUNK = 64 * 1024;

/** Strings appended at the end and dropped from the front, stored as UTF-8. */
export class Utf8Entries {
  #chunks: Uint8Array[] = [];
  // Free bytes start here in the last chunk.
  #used = 0;
  // Per entry (index from 0 = the oldest still kept, after `#head`): its chunk, offset and byte length.
  #chunk: number[] = [];
  #start: number[] = [];
  #size: number[] = [];
  #head = 0;
  // Chunks before this index were released.
  #firstChunk = 0;

  get length(): number {
    return this.#size.length - this.#head;
  }

  /** Appends `text`; returns its size in bytes. */
  push(text: string): number {
    let last = this.#chunks.length - 1;
    let written = 0;
    if (last >= 0) {
      const result = encoder.encodeInto(text, this.#chunks[last]!.subarray(this.#used));
      if (result.read === text.length) written = result.written;
      else last = -1;
    }
    if (last < 0) {
      // Each chunk twice the one before (short replies stay small), one event never split.
      const previous = this.#chunks[this.#chunks.length - 1]?.length ?? FIRST_CHUNK / 2;
      const chunk = new Uint8Array(Math.max(Math.min(previous * 2, MAX_CHUNK), text.length * 3));
      this.#chunks.push(chunk);
      this.#used = 0;
      last = this.#chunks.length - 1;
      written = encoder.encodeInto(text, chunk).written;
    }
    this.#chunk.push(last);
    this.#start.push(this.#used);
    this.#size.push(written);
    this.#used += written;
    return written;
  }

  /** Drops the oldest entry; returns its size in bytes. */
  shift(): number {
    const size = this.#size[this.#head]!;
    this.#head++;
    if (this.#head === this.#size.length) this.#reset();
    else this.#release(this.#chunk[this.#head]!);
    // Dropped slots are reclaimed in bulk, not one copy of the index per drop.
    if (this.#head > 1024 && this.#head * 2 > this.#size.length) {
      this.#chunk.splice(0, this.#head);
      this.#start.splice(0, this.#head);
      this.#size.splice(0, this.#head);
      this.#head = 0;
    }
    return size;
  }

  /** Entry `i` (0 = the oldest kept). */
  at(i: number): string {
    const k = this.#head + i;
    const start = this.#start[k]!;
    return decoder.decode(this.#chunks[this.#chunk[k]!]!.subarray(start, start + this.#size[k]!));
  }

  // Chunks wholly before the oldest entry kept are let go (their slots stay, so indexes hold).
  #release(oldestChunk: number): void {
    while (this.#firstChunk < oldestChunk) this.#chunks[this.#firstChunk++] = EMPTY;
  }

  #reset(): void {
    this.#chunks = [];
    this.#used = 0;
    this.#chunk = [];
    this.#start = [];
    this.#size = [];
    this.#head = 0;
    this.#firstChunk = 0;
  }
}

const EMPTY = new Uint8Array(0);
