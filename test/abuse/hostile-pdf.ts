// PDFs built to make page counting expensive, from the report: a small file whose object
// stream claims a huge /N and /First over megabytes of inflated header.
import { deflateSync } from 'node:zlib';

/** A PDF around one FlateDecode object stream with the given dictionary values and inflated data. */
export function pdfWithObjectStream(dict: { n: number; first: number }, inflated: Buffer, tag = ''): Uint8Array {
  const data = deflateSync(inflated, { level: 9 }).toString('latin1');
  const body =
    `%PDF-1.7\n%${tag}\n5 0 obj\n<< /Type /ObjStm /N ${dict.n} /First ${dict.first} /Filter /FlateDecode /Length ${data.length} >>\nstream\n` +
    `${data}\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

let cached: Buffer | undefined;

/**
 * The PDF: ~32 KB on the wire, an object stream inflating to 32 MB of "1 0 " pairs that
 * /N and /First say are all header. `tag` makes each copy's bytes differ.
 */
export function hugeHeaderPdf(tag = ''): Uint8Array {
  const pairs = 8_000_000;
  cached ??= Buffer.from('1 0 '.repeat(pairs), 'latin1');
  return pdfWithObjectStream({ n: pairs, first: cached.length }, cached, tag);
}
