// Every fault of issue 6 against the scripted fault server, over real HTTP in real Chromium:
// nothing the visitor typed is ever lost, and each failure says clearly what happened.
import { aTimeout, expect, oneEvent } from '@open-wc/testing';
import type { IcMessage } from '../../../src/widget/message/message.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { messageText } from '../../../src/widget/types.js';
import { nextFrame, parts, untilIdle } from '../support/dom.js';
import { faultChat, faultEndpoint, faultStats, until } from '../support/fault-endpoint.js';

const QUESTION = 'Can you help me with my invoice?';

/** Types the question into the composer's draft and sends it, resolving when the run ends. */
async function ask(el: IcSupportChat, text = QUESTION): Promise<void> {
  el.store.setDraft(text);
  await el.updateComplete;
  await el.send();
  await untilIdle(el.store);
}

function assistant(el: IcSupportChat, index = 1): IcMessage {
  return parts(el).messages()[index] as IcMessage;
}

async function bubbleText(message: IcMessage): Promise<string> {
  await message.updateComplete;
  await nextFrame();
  return (message.shadowRoot!.querySelector('.bubble')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function errorBox(message: IcMessage): HTMLElement | null {
  return message.shadowRoot!.querySelector<HTMLElement>('[part="error"]');
}

function retryButton(message: IcMessage): HTMLButtonElement | null {
  return message.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]');
}

async function draftIs(el: IcSupportChat, text: string): Promise<void> {
  await parts(el).composer.updateComplete;
  expect(el.store.draft).to.equal(text);
  expect(parts(el).textarea.value).to.equal(text);
}

describe('faults (scripted fault server over real HTTP)', () => {
  it('connection dropped mid-reply: keeps the partial reply marked interrupted, the composer stays empty, Retry works', async () => {
    const { endpoint, id } = faultEndpoint('drop');
    const el = await faultChat(endpoint);
    const errored = oneEvent(el, 'ic-error');
    await ask(el);
    expect((await errored).detail.error.code).to.equal('interrupted');
    const first = assistant(el);
    expect(first.message!.status).to.equal('interrupted');
    expect(await bubbleText(first)).to.contain('The first half of an answer');
    expect(first.shadowRoot!.querySelector('[part="badge"]')!.textContent).to.contain('Interrupted');
    expect(errorBox(first)!.textContent).to.contain('cut off');
    // The question is in the transcript with Retry: it is not put back in the composer as well.
    await draftIs(el, '');

    retryButton(first)!.click();
    await until(() => el.store.busy, 'the retry to start');
    await untilIdle(el.store);
    const messages = parts(el).messages() as IcMessage[];
    const last = messages[messages.length - 1]!;
    expect(await bubbleText(last)).to.contain('The full answer, this time.');
    expect(last.message!.status).to.equal('complete');
    // The partial reply stays in the transcript; the visitor's question was sent once more, unchanged.
    expect(messageText(first.message!)).to.equal('The first half of an answer');
    const stats = await faultStats(id);
    expect(stats.runs).to.equal(2);
    expect(stats.bodies[1]).to.deep.equal(stats.bodies[0]);
    await draftIs(el, '');
  });

  it('5xx with a JSON body: a clear message (no server markup), text kept, Retry works', async () => {
    const { endpoint, id } = faultEndpoint('error-json');
    const el = await faultChat(endpoint);
    const errored = oneEvent(el, 'ic-error');
    await ask(el);
    const { detail } = await errored;
    expect(detail.error.code).to.equal('unavailable');
    const reply = assistant(el);
    await reply.updateComplete;
    expect(errorBox(reply)!.textContent).to.contain('Support is unavailable right now');
    expect(errorBox(reply)!.querySelector('b')).to.equal(null);
    await draftIs(el, QUESTION);
    retryButton(reply)!.click();
    await until(async () => (await faultStats(id)).runs === 2, 'the retried POST');
    await untilIdle(el.store);
    const messages = el.store.messages;
    // A turn the backend refused is replaced on Retry, not duplicated.
    expect(messages.map((m) => m.role)).to.deep.equal(['user', 'assistant']);
    expect(messageText(messages[1]!)).to.equal('Hello from the fault server.');
  });

  it('5xx HTML error page: a clear message, no HTML dumped, no script run', async () => {
    const { endpoint } = faultEndpoint('error-html');
    const el = await faultChat(endpoint);
    await ask(el);
    const reply = assistant(el);
    await reply.updateComplete;
    const text = errorBox(reply)!.textContent!;
    expect(text).to.contain('Support is unavailable right now');
    expect(text).not.to.match(/<|Bad Gateway|nginx|doctype/i);
    expect(reply.shadowRoot!.querySelector('h1, script, hr')).to.equal(null);
    expect((window as unknown as { __faultPwned?: boolean }).__faultPwned).to.equal(undefined);
    await draftIs(el, QUESTION);
  });

  it('429 with Retry-After in seconds: says when, Retry is disabled until then, then works', async () => {
    const { endpoint, id } = faultEndpoint('rate-seconds');
    const el = await faultChat(endpoint);
    await ask(el);
    const reply = assistant(el);
    await reply.updateComplete;
    const retryAt = reply.message!.error!.retryAt!;
    expect(retryAt).to.be.a('number');
    expect(errorBox(reply)!.textContent).to.match(/You can try again in [12] seconds?\./);
    const button = retryButton(reply)!;
    expect(button.disabled).to.equal(true);
    // The disabled button is described by the message, which says the wait once (not twice).
    expect(reply.shadowRoot!.getElementById(button.getAttribute('aria-describedby')!)!.textContent).to.match(/You can try again in [12] seconds?\./);
    expect(reply.shadowRoot!.textContent!.match(/in [12] seconds?/g)).to.have.length(1);
    await draftIs(el, QUESTION);

    await until(() => !retryButton(reply)?.disabled, 'Retry to be enabled', 6000);
    expect(Date.now()).to.be.at.least(retryAt);
    retryButton(reply)!.click();
    await until(async () => (await faultStats(id)).runs === 2, 'the retried POST');
    await untilIdle(el.store);
    expect(messageText(el.store.messages[el.store.messages.length - 1]!)).to.equal('Hello from the fault server.');
  });

  it('429 with Retry-After as an HTTP date: a programmatic Retry waits until then', async () => {
    const { endpoint, id } = faultEndpoint('rate-date-soon');
    const el = await faultChat(endpoint);
    await ask(el);
    const reply = assistant(el);
    await reply.updateComplete;
    expect(errorBox(reply)!.textContent).to.match(/You can try again in [1-3] seconds?\./);
    const retryAt = el.store.retryAt!;
    expect(retryAt).to.be.greaterThan(Date.now());

    const retried = el.store.retry();
    await aTimeout(300);
    // Waiting: nothing was POSTed yet, and the visitor sees the turn as in progress (Stop available).
    expect((await faultStats(id)).runs).to.equal(1);
    expect(el.store.busy).to.equal(true);
    await retried;
    const stats = await faultStats(id);
    expect(stats.runs).to.equal(2);
    expect(Date.now()).to.be.at.least(retryAt);
    expect(messageText(el.store.messages[el.store.messages.length - 1]!)).to.equal('Hello from the fault server.');
  });

  it('429 with a far-off HTTP date: says the clock time, Retry stays disabled', async () => {
    const { endpoint } = faultEndpoint('rate-date-later');
    const el = await faultChat(endpoint);
    await ask(el);
    const reply = assistant(el);
    await reply.updateComplete;
    const retryAt = reply.message!.error!.retryAt!;
    const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(retryAt));
    expect(errorBox(reply)!.textContent).to.contain(`You can try again at ${time}.`);
    expect(retryButton(reply)!.disabled).to.equal(true);
    await draftIs(el, QUESTION);
  });

  it('an idle stream times out (idle-timeout), keeps the partial reply and cancels the run', async () => {
    const { endpoint, id } = faultEndpoint('idle');
    const el = await faultChat(endpoint, { idleTimeout: 500 });
    const errored = oneEvent(el, 'ic-error');
    await ask(el);
    expect((await errored).detail.error.code).to.equal('timeout');
    const reply = assistant(el);
    expect(reply.message!.status).to.equal('interrupted');
    expect(await bubbleText(reply)).to.contain('Thinking about it');
    expect(errorBox(reply)!.textContent).to.contain('The reply stopped arriving');
    expect(retryButton(reply)).to.not.equal(null);
    await draftIs(el, '');
    const runId = reply.message!.run_id!;
    await until(async () => (await faultStats(id)).cancels.includes(runId), 'the cancel POST');
  });

  it('`: ping` comments keep a quiet stream alive past the idle timeout', async () => {
    const { endpoint } = faultEndpoint('pings');
    // Pings every 100 ms for 2 s, with a 1 s idle timeout: silence would have failed it. The margin
    // (ten pings per timeout) is wide because a loaded CI machine can hold a page's timers ~0.5 s.
    const el = await faultChat(endpoint, { idleTimeout: 1000 });
    let errors = 0;
    el.addEventListener('ic-error', () => errors++);
    await ask(el);
    const reply = assistant(el);
    expect(errors).to.equal(0);
    expect(reply.message!.status).to.equal('complete');
    expect(await bubbleText(reply)).to.contain('Still here.');
  });

  it('malformed JSON in an event: skipped, warned about once, the rest renders', async () => {
    const { endpoint } = faultEndpoint('malformed');
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    try {
      const el = await faultChat(endpoint);
      await ask(el);
      const reply = assistant(el);
      expect(reply.message!.status).to.equal('complete');
      expect(await bubbleText(reply)).to.contain('Hello world!');
      expect(messageText(reply.message!)).not.to.contain('BROKEN');
    } finally {
      console.warn = original;
    }
    expect(warnings.filter((w) => w.includes('not valid JSON'))).to.have.length(1);
  });

  it('unknown events and unknown fields are ignored', async () => {
    const { endpoint } = faultEndpoint('unknown');
    const original = console.warn;
    console.warn = () => {};
    try {
      const el = await faultChat(endpoint);
      await ask(el);
      const reply = assistant(el);
      expect(reply.message!.status).to.equal('complete');
      expect(messageText(reply.message!)).to.equal('Known fields only.');
      expect(reply.message!.parts).to.deep.equal([{ kind: 'text', text: 'Known fields only.' }]);
    } finally {
      console.warn = original;
    }
  });

  it('a duplicated run.completed completes the reply once', async () => {
    const { endpoint } = faultEndpoint('duplicate');
    const el = await faultChat(endpoint);
    let completions = 0;
    el.addEventListener('ic-run-complete', () => completions++);
    await ask(el);
    await aTimeout(100);
    expect(completions).to.equal(1);
    const reply = assistant(el);
    expect(messageText(reply.message!)).to.equal('Exactly once.');
    expect(el.store.messages).to.have.length(2);
  });

  it('run.failed: the error is shown and the partial reply kept', async () => {
    const { endpoint } = faultEndpoint('failed');
    const el = await faultChat(endpoint);
    const errored = oneEvent(el, 'ic-error');
    await ask(el);
    expect((await errored).detail.error).to.deep.include({ code: 'upstream_error', message: 'The model provider failed.' });
    const reply = assistant(el);
    expect(reply.message!.status).to.equal('error');
    expect(await bubbleText(reply)).to.contain('A partial answer');
    expect(errorBox(reply)!.textContent).to.contain('Support is unavailable right now');
    expect(retryButton(reply)).to.not.equal(null);
    await draftIs(el, '');
  });

  describe('offline', () => {
    function goOffline(): void {
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
      window.dispatchEvent(new Event('offline'));
    }
    function goOnline(): void {
      delete (navigator as unknown as { onLine?: boolean }).onLine; // back to the prototype's getter
      window.dispatchEvent(new Event('online'));
    }
    afterEach(() => {
      delete (navigator as unknown as { onLine?: boolean }).onLine;
    });
    /**
     * Goes offline, then sends: resolves once the store is visibly waiting for the connection, with
     * the send's own promise boxed (an async function would otherwise wait for it to settle).
     */
    async function sendWhileOffline(el: Awaited<ReturnType<typeof faultChat>>): Promise<{ sent: Promise<boolean> }> {
      goOffline();
      el.store.setDraft(QUESTION);
      const sent = el.send();
      await until(() => el.store.status === 'offline', 'the offline wait');
      await parts(el).composer.updateComplete;
      return { sent };
    }

    it('a send while offline waits visibly ("Waiting for connection…") and goes out once online', async () => {
      const { endpoint, id } = faultEndpoint('ok');
      const el = await faultChat(endpoint);
      const { sent } = await sendWhileOffline(el);
      const notice = parts(el).composer.shadowRoot!.querySelector<HTMLElement>('[part="notice"]')!;
      expect(notice.hidden).to.equal(false);
      expect(notice.textContent).to.contain('Waiting for connection…');
      await aTimeout(200);
      expect((await faultStats(id)).runs).to.equal(0);
      await expect(el).to.be.accessible();

      goOnline();
      await sent;
      expect((await faultStats(id)).runs).to.equal(1);
      expect(messageText(el.store.messages[1]!)).to.equal('Hello from the fault server.');
      await parts(el).composer.updateComplete;
      expect(notice.hidden).to.equal(true);
    });

    it('Stop while waiting for the connection sends nothing and puts the text back', async () => {
      const { endpoint, id } = faultEndpoint('ok');
      const el = await faultChat(endpoint);
      const { sent } = await sendWhileOffline(el);
      parts(el).stopButton()!.click();
      await sent;
      await draftIs(el, QUESTION);
      const reply = assistant(el);
      await reply.updateComplete;
      expect(errorBox(reply)!.textContent).to.contain('You are offline');
      goOnline();
      await aTimeout(100);
      expect((await faultStats(id)).runs).to.equal(0);
    });
  });

  it('the tab hidden and shown again mid-stream: the run continues, no duplicate run', async () => {
    const { endpoint, id } = faultEndpoint('slow-ok');
    const el = await faultChat(endpoint);
    el.store.setDraft(QUESTION);
    const sent = el.send();
    await until(() => messageText(el.store.messages[1] ?? ({ parts: [] } as never)).includes('word2'), 'a few words');
    const setVisibility = (value: DocumentVisibilityState) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    try {
      setVisibility('hidden');
      await aTimeout(200);
      setVisibility('visible');
    } finally {
      delete (document as unknown as { visibilityState?: string }).visibilityState;
      delete (document as unknown as { hidden?: boolean }).hidden;
    }
    await sent;
    await untilIdle(el.store);
    const stats = await faultStats(id);
    expect(stats.runs).to.equal(1);
    expect(el.store.messages).to.have.length(2);
    expect(messageText(el.store.messages[1]!).trim()).to.equal(Array.from({ length: 12 }, (_, i) => `word${i}`).join(' '));
  });

  it('Stop aborts the stream and POSTs /runs/{run_id}/cancel', async () => {
    const { endpoint, id } = faultEndpoint('slow');
    const el = await faultChat(endpoint);
    const started = oneEvent(el, 'ic-run-start');
    el.store.setDraft(QUESTION);
    const sent = el.send();
    const { detail } = await started;
    await until(() => messageText(el.store.messages[1]!).includes('word1'), 'a few words');
    await parts(el).composer.updateComplete;
    parts(el).stopButton()!.click();
    await sent;
    const reply = assistant(el);
    expect(reply.message!.status).to.equal('stopped');
    const kept = messageText(reply.message!);
    expect(kept).to.contain('word1');
    await until(async () => (await faultStats(id)).cancels.includes(detail.runId), 'the cancel POST');
    await aTimeout(250);
    // Aborted: nothing more arrives in the stopped reply.
    expect(messageText(el.store.messages[1]!)).to.equal(kept);
  });
});
