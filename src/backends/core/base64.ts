// Base64 helpers on atob/btoa, so the core runs on Workers, Deno and Bun as well as Node (where a
// native Buffer exists, it decodes).

import { SLICE_UNITS, type Cooperative } from './cooperative.js';
import { trimEndWhile } from './trim-chars.js';

const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_CHARS = /^[A-Za-z0-9+/]*$/;

/** Canonical base64 only: the standard alphabet, padded, no whitespace. */
export function isStrictBase64(text: string): boolean {
  return text.length % 4 === 0 && STRICT_BASE64.test(text);
}

/** The decoded size of a strict base64 string, computed without decoding it. */
export function decodedBase64Length(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** Node's and Bun's native decoder, where there is one: ~10× faster than atob and a loop on megabytes. */
const nativeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;

/** Decodes canonical base64 (check it with `isStrictBase64` first: the native decoder is lenient). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (nativeBuffer) {
    const buf = nativeBuffer.from(text, 'base64');
    // A plain Uint8Array over its own memory (small Buffers share a pool).
    const out = new Uint8Array(buf.byteLength);
    out.set(buf);
    return out;
  }
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return trimEndWhile(btoa(binary).replace(/\+/g, '-').replace(/\//g, '_'), (c) => c === '=');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes unpadded base64url; `null` when malformed. */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return decodeBase64(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
}

/**
 * Base64 given as consecutive pieces of text (a large data URL as it was decoded from the body,
 * see json-with-data-urls.ts), from character `from` of the whole on. Checked and decoded a slice
 * at a time, handing the event loop back between slices (a regex over 14 MB holds it ~40 ms):
 * the whole is never read at once, so a string joined from the pieces is never copied.
 */
export class Base64Pieces {
  /** Characters of base64. */
  readonly length: number;
  readonly #pieces: readonly string[];
  readonly #from: number;
  readonly #padding: number;

  constructor(pieces: readonly string[], from: number) {
    this.#pieces = pieces;
    this.#from = from;
    this.length = pieces.reduce((sum, p) => sum + p.length, 0) - from;
    let tail = '';
    for (let i = pieces.length - 1; i >= 0 && tail.length < 2; i--) tail = pieces[i]! + tail;
    tail = tail.slice(-Math.min(2, this.length));
    this.#padding = this.length === 0 ? 0 : tail.endsWith('==') ? 2 : tail.endsWith('=') ? 1 : 0;
  }

  /** Flat slices of at most SLICE_UNITS characters, in order. */
  *#slices(): Generator<string> {
    let base = 0;
    for (const piece of this.#pieces) {
      for (let at = Math.max(0, this.#from - base); at < piece.length; at += SLICE_UNITS) yield piece.slice(at, at + SLICE_UNITS);
      base += piece.length;
    }
  }

  /** `isStrictBase64` of the whole. */
  async isStrict(work: Cooperative): Promise<boolean> {
    if (this.length % 4 !== 0) return false;
    const end = this.length - this.#padding;
    let at = 0;
    for (const slice of this.#slices()) {
      if (at >= end) break;
      if (!BASE64_CHARS.test(at + slice.length > end ? slice.slice(0, end - at) : slice)) return false;
      at += slice.length;
      await work.pause();
    }
    return true;
  }

  /** `decodedBase64Length` of the whole (strict base64). */
  get decodedLength(): number {
    return (this.length / 4) * 3 - this.#padding;
  }

  /** `decodeBase64` of the whole (check `isStrict` first). */
  async decode(work: Cooperative): Promise<Uint8Array<ArrayBuffer>> {
    const out = new Uint8Array(this.decodedLength);
    let offset = 0;
    // Characters left over from a slice, decoded with the next: base64 decodes by groups of 4.
    let carry = '';
    for (const slice of this.#slices()) {
      const text = carry + slice;
      const whole = text.length - (text.length % 4);
      const bytes = decodeBase64(text.slice(0, whole));
      out.set(bytes, offset);
      offset += bytes.byteLength;
      carry = text.slice(whole);
      await work.pause();
    }
    return out;
  }
}
