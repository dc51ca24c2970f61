// Real files for the attachment tests, made in the browser: PNG/JPEG from a canvas, a small
// multi-page PDF, a Windows executable's header, and the DataTransfer that carries them.

/** A PNG (or JPEG/WebP) of `width`×`height`: a flat screenshot-like picture, or random noise (incompressible). */
export async function imageFile(name: string, width: number, height: number, { type = 'image/png', noise = false }: { type?: string; noise?: boolean } = {}): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  if (noise) {
    const image = ctx.createImageData(width, height);
    crypto.getRandomValues(image.data.subarray(0, Math.min(image.data.length, 65536)));
    for (let i = 65536; i < image.data.length; i += 65536) crypto.getRandomValues(image.data.subarray(i, Math.min(image.data.length, i + 65536)));
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
    ctx.putImageData(image, 0, 0);
  } else {
    ctx.fillStyle = '#f4f6fb';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#1f4fd1';
    ctx.fillRect(Math.floor(width / 10), Math.floor(height / 10), Math.floor(width / 3), Math.floor(height / 4));
    ctx.fillStyle = '#222';
    ctx.font = `${Math.max(10, Math.floor(height / 20))}px sans-serif`;
    ctx.fillText('Error 42: payment declined', Math.floor(width / 10), Math.floor(height / 2));
  }
  const blob = await canvas.convertToBlob({ type, quality: 0.9 });
  return new File([blob], name, { type: blob.type });
}

/** A minimal, well-formed PDF with `pages` pages. */
export function pdfFile(name: string, pages: number, declaredType = 'application/pdf'): File {
  const kids = Array.from({ length: pages }, (_, i) => `${3 + i} 0 R`).join(' ');
  let body = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n';
  body += `2 0 obj\n<< /Type /Pages /Kids [${kids}] /Count ${pages} >>\nendobj\n`;
  for (let i = 0; i < pages; i++) body += `${3 + i} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n`;
  body += 'trailer\n<< /Root 1 0 R >>\n%%EOF\n';
  return new File([body], name, { type: declaredType });
}

/** The first bytes of a Windows executable ("MZ"), under whatever name and type. */
export function exeFile(name: string, type = 'image/png'): File {
  const bytes = new Uint8Array(512);
  bytes.set([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00]);
  return new File([bytes], name, { type });
}

/** Random bytes of `size` under a PDF header (a "PDF" too big to send). */
export function bigPdf(name: string, size: number): File {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  return new File([bytes], name, { type: 'application/pdf' });
}

export function dataTransferOf(files: readonly File[]): DataTransfer {
  const dt = new DataTransfer();
  for (const file of files) dt.items.add(file);
  return dt;
}

/** Decodes a data URL's image and returns its media type and pixel size. */
export async function decodeDataUrl(dataUrl: string): Promise<{ mediaType: string; width: number; height: number; bytes: number }> {
  const match = /^data:([^;,]+);base64,/.exec(dataUrl);
  if (!match) throw new Error(`not a base64 data URL: ${dataUrl.slice(0, 40)}`);
  const blob = await (await fetch(dataUrl)).blob();
  const bitmap = await createImageBitmap(blob);
  const result = { mediaType: match[1]!, width: bitmap.width, height: bitmap.height, bytes: blob.size };
  bitmap.close();
  return result;
}

/** The bytes behind a data URL. */
export async function dataUrlBytes(dataUrl: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(dataUrl)).arrayBuffer());
}
