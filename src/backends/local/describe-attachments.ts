import { formatFileSize } from '../../protocol/file-size.js';
import type { FileRecord } from './file-store.js';
import { imageSize } from './image-size.js';
import { setImmediate as nextTurnOfLoop } from 'node:timers/promises';
import { createPdfBudget, pdfPageCount, type PdfBudgetOptions } from './pdf-pages.js';

/** The widget's own size format ("133.5 kB"), so the reply and the file's chip agree. */
export function formatBytes(n: number): string {
  return formatFileSize(n, 'en');
}

/** Markdown escaping for a file name shown in a reply (it comes from the visitor). */
function escapeName(name: string): string {
  return name.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/**
 * One line per received attachment: name, what it is (dimensions or page count) and size. The
 * PDFs of the turn share one page-counting budget, and other requests get the event loop between
 * files.
 */
export async function describeAttachments(files: readonly { record: FileRecord; bytes: Uint8Array }[], pdfBudget: PdfBudgetOptions = {}): Promise<string> {
  const budget = createPdfBudget(pdfBudget);
  const lines: string[] = [];
  for (const [i, { record, bytes }] of files.entries()) {
    const name = record.filename ? escapeName(record.filename) : `attachment ${i + 1}`;
    let what: string;
    if (record.media_type.startsWith('image/')) {
      const size = imageSize(bytes);
      const kind = record.media_type.slice('image/'.length).toUpperCase();
      what = size ? `${kind} image, ${size.width} × ${size.height} px` : `${kind} image`;
    } else if (record.media_type === 'application/pdf') {
      await nextTurnOfLoop();
      const pages = budget.gaveUp ? null : pdfPageCount(bytes, budget);
      if (budget.gaveUp) what = 'PDF, page count unknown';
      else what = pages === null ? 'PDF' : `PDF, ${pages} page${pages === 1 ? '' : 's'}`;
    } else {
      what = record.media_type;
    }
    lines.push(`- **${name}**: ${what}, ${formatBytes(record.size)}`);
  }
  const count = files.length === 1 ? 'one attachment' : `${files.length} attachments`;
  return `I received ${count}:\n\n${lines.join('\n')}\n\n`;
}
