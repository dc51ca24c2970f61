/**
 * Reads an image's pixel dimensions from its header, without decoding it. Supports the formats
 * the core accepts: PNG, JPEG, GIF and WebP (lossy VP8, lossless VP8L and extended VP8X).
 */

export interface ImageSize {
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'gif' | 'webp';
}

const u16be = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const u16le = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u24le = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
const u32be = (b: Uint8Array, o: number) => ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

/** Dimensions of a PNG, JPEG, GIF or WebP image, or `null` when the header is unknown or truncated. */
export function imageSize(bytes: Uint8Array): ImageSize | null {
  if (bytes.length >= 24 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG' && ascii(bytes, 12, 4) === 'IHDR') {
    return valid({ width: u32be(bytes, 16), height: u32be(bytes, 20), format: 'png' });
  }
  if (bytes.length >= 10 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    return valid({ width: u16le(bytes, 6), height: u16le(bytes, 8), format: 'gif' });
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webpSize(bytes);
  return null;
}

function valid(size: ImageSize): ImageSize | null {
  return size.width > 0 && size.height > 0 ? size : null;
}

/**
 * Walks the JPEG marker segments up to the first start-of-frame (SOF0–SOF15, except DHT C4,
 * JPG C8 and DAC CC, which share the range), whose payload holds height then width.
 */
function jpegSize(b: Uint8Array): ImageSize | null {
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return null;
    const marker = b[o + 1]!;
    // Fill bytes (0xFF 0xFF…) may pad between segments.
    if (marker === 0xff) {
      o++;
      continue;
    }
    // Markers without a length: TEM and RST0–7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before any frame
    const length = u16be(b, o + 2);
    if (length < 2) return null;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (o + 9 > b.length) return null;
      return valid({ height: u16be(b, o + 5), width: u16be(b, o + 7), format: 'jpeg' });
    }
    o += 2 + length;
  }
  return null;
}

/** WebP: the first chunk after the RIFF header says which bitstream follows. */
function webpSize(b: Uint8Array): ImageSize | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30) {
    // Key frame start code 9D 01 2A, then 14-bit width and height (top 2 bits are scaling).
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return valid({ width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, format: 'webp' });
  }
  if (chunk === 'VP8L' && b.length >= 25) {
    if (b[20] !== 0x2f) return null; // lossless signature
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return valid({ width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, format: 'webp' });
  }
  if (chunk === 'VP8X' && b.length >= 30) {
    return valid({ width: u24le(b, 24) + 1, height: u24le(b, 27) + 1, format: 'webp' });
  }
  return null;
}
