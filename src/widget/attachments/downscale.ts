/**
 * Shrinks an image that is wider or taller than `maxDimension`, or heavier than `maxBytes`, with the
 * browser's native decoder and encoder: `createImageBitmap` decodes and resizes off the main thread,
 * `OffscreenCanvas.convertToBlob` encodes asynchronously. The output keeps the source's format — PNG
 * stays PNG (screenshots with text stay crisp), JPEG and WebP stay lossy (photos stay small) — and
 * is never larger than the source in either dimension. If it cannot get under `maxBytes`, it says so
 * (`null`) rather than sending something bigger than allowed.
 */
import type { AttachmentMediaType } from './sniff.js';

export interface FitOptions {
  /** Longest side allowed, in pixels. */
  maxDimension: number;
  /** Largest encoded size allowed, in bytes. */
  maxBytes: number;
}

export interface FittedImage {
  blob: Blob;
  width: number;
  height: number;
  /** True when the image was re-encoded smaller. */
  scaled: boolean;
}

/** Lossy quality for JPEG and WebP: visually clean for photos, a fraction of the bytes. */
export const LOSSY_QUALITY = 0.85;
/** Below this longest side a screenshot is unreadable: refuse rather than send a smudge. */
const MIN_DIMENSION = 64;
const MAX_ATTEMPTS = 8;

/** Thrown when the browser cannot decode the image at all. */
export class UndecodableImageError extends Error {}

/**
 * The image as it should be sent, or `null` when it cannot fit in `maxBytes`. GIFs are never
 * re-encoded (that would drop their animation): they are sent as they are or refused.
 */
export async function fitImage(blob: Blob, mediaType: AttachmentMediaType, options: FitOptions): Promise<FittedImage | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new UndecodableImageError('Undecodable image');
  }
  const { width, height } = bitmap;
  try {
    const longest = Math.max(width, height);
    if (longest <= options.maxDimension && blob.size <= options.maxBytes) return { blob, width, height, scaled: false };
    if (mediaType === 'image/gif' || mediaType === 'application/pdf') {
      return blob.size <= options.maxBytes ? { blob, width, height, scaled: false } : null;
    }
    let scale = Math.min(1, options.maxDimension / longest);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const w = Math.max(1, Math.round(width * scale));
      const h = Math.max(1, Math.round(height * scale));
      if (Math.max(w, h) < MIN_DIMENSION) return null;
      const out = await encodeScaled(bitmap, w, h, mediaType);
      if (out.size <= options.maxBytes) return { blob: out, width: w, height: h, scaled: true };
      // Bytes grow roughly with the area: aim just under the limit, but always shrink by 10 % at least.
      scale *= Math.min(0.9, Math.sqrt(options.maxBytes / out.size) * 0.95);
    }
    return null;
  } finally {
    bitmap.close();
  }
}

async function encodeScaled(source: ImageBitmap, width: number, height: number, type: AttachmentMediaType): Promise<Blob> {
  // Resizing inside createImageBitmap runs off the main thread with a high-quality filter.
  const resized = await createImageBitmap(source, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
  try {
    const quality = type === 'image/png' ? undefined : LOSSY_QUALITY;
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d');
      if (!context) throw new UndecodableImageError('No 2D canvas');
      context.drawImage(resized, 0, 0);
      return await canvas.convertToBlob({ type, ...(quality !== undefined ? { quality } : {}) });
    }
    // Older engines without OffscreenCanvas: the same through a detached <canvas>.
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')?.drawImage(resized, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new UndecodableImageError('Encoding failed'))), type, quality));
  } finally {
    resized.close();
  }
}
