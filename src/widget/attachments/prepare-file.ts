/**
 * Gets one accepted file ready to send: a too-large image shrunk (`downscale.ts`), then the bytes
 * encoded to a data URL. In the attachments chunk: only visitors who attach a file need it.
 */
import { accepts } from './accept.js';
import type { AttachmentSettings } from './attachment-draft.js';
import { fitImage } from './downscale.js';
import { blobToDataUrl } from './encode.js';
import type { AttachmentMediaType } from './sniff.js';

export interface PreparedFile {
  dataUrl: string;
  /** What is sent: the sniffed type, or the format an image was re-encoded to. */
  mediaType: AttachmentMediaType;
  size: number;
  width?: number;
  height?: number;
}

/** The file ready to send, or why it cannot go (`size`: cannot be shrunk under the limit; `type`: re-encoded to a type not accepted). Throws when unreadable. */
export async function prepareFile(file: Blob, type: AttachmentMediaType, settings: AttachmentSettings): Promise<PreparedFile | 'size' | 'type'> {
  let blob = file;
  let mediaType = type;
  let size: Pick<PreparedFile, 'width' | 'height'> = {};
  if (type.startsWith('image/')) {
    const fitted = await fitImage(file, type, { maxDimension: settings.maxImageDimension, maxBytes: settings.maxFileBytes });
    if (!fitted) return 'size';
    blob = fitted.blob;
    size = { width: fitted.width, height: fitted.height };
    // An engine that cannot encode the source's format falls back to PNG: say what is sent.
    if (fitted.scaled && fitted.blob.type && fitted.blob.type !== type) mediaType = fitted.blob.type as AttachmentMediaType;
    if (!accepts(settings.accept, mediaType)) return 'type';
  }
  return { ...size, dataUrl: await blobToDataUrl(blob, mediaType), mediaType, size: blob.size };
}
