import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { StreamingMarkdown, renderMarkdown } from '../../../src/widget/markdown/streaming-markdown.js';
import { XSS_VECTORS } from './xss-vectors.js';

declare global {
  interface Window {
    __xss?: boolean;
  }
}

const SAFE_TAGS = new Set([
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'caption',
  'code',
  'dd',
  'del',
  'details',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
  'var',
  'div',
  'button',
]);
const SAFE_ATTRS = new Set([
  'href',
  'title',
  'alt',
  'src',
  'align',
  'start',
  'colspan',
  'rowspan',
  'open',
  'class',
  'lang',
  'dir',
  'target',
  'rel',
  'loading',
  'decoding',
  'referrerpolicy',
  'tabindex',
  'type',
  'aria-label',
  'data-ic-copy',
  // The wrap toggle's, set by us on our own button (see the button check below).
  'aria-pressed',
  'data-ic-wrap',
]);

/** Walks `root` and lists everything that should never be there. */
function findDanger(root: Element): string[] {
  const problems: string[] = [];
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const tag = el.localName;
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push(`foreign element ${tag}`);
    if (!SAFE_TAGS.has(tag)) problems.push(`element ${tag}`);
    // The only buttons allowed are the Copy and Wrap buttons we build ourselves, outside the sanitised content.
    if (tag === 'button' && !((el.hasAttribute('data-ic-copy') || el.hasAttribute('data-ic-wrap')) && el.parentElement?.className === 'code-header'))
      problems.push('foreign button');
    for (const attr of Array.from(el.attributes)) {
      if (!SAFE_ATTRS.has(attr.name) || attr.name.startsWith('on')) problems.push(`attribute ${attr.name} on ${tag}`);
    }
    const href = el.getAttribute('href');
    if (href !== null && !/^(https?|mailto):/.test(new URL(href, 'https://unused.invalid/').protocol)) problems.push(`href ${href}`);
    if (href !== null && !/^(https?:\/\/|mailto:)/i.test(href)) problems.push(`unresolved href ${href}`);
    const src = el.getAttribute('src');
    if (src !== null && !src.startsWith('https://')) problems.push(`src ${src}`);
  }
  return problems;
}

