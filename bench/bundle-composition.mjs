// What each part of the standalone bundle costs, gzipped. A part's cost is its marginal size: the gzip
// size of the whole file minus the gzip size of the same file with that part's bytes blanked out
// (found through the source map). Gzipping a part on its own would overstate it, since in the bundle
// it shares a dictionary with everything else; marginal sizes are what removing the part would save.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';

/** Parts, first match wins: [label, test on the source path]. */
export const PARTS = [
  ['Lit (lit, @lit/context)', (s) => /node_modules\/(lit|lit-html|lit-element|@lit)\//.test(s)],
  ['marked', (s) => s.includes('node_modules/marked/')],
  ['styles (*.styles.ts, theme)', (s) => /\.styles\.ts$|\/styles\//.test(s)],
  ['protocol client (src/protocol)', (s) => s.includes('/src/protocol/')],
  ['chat state (src/widget/state)', (s) => s.includes('/src/widget/state/')],
  ['Markdown renderer (src/widget/markdown)', (s) => s.includes('/src/widget/markdown/')],
  ['attachments (picker, drop, paste, downscale, chips)', (s) => /\/src\/widget\/(attachments|attachment-chip)\//.test(s)],
  ['tool calls and approvals', (s) => /\/src\/widget\/(tool-call|approval)\//.test(s)],
  ['launcher', (s) => s.includes('/src/widget/launcher/')],
  ['English strings and i18n', (s) => s.includes('/src/widget/i18n/')],
  ['elements (chat, list, message, composer) and the rest', () => true],
];

const gzipLength = (text) => gzipSync(text, { level: 9 }).length;

/** Marginal gzip bytes per part of `file` (which must have `file.map` beside it). */
export function composition(file) {
  const code = readFileSync(file, 'utf8');
  const consumer = new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);

  // Every generated segment, in order, with the part its source belongs to.
  const segments = [];
  consumer.eachMapping((m) => {
    segments.push({ start: lineStarts[m.generatedLine - 1] + m.generatedColumn, source: m.source ?? '' });
  });
  segments.sort((a, b) => a.start - b.start);
  const owner = new Int16Array(code.length).fill(-1);
  for (let i = 0; i < segments.length; i++) {
    const { start, source } = segments[i];
    const end = i + 1 < segments.length ? segments[i + 1].start : code.length;
    const part = PARTS.findIndex(([, test]) => test(source));
    owner.fill(part, start, end);
  }

  const whole = gzipLength(code);
  const rows = PARTS.map(([label], part) => {
    let raw = 0;
    const blanked = new Array(code.length);
    for (let i = 0; i < code.length; i++) {
      if (owner[i] === part) {
        raw++;
        blanked[i] = code[i] === '\n' ? '\n' : ' ';
      } else blanked[i] = code[i];
    }
    return { part: label, rawBytes: raw, gzipBytes: raw ? whole - gzipLength(blanked.join('')) : 0 };
  });
  return { wholeGzipBytes: whole, parts: rows };
}
