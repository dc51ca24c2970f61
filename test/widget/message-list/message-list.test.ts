import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcMessageList } from '../../../src/widget/message-list/message-list.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';
import { nextFrame, untilIdle } from '../support/dom.js';

async function listWithStore() {
  const transport = new ScriptedTransport();
  const store = new ChatStore({ transport, warn: () => {} });
  const el = await fixture<IcMessageList>(html`<ic-message-list style="display:flex;height:200px" .store=${store} greeting="Welcome!"></ic-message-list>`);
  const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
  return { el, store, transport, log };
}

/**
 * Streams `count` paragraphs into the current run and waits until they are painted: the reply's
 * updateComplete waits for its Markdown to show every delta (rendering catches up on a backlog in
 * time-budgeted frames, so a fixed number of frames is not enough), then one more frame lets the
 * list react to the growth.
 */
async function stream(el: IcMessageList, store: ChatStore, run: { push: (...e: ReturnType<typeof delta>[]) => unknown }, count: number) {
  const seen = new Promise<void>((resolve) => {
    let n = 0;
    const off = store.on('delta', () => ++n === count && (off(), resolve()));
  });
  for (let i = 0; i < count; i++) run.push(delta('r', `Paragraph ${i} with enough words to take some room.\n\n`));
  await seen;
  await el.updateComplete;
  await el.shadowRoot!.querySelector('ic-message:last-of-type')!.updateComplete;
  await nextFrame();
  await nextFrame();
}

/** Where the visitor's message `text` sits, in px from the top of the log's visible area. */
function questionTop(el: IcMessageList, log: HTMLElement, text: string): number {
  const message = [...el.shadowRoot!.querySelectorAll('ic-message')].find((m) => m.message?.role === 'user' && m.textContent !== null && JSON.stringify(m.message).includes(text))!;
  return message.getBoundingClientRect().top - log.getBoundingClientRect().top;
}

describe('<ic-message-list>', () => {
  it('is a labelled, focusable log that does not read tokens out, with the greeting', async () => {
    const { el, log } = await listWithStore();
    expect(log.getAttribute('aria-label')).to.equal('Conversation');
    expect(log.getAttribute('aria-live')).to.equal('off');
    expect(log.tabIndex).to.equal(0);
    expect(el.shadowRoot!.querySelector('[part="greeting"]')!.textContent).to.equal('Welcome!');
    await expect(el).to.be.accessible();
  });

  it('keeps each question and the start of its reply in view while the reply streams, turn after turn', async () => {
    const { el, store, transport, log } = await listWithStore();
    for (let turn = 0; turn < 3; turn++) {
      void store.send(`Question ${turn}`);
      const run = transport.runs[turn]!;
      run.push(started(`r${turn}`));
      await el.updateComplete;
      await stream(el, store, run, 8);
      // The reply outgrew the log: the question stays at the top instead of the last line chasing.
      expect(log.scrollHeight - log.scrollTop - log.clientHeight, `turn ${turn + 1}: not chasing the end`).to.be.greaterThan(50);
      const top = questionTop(el, log, `Question ${turn}`);
      expect(top, `turn ${turn + 1}: question at the top`).to.be.within(-1, 16);
      expect(el.shadowRoot!.querySelector('[part="jump-button"]'), 'Jump to latest stays').to.not.equal(null);
      run.push(completed(`r${turn}`));
      await untilIdle(store);
      await el.updateComplete;
      await nextFrame();
      expect(questionTop(el, log, `Question ${turn}`)).to.be.within(-1, 16);
    }
  });

  it('follows a streaming reply only while the reader is at the bottom, and never takes focus', async () => {
    const { el, store, transport, log } = await listWithStore();
    const outside = document.createElement('button');
    outside.textContent = 'elsewhere';
    document.body.append(outside);
    outside.focus();
    try {
      void store.send('Tell me a lot');
      const run = transport.runs[0]!;
      run.push(started('r'));
      await el.updateComplete;
      await stream(el, store, run, 12);
      expect(log.scrollHeight).to.be.greaterThan(log.clientHeight);
      expect(questionTop(el, log, 'Tell me a lot')).to.be.within(-1, 16);

      // The reader scrolls up to re-read: new text must not pull them down.
      log.scrollTop = 0;
      await new Promise((resolve) => log.addEventListener('scroll', resolve, { once: true }));
      await stream(el, store, run, 6);
      expect(log.scrollTop).to.equal(0);
      expect(el.isAtBottom).to.equal(false);

      // The reader scrolls on to the end: from there it follows.
      log.scrollTop = log.scrollHeight;
      await new Promise((resolve) => log.addEventListener('scroll', resolve, { once: true }));
      await stream(el, store, run, 6);
      expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.lessThan(2);
      run.push(completed('r'));
      expect(document.activeElement).to.equal(outside);
      await expect(el).to.be.accessible();
    } finally {
      outside.remove();
    }
  });

  it('a new question from a reader scrolled up brings them to the end in one update', async () => {
    const { el, store, transport, log } = await listWithStore();
    void store.send('Tell me a lot');
    const run = transport.runs[0]!;
    run.push(started('r'));
    await el.updateComplete;
    await stream(el, store, run, 12);
    run.push(completed('r'));
    await untilIdle(store);
    log.scrollTop = 0;
    await new Promise((resolve) => log.addEventListener('scroll', resolve, { once: true }));
    await el.updateComplete;
    const jump = () => el.shadowRoot!.querySelector('[part="jump-button"], .jump');
    expect(jump(), 'the jump control shows while scrolled up').to.not.equal(null);

    // Lit warns (dev mode) when an element schedules an update from inside one: hiding the jump
    // control after render used to do that.
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      void store.send('And another thing');
      await el.updateComplete;
      await nextFrame();
    } finally {
      console.warn = warn;
    }
    expect(warnings.filter((w) => w.includes('change-in-update'))).to.deep.equal([]);
    expect(jump(), 'the jump control is gone').to.equal(null);
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.lessThan(2);
  });
});
