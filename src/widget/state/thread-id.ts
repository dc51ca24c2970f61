/** Thread ids: `chat_` + 128 random bits, base64url. DOM-free. */

/** Fills a byte array with cryptographically strong random values. */
export type RandomSource = (bytes: Uint8Array) => Uint8Array;

export const THREAD_ID_PREFIX = 'chat_';

/** `chat_` followed by 22 base64url characters (128 bits). */
export const THREAD_ID_PATTERN = /^chat_[A-Za-z0-9_-]{22}$/;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The default random source: the platform's Web Crypto (browsers, Node 20, workers). */
export const cryptoRandom: RandomSource = (bytes) => globalThis.crypto.getRandomValues(bytes);

export function base64url(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += BASE64URL[(value >> bits) & 63];
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE64URL[(value << (6 - bits)) & 63];
  return out;
}

/** A new thread id; 128 bits so ids from different visitors never collide. */
export function createThreadId(random: RandomSource = cryptoRandom): string {
  return THREAD_ID_PREFIX + base64url(random(new Uint8Array(16)));
}

/** The storage key of an endpoint's current thread id. */
export function threadStorageKey(endpoint: string): string {
  return `ic-support-chat:thread:${endpoint}`;
}
