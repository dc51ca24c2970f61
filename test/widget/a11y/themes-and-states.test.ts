// axe (including colour contrast) in every theme and the states a visitor meets, plus the
// live-region, focus and scrolling behaviour screen-reader and keyboard users rely on.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { IcMessageList } from '../../../src/widget/message-list/message-list.js';
import { nextFrame, parts, untilIdle } from '../support/dom.js';
import { completed, delta, failed, ScriptedTransport, started } from '../support/scripted-transport.js';
import { engine, itIn, describeIn, MEDIA_EMULATION, NO_MEDIA_EMULATION } from '../support/engine.js';

async function chat(theme: string, transport: ScriptedTransport, lang = 'en'): Promise<IcSupportChat> {
  const wrapper = await fixture(
    html`<div style="height: 520px" lang=${lang}>
      <ic-support-chat
        persist="none"
        theme=${theme}
        greeting="Hi! Ask me anything."
        .transport=${transport}
        .suggestions=${['How do I reset my password?', 'Where is my order?']}
      ></ic-support-chat>
    </div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

/** One complete turn: the visitor's question and a Markdown reply with a link and code. */
async function turn(el: IcSupportChat, transport: ScriptedTransport, id: string, reply: string): Promise<void> {
  const next = transport.nextRun();
  void el.send(`Question ${id}`);
  const run = await next;
  run.push(started(id), delta(id, reply), completed(id));
  await untilIdle(el.store);
  await el.updateComplete;
  await nextFrame();
}

afterEach(async () => {
  // Undoes what a test emulated; engines that cannot emulate have nothing to undo.
  if (MEDIA_EMULATION.includes(engine)) await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
});

for (const theme of ['light', 'dark', 'auto-dark'] as const) {
  // auto-dark follows the system's dark mode, emulated here.
  (theme === 'auto-dark' ? describeIn(MEDIA_EMULATION, NO_MEDIA_EMULATION) : describe)(`theme ${theme}`, () => {
    beforeEach(async () => {
      if (theme === 'auto-dark') await emulateMedia({ colorScheme: 'dark' });
    });

    it('is accessible (axe, colour contrast included) empty, with a conversation, and with an error', async () => {
      const transport = new ScriptedTransport();
      const el = await chat(theme === 'auto-dark' ? 'auto' : theme, transport);
      const surface = getComputedStyle(el.shadowRoot!.querySelector('[part="panel"]')!).backgroundColor;
      expect(surface).to.equal(theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(22, 24, 29)');
      await expect(el).to.be.accessible();

      await turn(el, transport, 'run_1', 'Open **Settings → Security**, see [the guide](https://example.com/guide) and run `reset --now`.\n\n> Note: it takes a minute.');
      await expect(el).to.be.accessible();

      const next = transport.nextRun();
      void el.send('And then?');
      const run = await next;
      run.push(started('run_2'), failed('run_2', 'unavailable', 'down'));
      await untilIdle(el.store);
      await el.updateComplete;
      await nextFrame();
      const alert = parts(el).messages().at(-1)!.shadowRoot!.querySelector('[role="alert"]');
      expect(alert, 'errors are announced assertively').to.not.equal(null);
      await expect(el).to.be.accessible();
    });

    it('is accessible in Arabic (right to left)', async () => {
      const el = await chat(theme === 'auto-dark' ? 'auto' : theme, new ScriptedTransport(), 'ar');
      await expect(el).to.be.accessible();
    });
  });
}

describe('screen readers and keyboard', () => {
  it('announces a finished reply once, politely, not while it streams', async () => {
    const transport = new ScriptedTransport();
    const el = await chat('light', transport);
    const live = parts(el).liveRegion;
    expect(live.getAttribute('aria-live')).to.equal('polite');
    expect(parts(el).log().getAttribute('aria-live')).to.equal('off');
    const next = transport.nextRun();
    void el.send('Hello');
    const run = await next;
    run.push(started('r'), delta('r', 'Hello '));
    await nextFrame();
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('');
    run.push(delta('r', '**there**.'), completed('r'));
    await untilIdle(el.store);
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('New reply: Hello there.');
  });

  it('a suggested question is a button that sends it, and focus stays in the chat', async () => {
    const transport = new ScriptedTransport();
    const el = await chat('light', transport);
    const list = parts(el).list;
    const group = list.shadowRoot!.querySelector('[part="suggestions"]')!;
    expect(group.getAttribute('role')).to.equal('group');
    expect(group.getAttribute('aria-label')).to.equal('Suggested questions');
    const button = list.shadowRoot!.querySelector<HTMLButtonElement>('[part="suggestion"]')!;
    button.focus();
    const next = transport.nextRun();
    await sendKeys({ press: 'Enter' });
    const run = await next;
    expect(run.request.input[0]!.content).to.equal('How do I reset my password?');
    expect(el.shadowRoot!.activeElement?.tagName).to.equal('IC-COMPOSER');
    run.push(started('s'), completed('s'));
    await untilIdle(el.store);
    await el.updateComplete;
    await list.updateComplete;
    expect(list.shadowRoot!.querySelector('[part="suggestions"]')).to.equal(null);
  });

  it('never chases a reply past the question, offering "Jump to latest" while not at the end', async () => {
    const transport = new ScriptedTransport();
    const el = await chat('light', transport);
    for (let i = 0; i < 4; i++) await turn(el, transport, `t${i}`, 'A long answer.\n\n'.repeat(12));
    const list = parts(el).list as IcMessageList;
    const log = parts(el).log();
    await nextFrame();
    // The last question stays at the top over its long answer: the reader scrolls on when ready.
    expect(list.isAtBottom).to.equal(false);
    expect(list.shadowRoot!.querySelector('[part="jump-button"]')).to.not.equal(null);

    // The reader scrolls up to re-read; a new reply streams in below.
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await list.updateComplete;
    const next = transport.nextRun();
    const composerFocus = parts(el).textarea;
    composerFocus.focus();
    void el.send('One more');
    const run = await next;
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    run.push(started('late'), delta('late', 'More text.\n\n'.repeat(20)), completed('late'));
    await untilIdle(el.store);
    await list.updateComplete;
    await nextFrame();
    await nextFrame();
    expect(log.scrollTop).to.equal(0);
    const jump = list.shadowRoot!.querySelector<HTMLButtonElement>('[part="jump-button"]')!;
    expect(jump.textContent!.trim()).to.equal('Jump to latest');
    await expect(el).to.be.accessible();
    jump.click();
    await list.updateComplete;
    expect(list.isAtBottom).to.equal(true);
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2);
    expect(list.shadowRoot!.activeElement).to.equal(log);
    expect(list.shadowRoot!.querySelector('[part="jump-button"]')).to.equal(null);
  });

  itIn(MEDIA_EMULATION, NO_MEDIA_EMULATION)('respects prefers-reduced-motion (no panel animation, no transitions)', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await fixture<IcSupportChat>(html`<ic-support-chat mode="launcher" persist="none"></ic-support-chat>`);
    el.open();
    await el.updateComplete;
    const panel = el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
    expect(panel.getAnimations().length).to.equal(0);
    expect(getComputedStyle(parts(el).newConversationButton).transitionDuration).to.equal('0s');
  });
});
