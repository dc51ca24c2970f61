// While the visitor waits something moves: animated dots before the first word (still dots, not
// moving, under prefers-reduced-motion), a caret at the end of a reply while it streams, and Stop
// as an icon button in Send's place, still named "Stop". Real Chromium.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import type { AxNode } from '../../support/ax-tree-plugin.js';
import { AX_TREE, describeIn, engine, itIn, MEDIA_EMULATION, NO_AX_TREE, NO_MEDIA_EMULATION } from '../support/engine.js';
import { nextFrame, parts, untilIdle, waitUntil } from '../support/dom.js';
import { completed, delta, ScriptedTransport, started, type ControlledRun } from '../support/scripted-transport.js';

async function chatAsking(question = 'Where is my order?'): Promise<{ el: IcSupportChat; run: ControlledRun; reply: () => Promise<IcMessage> }> {
  const transport = new ScriptedTransport();
  const wrapper = await fixture<HTMLDivElement>(html`<div style="height: 520px"><ic-support-chat persist="none" .transport=${transport}></ic-support-chat></div>`);
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  const next = transport.nextRun();
  void el.send(question);
  const run = await next;
  const reply = async () => {
    await el.updateComplete;
    await parts(el).list.updateComplete;
    const message = parts(el).messages()[1] as IcMessage;
    await message.updateComplete;
    return message;
  };
  return { el, run, reply };
}

/** A reply drawn once, then more of it on the way (so it is drawn as a stream, with its caret). */
async function replyStreaming(): Promise<{ el: IcSupportChat; run: ControlledRun; message: IcMessage }> {
  const { el, run, reply } = await chatAsking();
  run.push(started('r1'), delta('r1', 'Your order'));
  await new Promise((resolve) => el.store.on('delta', resolve));
  const message = await reply();
  await nextFrame();
  run.push(delta('r1', ' A-1001 is'));
  return { el, run, message };
}

const dots = (m: IcMessage) => [...m.shadowRoot!.querySelectorAll<HTMLElement>('[part="typing"] i')];

afterEach(async () => {
  if (MEDIA_EMULATION.includes(engine)) await emulateMedia({ reducedMotion: 'no-preference' });
});

