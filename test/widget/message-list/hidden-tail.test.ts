// A streaming reply whose end the reader does not see (they stay at the question, or scrolled up)
// is redrawn twice a second instead of ten times: every redraw costs the browser a frame of style,
// layout and paint, for text out of sight. Back at the end, it follows at full pace again. The gaps
// between redraws are timed from the `ic-content-render` event each redraw sends: a lower bound
// while hidden (a busy machine only makes gaps longer), a generous upper bound once in view.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcMessageList } from '../../../src/widget/message-list/message-list.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import { completed, delta, ScriptedTransport, started, type ControlledRun } from '../support/scripted-transport.js';
import { nextFrame, untilIdle, waitUntil } from '../support/dom.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pushes a word every 20 ms for `ms`, and returns the gaps (ms) between the redraws meanwhile. */
async function redrawGaps(el: IcMessageList, run: ControlledRun, ms: number): Promise<number[]> {
  const times: number[] = [];
  const onRender = () => times.push(performance.now());
  el.shadowRoot!.addEventListener('ic-content-render', onRender);
  const end = performance.now() + ms;
  for (let i = 0; performance.now() < end; i++) {
    run.push(delta('r', `word${i} `));
    await sleep(20);
  }
  el.shadowRoot!.removeEventListener('ic-content-render', onRender);
  return times.slice(1).map((t, i) => t - times[i]!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

describe('<ic-message-list>: a streaming reply out of sight', () => {
  it('redraws twice a second while its end is out of sight, and at full pace once the reader is back at the end', async function () {
    this.timeout(20000);
    const transport = new ScriptedTransport();
    const store = new ChatStore({ transport, warn: () => {} });
    const el = await fixture<IcMessageList>(html`<ic-message-list style="display:flex;height:240px;width:420px" .store=${store}></ic-message-list>`);
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    void store.send('Tell me a lot');
    const run = transport.runs[0]!;
    run.push(started('r'));
    for (let i = 0; i < 30; i++) run.push(delta('r', `Paragraph ${i} with enough words to take some room in a narrow transcript.\n\n`));
    await waitUntil(() => log.scrollHeight > log.clientHeight * 3, 'the reply is longer than the view', { timeout: 5000 });
    await nextFrame();

    // The reader scrolls up to read the start of the reply.
    log.scrollTop = 0;
    await waitUntil(() => !el.isAtBottom, 'the reader left the end');
    const hidden = await redrawGaps(el, run, 1600);
    expect(hidden.length, 'it still redraws').to.be.greaterThan(0);
    expect(Math.min(...hidden), `gaps while hidden: ${hidden.map(Math.round).join(', ')}`).to.be.at.least(450);

    // Back at the end: it follows the reply again, at full pace.
    el.scrollToBottom();
    await sleep(600);
    const shown = await redrawGaps(el, run, 1600);
    expect(shown.length).to.be.greaterThan(3);
    expect(median(shown), `gaps in view: ${shown.map(Math.round).join(', ')}`).to.be.below(350);
    expect(el.isAtBottom, 'still following').to.equal(true);

    run.push(completed('r'));
    await untilIdle(store);
    await expect(el).to.be.accessible();
  });

  it('redraws twice a second while the transcript is hidden (a closed launcher panel), at full pace once shown again', async function () {
    this.timeout(20000);
    const transport = new ScriptedTransport();
    const store = new ChatStore({ transport, warn: () => {} });
    const panel = await fixture<HTMLElement>(html`<div hidden><ic-message-list style="display:flex;height:240px;width:420px" .store=${store}></ic-message-list></div>`);
    const el = panel.querySelector<IcMessageList>('ic-message-list')!;
    void store.send('Tell me something');
    const run = transport.runs[0]!;
    run.push(started('r'));
    run.push(delta('r', 'A short start. '));
    await sleep(300);
    const hidden = await redrawGaps(el, run, 1600);
    expect(hidden.length, 'it still redraws').to.be.greaterThan(0);
    expect(Math.min(...hidden), `gaps while hidden: ${hidden.map(Math.round).join(', ')}`).to.be.at.least(450);

    // The panel opens and the reader goes to the end: the reply follows at full pace.
    panel.hidden = false;
    await nextFrame();
    el.scrollToBottom();
    await sleep(600);
    const shown = await redrawGaps(el, run, 1600);
    expect(shown.length).to.be.greaterThan(3);
    expect(median(shown), `gaps in view: ${shown.map(Math.round).join(', ')}`).to.be.below(350);

    run.push(completed('r'));
    await untilIdle(store);
    await expect(el).to.be.accessible();
  });
});
