// Latin text and ids in the Arabic (right-to-left) interface, in real Chromium: what the visitor
// types takes its direction from its own text, an id inside Arabic keeps its characters in order,
// and text the host or the model provides is isolated from the interface's direction.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { parts, untilIdle } from '../support/dom.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';

const ENGLISH = 'How do I reset my password?';
const WITH_ID = 'أين طلبي A-1001؟';

async function arabicChat(attrs: { mode?: string; greeting?: string } = {}): Promise<IcSupportChat> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="height: 520px" lang="ar">
      <ic-support-chat persist="none" mode=${attrs.mode ?? 'inline'} greeting=${attrs.greeting ?? ''} .transport=${new ScriptedTransport()}></ic-support-chat>
    </div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

/** The characters of `element`'s text in the order they are drawn, left to right. */
function drawnOrder(element: Element): string {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const drawn: { x: number; char: string }[] = [];
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    for (let i = 0; i < text.length; i++) {
      if (text[i] === ' ') continue;
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (box.width > 0) drawn.push({ x: box.left + box.width / 2, char: text[i]! });
    }
  }
  return drawn
    .sort((a, b) => a.x - b.x)
    .map((d) => d.char)
    .join('');
}

describe('mixed-direction text in the Arabic interface', () => {
  it('the message box takes the direction of what is typed: English reads left to right, Arabic right to left', async () => {
    const el = await arabicChat();
    const { textarea, composer } = parts(el);
    expect(textarea.matches(':dir(rtl)'), 'empty, it follows the interface (and so does its placeholder)').to.equal(true);
    textarea.focus();
    await sendKeys({ type: ENGLISH });
    await composer.updateComplete;
    expect(textarea.value).to.equal(ENGLISH);
    expect(textarea.getAttribute('dir')).to.equal('auto');
    expect(textarea.matches(':dir(ltr)'), 'English is not shown as "?How do I…"').to.equal(true);
    el.store.setDraft(WITH_ID);
    await composer.updateComplete;
    expect(textarea.matches(':dir(rtl)')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('an id inside an Arabic question keeps its characters in order ("A-1001", never "1001-A")', async () => {
    const el = await arabicChat();
    const transport = el.transport as ScriptedTransport;
    const next = transport.nextRun();
    void el.send(WITH_ID);
    (await next).push(started('r1'), delta('r1', 'طلبك A-1001 في الطريق.'), completed('r1'));
    await untilIdle(el.store);
    await parts(el).list.updateComplete;
    const [asked] = parts(el).messages();
    await asked!.updateComplete;
    const text = asked!.shadowRoot!.querySelector('.plain')!;
    expect(text.matches(':dir(rtl)')).to.equal(true);
    const drawn = drawnOrder(text);
    expect(drawn).to.contain('A-1001');
    expect(drawn).not.to.contain('1001-A');
    // Right to left: the question mark is drawn leftmost, the first word rightmost.
    expect(drawn.startsWith('؟')).to.equal(true);
  });

  it('an English greeting in the Arabic interface reads left to right', async () => {
    const el = await arabicChat({ greeting: 'Hi! How can we help today?' });
    const greeting = parts(el).list.shadowRoot!.querySelector('[part="greeting"]')!;
    expect(greeting.matches(':dir(ltr)')).to.equal(true);
    expect(drawnOrder(greeting).endsWith('?')).to.equal(true);
  });

  it('the launcher’s preview of a reply is isolated: its id stays in order beside the Arabic interface', async () => {
    const el = await arabicChat({ mode: 'launcher' });
    const transport = el.transport as ScriptedTransport;
    const next = transport.nextRun();
    void el.send(WITH_ID);
    (await next).push(started('r1'), delta('r1', 'Order A-1001 has shipped.'), completed('r1'));
    await untilIdle(el.store);
    await el.updateComplete;
    const preview = el.shadowRoot!.querySelector('ic-launcher')!.shadowRoot!.querySelector<HTMLElement>('[part="preview"]')!;
    expect(preview.hidden).to.equal(false);
    expect(preview.getAttribute('dir')).to.equal('auto');
    expect(preview.matches(':dir(ltr)')).to.equal(true);
    expect(drawnOrder(preview)).to.equal('OrderA-1001hasshipped.');
  });
});

describe('ids in a right-to-left reply', () => {
  async function replyWith(text: string): Promise<{ el: IcSupportChat; reply: HTMLElement }> {
    const el = await arabicChat();
    el.style.width = '300px';
    const transport = el.transport as ScriptedTransport;
    const next = transport.nextRun();
    void el.send('أين طلبي؟');
    (await next).push(started('r1'), delta('r1', text), completed('r1'));
    await untilIdle(el.store);
    await parts(el).list.updateComplete;
    const reply = parts(el).messages().at(-1)!;
    await reply.updateComplete;
    return { el, reply };
  }

  it('keep their characters in order and on one line, also where the line would break inside them', async () => {
    const { el, reply } = await replyWith('سنرسل إليك رابطًا صالحًا لمدة 30 دقيقة لطلب A-10482. ورقم الفاتورة INV-2024/07 أيضًا.');
    const isolated = [...reply.shadowRoot!.querySelectorAll('.markdown bdi')];
    expect(isolated.map((b) => b.textContent)).to.deep.equal(['A-10482', 'INV-2024/07']);
    for (const bdi of isolated) {
      expect(drawnOrder(bdi), 'drawn left to right as written').to.equal(bdi.textContent);
      const lines = new Set([...bdi.getClientRects()].map((r) => Math.round(r.top)));
      expect(lines.size, `${bdi.textContent} on one line`).to.equal(1);
    }
    await expect(el).to.be.accessible();
  });

  it('leaves ids in left-to-right text as they are', async () => {
    const { reply } = await replyWith('Your order A-10482 ships today.');
    expect(reply.shadowRoot!.querySelectorAll('bdi').length).to.equal(0);
  });
});
