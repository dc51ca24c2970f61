// A long reply must not change size when it completes. It once did: finished blocks skipped rendering
// off screen (content-visibility, since dropped for accessibility), and a block that had never
// remembered its size collapsed to a placeholder, so the reply lost thousands of pixels at once and a
// reader scrolled up in it saw the text jump.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcMessageList } from '../../../src/widget/message-list/message-list.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';
import { nextFrame, untilIdle, waitUntil } from '../support/dom.js';

/** Blocks several lines tall, so a collapsed placeholder is visibly smaller than the block. */
function block(i: number): string {
  return i % 2
    ? '```js\n' + `const step = ${i};\nconsole.log(step);\nconsole.log(step + 1);\nconsole.log(step + 2);\n` + '```\n\n'
    : `Paragraph ${i}: ${'a sentence long enough to wrap onto more lines in a narrow transcript. '.repeat(4)}\n\n`;
}

async function painted(el: IcMessageList): Promise<void> {
  await el.updateComplete;
  await el.shadowRoot!.querySelector('ic-message:last-of-type')!.updateComplete;
  await nextFrame();
  await nextFrame();
}

describe('<ic-message-list>: a long reply completing', () => {
  it("keeps its height and the reader's view when the reply completes", async () => {
    const transport = new ScriptedTransport();
    const store = new ChatStore({ transport, warn: () => {} });
    const el = await fixture<IcMessageList>(html`<ic-message-list style="display:flex;height:300px;width:420px" .store=${store}></ic-message-list>`);
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    void store.send('Tell me a lot');
    const run = transport.runs[0]!;
    run.push(started('r'));
    await el.updateComplete;
    // Delta by delta over several frames, as a stream arrives (the reply is drawn mid-stream).
    for (let i = 0; i < 40; i++) {
      run.push(delta('r', block(i)));
      if (i % 4 === 0) await painted(el);
    }
    await painted(el);
    const message = el.shadowRoot!.querySelector('ic-message:last-of-type')!;
    const bubble = message.shadowRoot!.querySelector<HTMLElement>('[part="bubble"]')!;
    const markdown = message.shadowRoot!.querySelector<HTMLElement>('.markdown')!;
    // A busy machine draws a backlog over several frames: measure once all of it is drawn.
    await waitUntil(() => markdown.textContent!.includes('const step = 39;'), 'the whole reply is drawn', { timeout: 5000 });
    await painted(el);
    expect(markdown.classList.contains('streaming'), 'drawn as a stream').to.be.true;
    expect(markdown.children.length).to.be.greaterThan(30);

    // The reader scrolls up into the middle of the reply to re-read it.
    log.scrollTop = Math.round(log.scrollHeight / 2);
    await new Promise((resolve) => log.addEventListener('scroll', resolve, { once: true }));
    await nextFrame();
    const logTop = log.getBoundingClientRect().top;
    const inView = [...markdown.children].find((c) => c.getBoundingClientRect().top > logTop + 20)!;
    const viewTop = inView.getBoundingClientRect().top;
    const height = bubble.getBoundingClientRect().height;

    run.push(completed('r'));
    await untilIdle(store);
    await painted(el);
    expect(markdown.classList.contains('streaming'), 'completed').to.be.false;
    expect(bubble.getBoundingClientRect().height, "the reply's height").to.be.closeTo(height, 1);
    expect(inView.getBoundingClientRect().top, 'the block the reader looks at').to.be.closeTo(viewTop, 1);
  });
});
