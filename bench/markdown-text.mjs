// Deterministic, realistic assistant-style Markdown of a given size: headings, paragraphs with
// emphasis, links and inline code, tight and loose lists (some nested, some ordered), code blocks,
// tables, blockquotes and reference links.
const WORDS = (
  'account billing invoice plan seats team admin password reset login email settings profile export ' +
  'import data report dashboard widget integration webhook token limit quota usage support ticket ' +
  'order shipping refund payment card address region language browser cache cookie session device ' +
  'mobile desktop sync backup restore update version release feature option default custom'
).split(' ');

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export function generateMarkdown(targetBytes, seed = 42) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentence = () => {
    const parts = [];
    const n = 8 + Math.floor(r() * 12);
    for (let i = 0; i < n; i++) {
      const w = pick(WORDS);
      const roll = r();
      if (roll < 0.05) parts.push(`**${w} ${pick(WORDS)}**`);
      else if (roll < 0.09) parts.push(`*${w}*`);
      else if (roll < 0.13) parts.push(`\`${w}()\``);
      else if (roll < 0.16) parts.push(`[${w} guide](https://help.example.com/${w}/${Math.floor(r() * 1000)})`);
      else if (roll < 0.17) parts.push(`[${w}][ref${Math.floor(r() * 5)}]`);
      else parts.push(w);
    }
    const s = parts.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  };
  const paragraph = () => Array.from({ length: 2 + Math.floor(r() * 4) }, sentence).join(' ');
  const blocks = [];
  let size = 0;
  let section = 0;
  const push = (b) => {
    blocks.push(b);
    size += b.length + 2;
  };
  while (size < targetBytes) {
    const roll = r();
    if (roll < 0.08) push(`## ${++section}. ${words(3).replace(/^./, (c) => c.toUpperCase())}`);
    else if (roll < 0.45) push(paragraph());
    else if (roll < 0.55) push(Array.from({ length: 3 + Math.floor(r() * 4) }, () => `- ${sentence()}`).join('\n'));
    else if (roll < 0.6) push(Array.from({ length: 3 + Math.floor(r() * 3) }, (_, i) => `${i + 1}. ${sentence()}\n   - ${words(5)}\n   - ${words(4)}`).join('\n'));
    else if (roll < 0.65) push(Array.from({ length: 3 }, () => `- ${sentence()}`).join('\n\n'));
    else if (roll < 0.75) {
      const lines = Array.from({ length: 4 + Math.floor(r() * 10) }, () => `  ${pick(WORDS)}.${pick(WORDS)}(${JSON.stringify(pick(WORDS))}, ${Math.floor(r() * 100)});`);
      push('```js\nasync function ' + pick(WORDS) + 'Handler(req) {\n' + lines.join('\n') + '\n}\n```');
    } else if (roll < 0.82) {
      const rows = Array.from({ length: 3 + Math.floor(r() * 5) }, () => `| ${pick(WORDS)} | ${Math.floor(r() * 100)} | ${words(4)} |`);
      push(`| Name | Count | Notes |\n|---|---:|---|\n${rows.join('\n')}`);
    } else if (roll < 0.88) push(`> **Note:** ${sentence()}\n> ${sentence()}`);
    else push(paragraph());
  }
  push(Array.from({ length: 5 }, (_, i) => `[ref${i}]: https://help.example.com/ref/${i} "Reference ${i}"`).join('\n'));
  return blocks.join('\n\n') + '\n';
}

/** Splits `text` into exactly `count` deltas of uneven sizes (like tokens). */
export function splitDeltas(text, count, seed = 7) {
  const r = rng(seed);
  const weights = Array.from({ length: count }, () => 0.3 + r() * 1.4);
  const total = weights.reduce((a, b) => a + b, 0);
  const out = [];
  let at = 0;
  let acc = 0;
  for (let i = 0; i < count; i++) {
    acc += weights[i];
    const end = i === count - 1 ? text.length : Math.round((acc / total) * text.length);
    out.push(text.slice(at, Math.max(end, at)));
    at = Math.max(end, at);
  }
  return out;
}
