import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import { THREAD_ID_PATTERN, threadStorageKey } from '../../../src/widget/state/thread-id.js';
import { messageText } from '../../../src/widget/types.js';
import { nextFrame, parts, untilIdle, waitUntil } from '../support/dom.js';
import { pressWithShift } from '../support/keys.js';

const ENDPOINT = '/api/support';
const QUESTION = 'How do I reset my password?';

/** Records the JSON bodies the page POSTs to `/runs`, letting every request through unchanged. */
function recordRunRequests(): { bodies: Record<string, unknown>[]; restore: () => void } {
  const original = window.fetch;
  const bodies: Record<string, unknown>[] = [];
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/runs') && typeof init?.body === 'string') bodies.push(JSON.parse(init.body) as Record<string, unknown>);
    return original(input, init);
  };
  return { bodies, restore: () => (window.fetch = original) };
}

async function chat(attrs: { endpoint?: string; threadId?: string; persist?: string } = {}): Promise<IcSupportChat> {
  const el = await fixture<IcSupportChat>(
    html`<div style="height: 480px">
      <ic-support-chat
        endpoint=${attrs.endpoint ?? ENDPOINT}
        persist=${attrs.persist ?? 'none'}
        thread-id=${attrs.threadId ?? ''}
        greeting="Hi! Ask me anything about Notably."
      ></ic-support-chat>
    </div>`,
  );
  const element = el.querySelector('ic-support-chat')!;
  await element.updateComplete;
  return element;
}