describe('while the visitor waits', () => {
  it('shows animated typing dots before the first word (named for screen readers), then the words', async () => {
    const { el, run, reply } = await chatAsking();
    let message = await reply();
    const typing = message.shadowRoot!.querySelector<HTMLElement>('[part="typing"]')!;
    expect(typing, 'a typing indicator').to.not.equal(null);
    expect(typing.textContent).to.contain('Thinking…');
    expect(dots(message)).to.have.length(3);
    for (const dot of dots(message)) {
      expect(dot.getBoundingClientRect().width).to.be.greaterThan(0);
      expect(dot.getAnimations().length, 'each dot moves').to.be.greaterThan(0);
    }
    await expect(el).to.be.accessible();

    run.push(started('r1'), delta('r1', 'It shipped'));
    await new Promise((resolve) => el.store.on('delta', resolve));
    message = await reply();
    expect(message.shadowRoot!.querySelector('[part="typing"]')).to.equal(null);
    run.push(completed('r1'));
    await untilIdle(el.store);
  });

  describeIn(MEDIA_EMULATION, NO_MEDIA_EMULATION)('with prefers-reduced-motion', () => {
    it('the caret of a paused reply is shown, but does not blink', async () => {
      await emulateMedia({ reducedMotion: 'reduce' });
      const { el, run, message } = await replyStreaming();
      const markdown = message.shadowRoot!.querySelector('.markdown')!;
      await waitUntil(() => markdown.classList.contains('paused'), 'the reply pauses', { timeout: 3000 });
      const caret = getComputedStyle(markdown.lastElementChild!, '::after');
      expect(caret.content, 'a caret').to.not.equal('none');
      expect(caret.animationName, 'still').to.equal('none');
      run.push(completed('r1'));
      await untilIdle(el.store);
    });

    it('the typing indicator is still shown, but still', async () => {
      await emulateMedia({ reducedMotion: 'reduce' });
      const { el, run, reply } = await chatAsking();
      const message = await reply();
      expect(dots(message)).to.have.length(3);
      for (const dot of dots(message)) {
        expect(dot.getBoundingClientRect().width).to.be.greaterThan(0);
        expect(Number(getComputedStyle(dot).opacity)).to.be.greaterThan(0.5);
        expect(dot.getAnimations()).to.deep.equal([]);
      }
      await expect(el).to.be.accessible();
      run.push(started('r1'), completed('r1'));
      await untilIdle(el.store);
    });
  });

  it('a caret follows the reply’s last word while it streams, and goes when it is done', async () => {
    const { el, run, reply } = await chatAsking();
    run.push(started('r1'), delta('r1', 'Your order A-1001 is on its way'));
    await new Promise((resolve) => el.store.on('delta', resolve));
    let message = await reply();
    await nextFrame();
    const last = () => message.shadowRoot!.querySelector('.markdown')!.lastElementChild!;
    const caret = getComputedStyle(last(), '::after');
    expect(caret.content, 'a caret after the last word').to.not.equal('none');
    expect(parseFloat(caret.width)).to.be.greaterThan(0);
    await expect(el).to.be.accessible();

    run.push(delta('r1', '.'), completed('r1'));
    await untilIdle(el.store);
    message = await reply();
    await nextFrame();
    expect(getComputedStyle(last(), '::after').content).to.equal('none');
  });

  it('a long reply’s caret follows its last word too (in its last group of blocks)', async () => {
    const { el, run, reply } = await chatAsking();
    const paragraphs = Array.from({ length: 80 }, (_, i) => `Step ${i + 1} of the return.`).join('\n\n');
    run.push(started('r1'), delta('r1', paragraphs.slice(0, 200)));
    await new Promise((resolve) => el.store.on('delta', resolve));
    const message = await reply();
    await nextFrame();
    await nextFrame();
    run.push(delta('r1', paragraphs.slice(200)));
    const markdown = () => message.shadowRoot!.querySelector('.markdown')!;
    // Its end is below the view (the question stays at the top), where it is redrawn twice a second.
    await waitUntil(() => markdown().textContent!.includes('Step 80 of'), 'the whole reply is drawn', { timeout: 5000 });
    const groups = markdown().querySelectorAll(':scope > .chunk');
    expect(groups.length, 'a long reply is drawn in groups').to.be.greaterThan(0);
    const last = groups[groups.length - 1]!.lastElementChild!;
    expect(last.textContent).to.equal('Step 80 of the return.');
    expect(getComputedStyle(last, '::after').content, 'a caret after the last word').to.not.equal('none');
    expect(getComputedStyle(markdown().firstElementChild!, '::after').content, 'and nowhere else').to.equal('none');
    run.push(completed('r1'));
    await untilIdle(el.store);
    await nextFrame();
    expect(getComputedStyle(markdown().querySelector(':scope > .chunk:last-child > :last-child')!, '::after').content).to.equal('none');
  });

  it('the caret blinks only while the reply pauses, as a text caret does when typing stops', async () => {
    const { el, run, message } = await replyStreaming();
    const last = () => message.shadowRoot!.querySelector('.markdown')!.lastElementChild!;
    await waitUntil(() => last().textContent!.includes('A-1001'), 'the next words drawn');
    const caret = () => getComputedStyle(last(), '::after');
    expect(caret().content, 'a caret').to.not.equal('none');
    expect(caret().animationName, 'steady while words arrive').to.equal('none');
    await waitUntil(() => caret().animationName === 'ic-blink', 'blinking once the reply pauses', { timeout: 3000 });
    run.push(delta('r1', ' on its way'));
    await waitUntil(() => last().textContent!.includes('its way'), 'more words drawn');
    expect(caret().animationName, 'steady again').to.equal('none');
    run.push(completed('r1'));
    await untilIdle(el.store);
  });

  it('Stop is an icon button in Send’s place, named "Stop"', async () => {
    const { el, run } = await chatAsking();
    const composer = parts(el).composer;
    await composer.updateComplete;
    const stop = parts(el).stopButton()!;
    expect(parts(el).sendButton()).to.equal(null);
    expect(stop.textContent!.trim(), 'no text: an icon').to.equal('');
    expect(stop.querySelector('svg')).to.not.equal(null);
    expect(stop.getAttribute('aria-label')).to.equal('Stop');
    const stopBox = stop.getBoundingClientRect();
    run.push(started('r1'), completed('r1'));
    await untilIdle(el.store);
    el.store.setDraft('Next');
    await composer.updateComplete;
    const sendBox = parts(el).sendButton()!.getBoundingClientRect();
    // Same place: the same end edge and row (a phone's thumb finds it where Send was).
    expect(Math.round(stopBox.right)).to.equal(Math.round(sendBox.right));
    expect(Math.round(stopBox.bottom)).to.equal(Math.round(sendBox.bottom));
  });

  itIn(AX_TREE, NO_AX_TREE)('Stop’s accessible name, as Chromium computes it, is "Stop"', async () => {
    const { el, run } = await chatAsking();
    await parts(el).composer.updateComplete;
    const tree = (await executeServerCommand('ax-tree')) as AxNode[];
    expect(tree.filter((node) => node.role === 'button').map((node) => node.name)).to.include('Stop');
    run.push(started('r1'), completed('r1'));
    await untilIdle(el.store);
  });
});
