import { expect, fixture, html } from '@open-wc/testing';
import { StreamingMarkdown, renderMarkdown } from '../../../src/widget/markdown/streaming-markdown.js';
import { markdownStyles } from '../../../src/widget/markdown/markdown.styles.js';
import { CHUNK_BLOCKS } from '../../../src/widget/markdown/chunks.js';
import { INLINE_STREAMING, SAMPLES } from './samples.js';

const BASE = 'https://docs.example.com/help/';

function oneShot(text: string): string {
  const div = document.createElement('div');
  div.append(renderMarkdown(text, { baseUrl: BASE }));
  return div.innerHTML;
}

/** Streams `text` in deltas of the given sizes (cycled), rendering a frame after each delta. */
function stream(text: string, sizes: number[], onFrame?: (md: StreamingMarkdown, div: HTMLDivElement) => void): HTMLDivElement {
  const div = document.createElement('div');
  const md = new StreamingMarkdown(div, { baseUrl: BASE });
  let at = 0;
  let k = 0;
  while (at < text.length) {
    const n = sizes[k++ % sizes.length]!;
    md.append(text.slice(at, at + n));
    at += n;
    md.flushFrame();
    onFrame?.(md, div);
  }
  md.finish();
  md.destroy();
  return div;
}

describe('StreamingMarkdown: incremental DOM equals the one-shot DOM', () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    it(`${name}: char by char and in uneven deltas`, () => {
      const expected = oneShot(text);
      expect(stream(text, [1]).innerHTML).to.equal(expected);
      expect(stream(text, [3, 1, 7, 2, 13, 5]).innerHTML).to.equal(expected);
      expect(stream(text, [text.length]).innerHTML).to.equal(expected);
    });

    it(`${name}: at every prefix`, function () {
      this.timeout(120000);
      for (let p = 0; p <= text.length; p++) {
        const prefix = text.slice(0, p);
        const sizes = [1 + (p % 4), 1 + (p % 9), 2];
        const got = stream(prefix, sizes).innerHTML;
        if (got !== oneShot(prefix)) {
          expect(got, `prefix ${p}: ${JSON.stringify(prefix)}`).to.equal(oneShot(prefix));
        }
      }
    });
  }

  it('catches up on a large burst over several bounded frames, then equals the one-shot', function () {
    this.timeout(60000);
    const big = Array.from({ length: 24 }, () => Object.values(SAMPLES).join('\n\n')).join('\n\n');
    const expected = oneShot(big);
    const div = document.createElement('div');
    const md = new StreamingMarkdown(div, { baseUrl: BASE });
    md.append(big);
    md.flushFrame();
    const firstFrame = div.textContent!.length;
    let frames = 1;
    while (md.stats.renders < 500) {
      const before = md.stats.renders;
      md.flushFrame();
      if (md.stats.renders === before) break; // nothing left to catch up
      frames++;
    }
    expect(firstFrame, 'the first frame shows part of the burst only').to.be.lessThan(big.length / 2);
    expect(frames).to.be.greaterThan(1);
    md.finish();
    expect(div.innerHTML).to.equal(expected);
    // And fed in big uneven pieces, frame by frame:
    expect(stream(big, [997, 4099, 31])).to.satisfy((d: HTMLDivElement) => d.innerHTML === expected);
  });

  it('complete() finishes a burst in bounded frames and then equals the one-shot', async function () {
    this.timeout(60000);
    const big = Array.from({ length: 24 }, () => Object.values(SAMPLES).join('\n\n')).join('\n\n');
    const el = await fixture<HTMLDivElement>(html`<div></div>`);
    const md = new StreamingMarkdown(el, { baseUrl: BASE });
    md.append(big);
    await md.complete();
    expect(md.stats.renders).to.be.greaterThan(1);
    expect(el.innerHTML).to.equal(oneShot(big));
    md.destroy();
  });

  it('a definition arriving after settled blocks re-renders them', () => {
    const text = 'Read [the guide].\n\nMore text.\n\nEven more.\n\nAnd more.\n\n[the guide]: https://example.com/guide\n';
    const div = stream(text, [1]);
    expect(div.querySelector('a')?.getAttribute('href')).to.equal('https://example.com/guide');
    expect(div.innerHTML).to.equal(oneShot(text));
  });

  it('setText renders a restored message at once', async () => {
    const el = await fixture<HTMLDivElement>(html`<div></div>`);
    const md = new StreamingMarkdown(el);
    md.append('old text');
    md.setText(SAMPLES.mixed!);
    expect(md.text).to.equal(SAMPLES.mixed);
    const div = document.createElement('div');
    div.append(renderMarkdown(SAMPLES.mixed!));
    expect(el.innerHTML).to.equal(div.innerHTML);
    md.destroy();
  });

  it('renders at most once per animation frame however many deltas arrive', async () => {
    const el = await fixture<HTMLDivElement>(html`<div></div>`);
    const md = new StreamingMarkdown(el);
    await new Promise(requestAnimationFrame);
    for (const ch of SAMPLES.mixed!) md.append(ch);
    expect(md.stats.renders).to.equal(0);
    // One render per frame at most: the first frame renders everything, or (a CPU too busy to
    // settle it all within the frame's budget) the next frame catches up, never more than one each.
    for (let frames = 1; frames <= 3; frames++) {
      await new Promise(requestAnimationFrame);
      expect(md.stats.renders).to.be.within(frames === 1 ? 0 : 1, frames);
    }
    await md.idle();
    expect(md.text).to.equal(SAMPLES.mixed);
    md.destroy();
  });

  it('destroy cancels the pending frame', async () => {
    const el = await fixture<HTMLDivElement>(html`<div></div>`);
    const md = new StreamingMarkdown(el);
    md.append('hello');
    md.destroy();
    await new Promise(requestAnimationFrame);
    await new Promise(requestAnimationFrame);
    expect(md.stats.renders).to.equal(0);
    expect(el.childNodes.length).to.equal(0);
  });
});

