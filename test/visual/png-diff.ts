// PNG in and out for the visual snapshots, and a pixel comparison in the manner of pixelmatch (a
// perceptual YIQ colour distance with a threshold, anti-aliased edges tolerated by the caller's
// budget of differing pixels). Written here, ~100 lines on node:zlib, because the browsers' own PNGs
// (8-bit RGB or RGBA, not interlaced) are all it must read and no image package is installed.
import { crc32, deflateSync, inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, row after row. */
  data: Uint8Array;
}

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

export function decodePng(file: Buffer): Image {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < file.length;) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colorType, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6))
        throw new Error(`unsupported PNG (depth ${depth}, colour type ${colorType}, interlace ${interlace})`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    at += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const above = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels]! : 0;
      const b = above[x]!;
      const c = x >= channels ? above[x - channels]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[x] = (line[x]! + predicted) & 0xff;
    }
  }
  if (channels === 4) return { width, height, data: pixels };
  const data = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < pixels.length; i += 3, j += 4) data.set([pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, 255], j);
  return { width, height, data };
}

export function encodePng({ width, height, data }: Image): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Perceived difference of two colours (pixelmatch's YIQ distance, 0 … 35215). */
function yiqDistance(a: Uint8Array, i: number, b: Uint8Array, j: number): number {
  const [r1, g1, b1] = [a[i]!, a[i + 1]!, a[i + 2]!];
  const [r2, g2, b2] = [b[j]!, b[j + 1]!, b[j + 2]!];
  const y = (r1 - r2) * 0.29889531 + (g1 - g2) * 0.58662247 + (b1 - b2) * 0.11448223;
  const iq = (r1 - r2) * 0.59597799 - (g1 - g2) * 0.2741761 - (b1 - b2) * 0.32180189;
  const q = (r1 - r2) * 0.21147017 - (g1 - g2) * 0.52261711 + (b1 - b2) * 0.31114694;
  return 0.5053 * y * y + 0.299 * iq * iq + 0.1957 * q * q;
}

/**
 * Counts the pixels whose colours differ by more than `threshold` (0 … 1, pixelmatch's scale), and
 * draws them red over a faded copy of `expected`. Images of different sizes differ everywhere.
 */
export function comparePixels(expected: Image, actual: Image, threshold = 0.1): { differing: number; diff: Image } {
  if (expected.width !== actual.width || expected.height !== actual.height) {
    return { differing: Math.max(expected.width * expected.height, actual.width * actual.height), diff: actual };
  }
  const max = 35215 * threshold * threshold;
  const diff = new Uint8Array(expected.data.length);
  let differing = 0;
  for (let i = 0; i < expected.data.length; i += 4) {
    if (yiqDistance(expected.data, i, actual.data, i) > max) {
      differing++;
      diff.set([255, 0, 0, 255], i);
    } else {
      const grey = 255 - (255 - expected.data[i + 1]!) * 0.2;
      diff.set([grey, grey, grey, 255], i);
    }
  }
  return { differing, diff: { width: expected.width, height: expected.height, data: diff } };
}