describe('Markdown XSS corpus (real Chromium)', () => {
  let originalAlert: typeof window.alert;
  let alerts = 0;
  before(() => {
    originalAlert = window.alert;
    window.alert = () => {
      alerts++;
      window.__xss = true;
    };
  });
  after(() => {
    window.alert = originalAlert;
  });
  beforeEach(() => {
    window.__xss = false;
    alerts = 0;
  });

  it('has at least 60 vectors', () => {
    expect(XSS_VECTORS.length).to.be.at.least(60);
  });

  XSS_VECTORS.forEach((vector, i) => {
    it(`#${i} one-shot and streamed: ${vector.slice(0, 70)}`, async () => {
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const once = document.createElement('div');
      host.append(once);
      once.append(renderMarkdown(vector, { baseUrl: 'https://docs.example.com/' }));

      // Streamed character by character: every intermediate state is live in the document too.
      const streamed = document.createElement('div');
      host.append(streamed);
      const md = new StreamingMarkdown(streamed);
      for (const ch of vector) {
        md.append(ch);
        md.flushFrame();
        expect(findDanger(streamed), `mid-stream: ${streamed.innerHTML}`).to.deep.equal([]);
      }
      md.finish();

      // Give anything that might have been planted (onerror, onload, …) a chance to run.
      for (const el of Array.from(host.querySelectorAll<HTMLElement>('*'))) {
        el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
        el.dispatchEvent(new FocusEvent('focus'));
      }
      await aTimeout(30);
      expect(window.__xss, 'a payload ran').to.equal(false);
      expect(alerts).to.equal(0);
      expect(findDanger(once), once.innerHTML).to.deep.equal([]);
      expect(findDanger(streamed), streamed.innerHTML).to.deep.equal([]);
      // Clobbering: nothing named or id'd leaks onto document/window.
      expect(host.querySelector('[id], [name]')).to.equal(null);
      md.destroy();
    });
  });

  it('never made the browser fetch an image that is not https (not even mid-stream)', () => {
    const fetched = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const bad = fetched.filter((e) => e.initiatorType === 'img' && !e.name.startsWith('https://')).map((e) => e.name);
    expect(bad).to.deep.equal([]);
  });

  it('drops relative links without a base, resolves them with one, and marks links external', () => {
    const text = '[rel](/help) [abs](https://example.com/a) [mail](mailto:help@example.com) [proto](//evil.example/x)';
    const bare = document.createElement('div');
    bare.append(renderMarkdown(text));
    expect(Array.from(bare.querySelectorAll('a')).map((a) => a.getAttribute('href'))).to.deep.equal(['https://example.com/a', 'mailto:help@example.com']);
    expect(bare.textContent).to.contain('rel');
    const based = document.createElement('div');
    based.append(renderMarkdown(text, { baseUrl: 'https://docs.example.com/guide/' }));
    const hrefs = Array.from(based.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(hrefs).to.deep.equal(['https://docs.example.com/help', 'https://example.com/a', 'mailto:help@example.com', 'https://evil.example/x']);
    for (const a of Array.from(based.querySelectorAll('a'))) {
      expect(a.getAttribute('target')).to.equal('_blank');
      expect(a.getAttribute('rel')).to.equal('noopener noreferrer');
    }
  });

  it('keeps https images, drops others, and drops all with images:false', () => {
    const text = '![a](https://example.com/a.png) ![b](http://example.com/b.png) ![](https://example.com/c.png)';
    const on = document.createElement('div');
    on.append(renderMarkdown(text));
    expect(Array.from(on.querySelectorAll('img')).map((i) => i.getAttribute('src'))).to.deep.equal(['https://example.com/a.png', 'https://example.com/c.png']);
    expect(on.textContent).to.contain('b');
    const off = document.createElement('div');
    off.append(renderMarkdown(text, { images: false }));
    expect(off.querySelector('img')).to.equal(null);
    expect(off.textContent).to.contain('a');
  });

  it('never parses a reply as HTML: no HTML parser runs for a reply without named references', () => {
    const calls: string[] = [];
    const parse = DOMParser.prototype.parseFromString;
    const inner = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML')!;
    const contextual = Range.prototype.createContextualFragment;
    DOMParser.prototype.parseFromString = function (this: DOMParser, ...args: Parameters<DOMParser['parseFromString']>) {
      calls.push('DOMParser');
      return parse.apply(this, args);
    };
    Object.defineProperty(Element.prototype, 'innerHTML', {
      ...inner,
      set(this: Element, value: string) {
        calls.push('innerHTML');
        inner.set!.call(this, value);
      },
    });
    Range.prototype.createContextualFragment = function (this: Range, html: string) {
      calls.push('createContextualFragment');
      return contextual.call(this, html);
    };
    try {
      const div = document.createElement('div');
      for (const vector of XSS_VECTORS.filter((v) => !/&[A-Za-z]\w*;/.test(v))) div.append(renderMarkdown(vector, { baseUrl: 'https://docs.example.com/' }));
      expect(div.childNodes.length).to.be.greaterThan(0);
      expect(calls).to.deep.equal([]);
      // A named reference is decoded by an inert parse of that reference alone.
      div.replaceChildren(renderMarkdown('&copy; &amp; &#169;'));
      expect(div.textContent).to.equal('© & ©');
      expect(calls).to.deep.equal(['DOMParser']);
    } finally {
      DOMParser.prototype.parseFromString = parse;
      Object.defineProperty(Element.prototype, 'innerHTML', inner);
      Range.prototype.createContextualFragment = contextual;
    }
  });

  it('shows raw HTML as text, but for formatting tags without attributes', () => {
    const div = document.createElement('div');
    div.append(renderMarkdown('Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, a<br>b, <b class="x">no</b> <!-- hidden -->\n\n<div>block</div>\n'));
    expect(div.querySelectorAll('kbd').length).to.equal(2);
    expect(div.querySelector('sub')?.textContent).to.equal('2');
    expect(div.querySelector('br')).not.to.equal(null);
    expect(div.querySelector('b, div')).to.equal(null);
    expect(div.textContent).to.contain('<b class="x">no</b>');
    expect(div.textContent).to.contain('<div>block</div>');
    expect(div.textContent).not.to.contain('hidden');
  });

  it('strips author classes that could imitate our own parts', () => {
    const div = document.createElement('div');
    div.append(renderMarkdown('<span class="pending-link">x</span> <div class="code-block">y</div>\n\n```py\nz\n```'));
    expect(div.querySelectorAll('[class]').length).to.equal(div.querySelectorAll('.code-block, .code-header, .code-lang, .code-action, code.language-py').length);
    expect(div.querySelector('span.pending-link')).to.equal(null);
  });
});