describe('StreamingMarkdown: streaming states look finished', () => {
  it('never shows raw emphasis, code or link syntax, nor a partial href', () => {
    const finalHrefs = new Set(['https://example.com/page']);
    stream(INLINE_STREAMING, [1], (_md, div) => {
      const text = div.textContent ?? '';
      expect(text, text).not.to.match(/\*|`|~~|\]\(|\[|!\[/);
      for (const a of Array.from(div.querySelectorAll('a'))) expect(finalHrefs.has(a.getAttribute('href')!), a.outerHTML).to.equal(true);
      for (const img of Array.from(div.querySelectorAll('img'))) expect(img.getAttribute('src')).to.equal('https://example.com/l.png');
    });
  });

  it('shows a half-written link as a pending link', () => {
    const div = document.createElement('div');
    const md = new StreamingMarkdown(div);
    md.append('Open [the login page](https://exa');
    md.flushFrame();
    const pending = div.querySelector('span.pending-link');
    expect(pending?.textContent).to.equal('the login page');
    expect(div.querySelector('a')).to.equal(null);
    md.finish();
    expect(div.querySelector('.pending-link')).to.equal(null);
  });

  it('renders an unclosed fence as code while it streams, with a label and Copy button', () => {
    const div = document.createElement('div');
    const md = new StreamingMarkdown(div);
    md.append('Run:\n\n```sh\nnpm install\n``');
    md.flushFrame();
    const block = div.querySelector('.code-block');
    expect(block?.querySelector('.code-lang')?.textContent).to.equal('sh');
    expect(block?.querySelector('code')?.textContent).to.equal('npm install\n');
    expect(block?.querySelector('button[data-ic-copy]')?.getAttribute('aria-label')).to.equal('Copy code');
  });

  it('keeps reply headings under the chat heading (none above h3), sized by their Markdown level', () => {
    const div = document.createElement('div');
    div.className = 'markdown';
    const md = new StreamingMarkdown(div);
    md.append('# One\n\n## Two\n\n### Three\n\n#### Four\n\n###### Six\n\n<h1 title="t">Raw</h1>\n\nSetext\n---\n');
    md.finish();
    const headings = [...div.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => `${h.tagName} ${h.className} ${h.textContent}`);
    expect(headings).to.deep.equal(['H3 heading-1 One', 'H3 heading-2 Two', 'H3 heading-3 Three', 'H4 heading-4 Four', 'H6 heading-6 Six', 'H3 heading-2 Setext']);
    // Raw HTML is never parsed: a raw heading reads as the text the reply wrote.
    expect(div.textContent).to.contain('<h1 title="t">Raw</h1>');
  });

  it('hides a lone list marker and a half-typed tag', () => {
    for (const text of ['Intro\n-', 'Intro\n\n1.', 'Some text <di']) {
      const div = document.createElement('div');
      const md = new StreamingMarkdown(div);
      md.append(text);
      md.flushFrame();
      expect(div.querySelector('h1, h2, h3, h4, h5, h6, li'), text).to.equal(null);
      expect(div.textContent, text).not.to.contain('<');
    }
  });

  it('completes a table whose delimiter row is being typed', () => {
    const div = document.createElement('div');
    const md = new StreamingMarkdown(div);
    md.append('| a | b |\n|--');
    md.flushFrame();
    expect(div.querySelectorAll('th').length).to.equal(2);
  });

  it('is accessible, with tables in a focusable scrolling region', async () => {
    const el = await fixture<HTMLDivElement>(html`<div></div>`);
    const md = new StreamingMarkdown(el);
    md.setText(SAMPLES.mixed! + '\n' + SAMPLES.table!);
    const wrap = el.querySelector('.table-wrap');
    expect(wrap?.getAttribute('tabindex')).to.equal('0');
    expect(wrap?.firstElementChild?.tagName).to.equal('TABLE');
    await expect(el).to.be.accessible();
    md.destroy();
  });

  it('copies a code block with its Copy button', async () => {
    const el = await fixture<HTMLDivElement>(html`<div></div>`);
    const md = new StreamingMarkdown(el);
    md.setText('```js\nconst a = 1;\n```\n');
    const button = el.querySelector<HTMLButtonElement>('button[data-ic-copy]')!;
    let copied: string | undefined;
    const clipboard = navigator.clipboard;
    const original = clipboard.writeText;
    clipboard.writeText = (t: string) => ((copied = t), Promise.resolve());
    try {
      button.click();
      await Promise.resolve();
      await Promise.resolve();
    } finally {
      clipboard.writeText = original;
    }
    expect(copied).to.equal('const a = 1;\n');
    expect(button.textContent).to.equal('Copied');
    md.destroy();
  });
});

describe('StreamingMarkdown: a long reply is drawn in groups of blocks', () => {
  // Headings (with a top margin) among paragraphs, lists, quotes, code and tables: 20 parts of 8
  // blocks, so a heading comes just where a group would start (every 32 blocks).
  const LONG = Array.from({ length: 20 }, (_, i) =>
    [
      `## Part ${i + 1}`,
      `Some *text* for part ${i + 1}, see [the guide][g].`,
      '- one\n- two',
      '> a quote',
      'More text.',
      i % 2 ? '```js\nlet x = 1;\n```' : '| a | b |\n|---|---|\n| 1 | 2 |',
      'The end of the part.',
      '1. first\n2. second',
    ].join('\n\n'),
  ).join('\n\n');
  const WITH_DEF = `${LONG}\n\n[g]: https://docs.example.com/guide`;

  it('groups the blocks past the first ones, streamed as one-shot, each group starting with no top margin', () => {
    const expected = oneShot(WITH_DEF);
    const div = stream(WITH_DEF, [7, 3, 11, 40]);
    expect(div.innerHTML).to.equal(expected);
    const top = [...div.children];
    const groups = top.filter((c) => c.classList.contains('chunk'));
    expect(
      top.slice(0, CHUNK_BLOCKS).some((c) => c.classList.contains('chunk')),
      'the first blocks are the reply’s own',
    ).to.equal(false);
    expect(groups.length).to.be.greaterThan(2);
    expect(
      top.slice(CHUNK_BLOCKS + 1).every((c) => c.classList.contains('chunk')),
      'after the first group, only groups',
    ).to.equal(true);
    for (const group of groups) {
      expect(['P', 'UL', 'OL', 'BLOCKQUOTE', 'DIV'], 'a group starts where a block has no top margin').to.include(group.firstElementChild!.tagName);
      if (group !== groups.at(-1)) expect(group.children.length).to.be.at.least(CHUNK_BLOCKS);
    }
    expect(div.querySelectorAll('a[href="https://docs.example.com/guide"]'), 'a definition arriving last reaches links in every group').to.have.length(20);
  });

  it('lays a grouped reply out exactly as the same blocks without groups', async () => {
    const host = await fixture<HTMLDivElement>(html`<div style="width: 480px"></div>`);
    const root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [markdownStyles.styleSheet!];
    const grouped = document.createElement('div');
    grouped.className = 'markdown';
    grouped.append(renderMarkdown(WITH_DEF));
    const flat = grouped.cloneNode(true) as HTMLDivElement;
    for (const group of [...flat.querySelectorAll(':scope > .chunk')]) group.replaceWith(...group.childNodes);
    root.append(grouped, flat);
    expect(grouped.querySelector('.chunk')).to.not.equal(null);
    const tops = (el: HTMLElement) => {
      const origin = el.getBoundingClientRect().top;
      return [...el.querySelectorAll('p, h3, h4, li, blockquote, pre, table')].map((b) => Math.round((b.getBoundingClientRect().top - origin) * 10) / 10);
    };
    expect(grouped.getBoundingClientRect().height).to.equal(flat.getBoundingClientRect().height);
    expect(tops(grouped)).to.deep.equal(tops(flat));
    expect(getComputedStyle(grouped.querySelector('.chunk')!).contain).to.equal('layout');
  });

  it('a short reply has no groups', () => {
    const div = stream(SAMPLES.mixed!, [5]);
    expect(div.querySelector('.chunk')).to.equal(null);
  });
});
