/**
 * Blob → data URL with the browser's native encoder (FileReader runs off the main thread): no
 * JavaScript base64 loop over a 20 MB file. The URL carries the SNIFFED type, not the declared one.
 */
export function blobToDataUrl(blob: Blob, mediaType: string): Promise<string> {
  // Re-typing a Blob wraps it without copying the bytes.
  const typed = blob.type === mediaType ? blob : new Blob([blob], { type: mediaType });
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(typed);
  });
}
