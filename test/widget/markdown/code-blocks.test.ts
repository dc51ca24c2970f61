// Issue 17, defect 8: code blocks use the whole row, show that they scroll, wrap on demand (a toggle
// with a pressed state), and take a host's highlighter, whose output only gives text and spans.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { ChatMessage } from '../../../src/widget/types.js';
import { parts, untilIdle } from '../support/dom.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';

const CODE = 'const answer = 42; // a long line of code that does not fit a phone-sized bubble at all, so it scrolls';
const reply = (text: string): ChatMessage => ({ id: 'm1', role: 'assistant', status: 'complete', created_at: 0, parts: [{ kind: 'text', text }] });

/** A chat (with `setup` applied) whose one reply is `text`, and that reply's element once drawn. */
async function chatReply(lang: string, text: string, setup: (el: IcSupportChat) => void = () => {}): Promise<IcMessage> {
  const transport = new ScriptedTransport();
  const el = await fixture<IcSupportChat>(html`<ic-support-chat persist="none" lang=${lang} .transport=${transport}></ic-support-chat>`);
  setup(el);
  await el.updateComplete;
  const next = transport.nextRun();
  void el.send('code?');
  const run = await next;
  run.push(started('r1'), delta('r1', text), completed('r1'));
  run.end();
  await untilIdle(el.store);
  const rendered = parts(el).messages()[1] as IcMessage;
  await rendered.updateComplete;
  return rendered;
}

async function message(text: string, width = 375): Promise<IcMessage> {
  const wrap = await fixture<HTMLDivElement>(html`<div style="width: ${width}px"><ic-message .message=${reply(text)}></ic-message></div>`);
  const el = wrap.querySelector<IcMessage>('ic-message')!;
  await el.updateComplete;
  return el;
}

describe('code blocks (issue 17)', () => {
  it('a reply with code takes the full row; prose alone keeps the narrower bubble', async () => {
    const withCode = await message('Try this:\n\n```js\n' + CODE + '\n```\n');
    const bubble = withCode.shadowRoot!.querySelector<HTMLElement>('[part="bubble"]')!;
    expect(bubble.getBoundingClientRect().width).to.be.closeTo(375, 1);
    const prose = await message('Just a short answer.');
    expect(prose.shadowRoot!.querySelector<HTMLElement>('[part="bubble"]')!.getBoundingClientRect().width).to.be.below(375 * 0.86);
  });

  it('long lines scroll with a visible affordance, and "Wrap lines" is a pressed/unpressed toggle; accessible', async () => {
    const el = await message('```js\n' + CODE + '\n```\n');
    const root = el.shadowRoot!;
    const pre = root.querySelector<HTMLElement>('.code-block pre')!;
    expect(pre.scrollWidth).to.be.above(pre.clientWidth);
    // The scroll shadows: gradients that show at a side with hidden code.
    expect(getComputedStyle(pre).backgroundImage).to.contain('radial-gradient');
    const wrap = root.querySelector<HTMLButtonElement>('[data-ic-wrap]')!;
    expect(wrap.textContent).to.equal('Wrap lines');
    expect(wrap.getAttribute('aria-pressed')).to.equal('false');
    await expect(el).to.be.accessible();
    wrap.click();
    expect(wrap.getAttribute('aria-pressed')).to.equal('true');
    expect(getComputedStyle(pre).whiteSpace).to.equal('pre-wrap');
    expect(pre.scrollWidth).to.be.at.most(pre.clientWidth);
    wrap.click();
    expect(wrap.getAttribute('aria-pressed')).to.equal('false');
    expect(getComputedStyle(pre).whiteSpace).to.equal('pre');
  });

  it('the code buttons speak the chat’s language', async () => {
    const rendered = await chatReply('fr', '```\nx = 1\n```\n');
    expect(rendered.shadowRoot!.querySelector('[data-ic-copy]')!.textContent).to.equal('Copier');
    expect(rendered.shadowRoot!.querySelector('[data-ic-wrap]')!.textContent).to.equal('Retour à la ligne');
  });

  it('highlight(code, language) colours the code; only its text and span classes are kept, and only if its text is the code', async () => {
    const calls: [string, string][] = [];
    const highlight = (code: string, language: string) => {
      calls.push([code, language]);
      if (code.startsWith('throw')) throw new Error('no grammar');
      if (code.startsWith('fake')) return '<span class="hljs-keyword">something else</span>';
      return code.replace(/^const/, '<span class="hljs-keyword" style="color:red" onclick="window.__hlPwned=1">const</span><img src=x onerror="window.__hlPwned=1">');
    };
    const rendered = await chatReply('en', '```ts\nconst a = 1\n```\n\n```\nthrow x\n```\n\n```\nfake y\n```\n', (el) => (el.highlight = highlight));
    const codes = [...rendered.shadowRoot!.querySelectorAll('pre code')];
    expect(calls).to.deep.include(['const a = 1\n', 'ts']);
    const keyword = codes[0]!.querySelector('span')!;
    expect(keyword.className).to.equal('hljs-keyword');
    expect(keyword.getAttribute('style')).to.equal(null);
    expect(keyword.getAttribute('onclick')).to.equal(null);
    expect(codes[0]!.querySelector('img')).to.equal(null);
    expect(codes[0]!.textContent).to.equal('const a = 1\n');
    expect(getComputedStyle(keyword).fontWeight).to.equal('600');
    // A highlighter that throws, or changes the text, leaves the block plain.
    expect(codes[1]!.textContent).to.equal('throw x\n');
    expect(codes[2]!.textContent).to.equal('fake y\n');
    expect(codes[2]!.querySelector('span')).to.equal(null);
    expect((window as unknown as { __hlPwned?: number }).__hlPwned).to.equal(undefined);
    await expect(rendered).to.be.accessible();
  });
});