async function typeAndEnter(el: IcSupportChat, text: string): Promise<void> {
  parts(el).textarea.focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

async function renderedText(message: IcMessage): Promise<string> {
  await message.updateComplete;
  await nextFrame();
  return message.shadowRoot!.querySelector('.bubble')!.textContent!.replace(/\s+/g, ' ').trim();
}

afterEach(() => localStorage.clear());

describe('<ic-support-chat> against the local backend', () => {
  it('is accessible when empty, opens a session and shows the greeting', async () => {
    const el = await chat();
    // The session reply may land before the fixture resolves (connecting starts in the first update):
    // wait for its result, not for a change event that may already have fired.
    await waitUntil(() => el.store.session !== null, 'the session reply', { timeout: 5000 });
    expect(el.store.session?.v).to.equal(1);
    expect(parts(el).list.shadowRoot!.querySelector('[part="greeting"]')!.textContent).to.contain('Ask me anything');
    const log = parts(el).log();
    expect(log.getAttribute('aria-label')).to.equal('Conversation');
    await expect(el).to.be.accessible();
  });

  it('streams a real reply over HTTP: Enter sends, the thread id travels, the reply is announced once', async () => {
    const requests = recordRunRequests();
    try {
      const el = await chat();
      const started = oneEvent(el, 'ic-run-start');
      const completed = oneEvent(el, 'ic-run-complete');
      let deltas = 0;
      el.store.on('delta', () => deltas++);
      await typeAndEnter(el, QUESTION);
      expect(parts(el).textarea.value).to.equal('');
      const start = await started;
      const done = await completed;
      expect(start.detail.threadId).to.match(THREAD_ID_PATTERN);
      expect(done.detail.stopReason).to.equal('end_turn');
      expect(deltas).to.be.greaterThan(1);
      expect(requests.bodies).to.deep.equal([{ thread_id: el.currentThreadId, input: [{ role: 'user', content: QUESTION }], stream: true }]);

      await el.updateComplete;
      const [user, reply] = parts(el).messages() as IcMessage[];
      expect(await renderedText(user!)).to.contain(QUESTION);
      const text = await renderedText(reply!);
      expect(text.toLowerCase()).to.contain('password');
      // Markdown is rendered, not shown as source.
      expect(reply!.shadowRoot!.querySelector('.markdown')!.children.length).to.be.greaterThan(0);
      expect(parts(el).liveRegion.textContent).to.contain('New reply:');
      expect(parts(el).liveRegion.textContent!.toLowerCase()).to.contain('password');
      await expect(el).to.be.accessible();

      // A second turn reuses the same thread.
      const second = oneEvent(el, 'ic-run-complete');
      await typeAndEnter(el, 'Thanks!');
      await second;
      expect(requests.bodies[1]!['thread_id']).to.equal(requests.bodies[0]!['thread_id']);

      // newConversation() (e.g. on a host page's sign-out) leaves no trace of the last reply,
      // not even in the screen-reader live region.
      el.newConversation();
      await el.updateComplete;
      expect(el.store.messages).to.have.length(0);
      expect(parts(el).liveRegion.textContent!.trim()).to.equal('');
    } finally {
      requests.restore();
    }
  });

  it('Shift+Enter adds a line and does not send', async () => {
    const el = await chat();
    parts(el).textarea.focus();
    await sendKeys({ type: 'line one' });
    await pressWithShift('Enter');
    await sendKeys({ type: 'line two' });
    expect(parts(el).textarea.value).to.equal('line one\nline two');
    expect(el.store.draft).to.equal('line one\nline two');
    expect(el.store.messages).to.have.length(0);
  });

  it('sends nothing while an IME composes', async () => {
    const el = await chat();
    const { textarea } = parts(el);
    textarea.focus();
    await sendKeys({ type: 'にほんご' });
    // Enter that confirms a candidate: the browser reports isComposing, or keyCode 229.
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true }));
    // Between compositionstart and compositionend, even a real Enter press does not send.
    textarea.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
    await sendKeys({ press: 'Enter' });
    expect(el.store.messages).to.have.length(0);
    textarea.dispatchEvent(new CompositionEvent('compositionend', { data: 'にほんご' }));
    textarea.value = 'にほんご';
    textarea.dispatchEvent(new InputEvent('input', { bubbles: true }));
    const done = oneEvent(el, 'ic-run-complete');
    await sendKeys({ press: 'Enter' });
    await done;
    expect(messageText(el.store.messages[0]!)).to.equal('にほんご');
  });

  it('Stop keeps the partial reply, marked stopped', async () => {
    const el = await chat();
    // The full answer first, to compare with.
    const full = oneEvent(el, 'ic-run-complete');
    await typeAndEnter(el, QUESTION);
    const fullText = messageText((await full).detail.message);

    const completes: string[] = [];
    el.addEventListener('ic-run-complete', (e) => completes.push(e.detail.stopReason));
    await el.updateComplete;
    // Press Stop as soon as the first words arrive (synchronously: the rest may already be
    // buffered); later events must not be applied.
    const pressedStop = new Promise<void>((resolve) => {
      const off = el.store.on('delta', () => {
        off();
        parts(el).stopButton()!.click();
        resolve();
      });
    });
    await typeAndEnter(el, QUESTION);
    await pressedStop;
    await untilIdle(el.store);
    await el.updateComplete;
    const reply = el.store.messages[3]!;
    expect(reply.status).to.equal('stopped');
    const partial = messageText(reply);
    expect(partial.length).to.be.greaterThan(0).and.lessThan(fullText.length);
    expect(fullText.startsWith(partial)).to.equal(true);
    expect(completes).to.deep.equal(['cancelled']);

    const messageEl = parts(el).messages()[3] as IcMessage;
    await messageEl.updateComplete;
    expect(messageEl.shadowRoot!.querySelector('[part="badge"]')!.textContent).to.equal('Stopped');
    expect(parts(el).sendButton()).to.exist;
    expect(parts(el).composer.shadowRoot!.activeElement).to.equal(parts(el).textarea);
    await expect(el).to.be.accessible();
  });

  it('an error shows Retry in the transcript and puts the text back; Retry resends it', async () => {
    const el = await chat({ endpoint: '/api/no-such-backend' });
    const runError = new Promise<string>((resolve) => el.addEventListener('ic-error', (e) => e.detail.phase === 'run' && resolve(e.detail.error.code)));
    await typeAndEnter(el, QUESTION);
    expect(await runError).to.equal('not_found');
    await el.updateComplete;
    await parts(el).list.updateComplete;
    const { textarea } = parts(el);
    await parts(el).composer.updateComplete;
    expect(textarea.value).to.equal(QUESTION);

    const failed = parts(el).messages()[1] as IcMessage;
    await failed.updateComplete;
    const alert = failed.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('Something went wrong');
    const retry = failed.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!;
    expect(retry.textContent!.trim()).to.equal('Retry');
    await expect(el).to.be.accessible();

    // The backend comes back: Retry resends the same turn.
    el.endpoint = ENDPOINT;
    await el.updateComplete;
    const done = oneEvent(el, 'ic-run-complete');
    retry.click();
    await done;
    await el.updateComplete;
    expect(textarea.value).to.equal('');
    expect(el.store.messages.map((m) => [m.role, m.status])).to.deep.equal([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(messageText(el.store.messages[0]!)).to.equal(QUESTION);
  });

  it('New conversation clears the transcript and changes the stored thread id', async () => {
    const el = await chat({ persist: 'local' });
    const done = oneEvent(el, 'ic-run-complete');
    await typeAndEnter(el, QUESTION);
    await done;
    const first = el.currentThreadId;
    expect(localStorage.getItem(threadStorageKey(ENDPOINT))).to.equal(first);

    const change = oneEvent(el, 'ic-thread-change');
    parts(el).newConversationButton.click();
    const { detail } = await change;
    await el.updateComplete;
    await parts(el).list.updateComplete;
    expect(detail).to.deep.equal({ threadId: el.currentThreadId, previous: first, reason: 'new-conversation' });
    expect(el.currentThreadId).to.match(THREAD_ID_PATTERN).and.not.equal(first);
    expect(localStorage.getItem(threadStorageKey(ENDPOINT))).to.equal(el.currentThreadId);
    expect(parts(el).messages()).to.have.length(0);
  });

  it('restores the stored thread per endpoint, and an explicit thread-id attribute wins', async () => {
    localStorage.setItem(threadStorageKey(ENDPOINT), 'chat_storedAAAAAAAAAAAAAAA');
    const stored = await chat({ persist: 'local' });
    expect(stored.currentThreadId).to.equal('chat_storedAAAAAAAAAAAAAAA');

    const requests = recordRunRequests();
    try {
      const explicit = await chat({ persist: 'local', threadId: 'chat_fromTheHostPage000' });
      expect(explicit.currentThreadId).to.equal('chat_fromTheHostPage000');
      const done = oneEvent(explicit, 'ic-run-complete');
      await explicit.send('Hello');
      await done;
      expect(requests.bodies[0]!['thread_id']).to.equal('chat_fromTheHostPage000');
      expect(localStorage.getItem(threadStorageKey(ENDPOINT))).to.equal('chat_storedAAAAAAAAAAAAAAA');
    } finally {
      requests.restore();
    }
  });

  it('a cancelled ic-send sends nothing and keeps the text', async () => {
    const el = await chat();
    el.addEventListener('ic-send', (e) => e.preventDefault());
    await typeAndEnter(el, 'Not this one');
    expect(el.store.messages).to.have.length(0);
    expect(parts(el).textarea.value).to.equal('Not this one');
  });
});
