// "Previous conversations": New conversation keeps the old one in a list (this browser's, bounded;
// or the backend's for a signed-in visitor with `features.threads`), from which the visitor reopens
// one (same thread, transcript back, the next question continues it on the backend) or deletes it.
// Against the real local backend over HTTP (/api/support, /api/threads in test/support/test-server.ts).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { ProtocolV1Transport } from '../../../src/widget/state/transport.js';
import { threadStorageKey } from '../../../src/widget/state/thread-id.js';
import { archiveThread, MAX_PREVIOUS_THREADS, previousThreadsKey, previousTranscriptKey, readPreviousThreads } from '../../../src/widget/state/thread-archive.js';
import type { ThreadResponse } from '../../../src/protocol/threads.js';
import type { ChatMessage } from '../../../src/widget/types.js';
import type { IcThreadChangeEvent } from '../../../src/widget/events.js';
import { headerMenuButton, untilIdle, waitUntil } from '../support/dom.js';

const ENDPOINT = '/api/support';

const THREAD_KEY = threadStorageKey(ENDPOINT);

async function chat(endpoint = ENDPOINT, transport: ProtocolV1Transport | null = null): Promise<IcSupportChat> {
  const wrapper = await fixture(html`<div style="height: 600px"><ic-support-chat endpoint=${endpoint} .transport=${transport}></ic-support-chat></div>`);
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

const q = <T extends HTMLElement = HTMLElement>(root: ParentNode, selector: string) => root.querySelector<T>(selector);
const deepActive = () => {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};
const threadList = (el: IcSupportChat) => {
  const list = el.shadowRoot!.querySelector('ic-thread-list');
  return list && !list.hidden ? list : null;
};

async function ask(el: IcSupportChat, text: string): Promise<void> {
  expect(await el.send(text)).to.equal(true);
  await untilIdle(el.store);
}

/** Opens "Previous conversations" from the header menu, as a visitor does; resolves once it is read. */
async function openList(el: IcSupportChat): Promise<HTMLElement> {
  (await headerMenuButton(el)).click();
  q(el.shadowRoot!, '[part="previous-conversations-button"]')!.click();
  await waitUntil(() => threadList(el)?.shadowRoot?.querySelector('[part="thread"], [part="threads-empty"], [role="alert"]'), 'the list is read');
  return threadList(el)!;
}

/** The thread ids the page sent with `POST …/runs` while `body` ran (what the backend received). */
async function sentThreadIds(body: () => Promise<void>): Promise<string[]> {
  const original = window.fetch;
  const seen: string[] = [];
  window.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/runs') && typeof init?.body === 'string')
      seen.push((JSON.parse(init.body) as { thread_id: string }).thread_id);
    return original(input, init);
  };
  try {
    await body();
  } finally {
    window.fetch = original;
  }
  return seen;
}

afterEach(() => localStorage.clear());

describe('previous conversations (in this browser)', () => {
  it('New conversation keeps the old one; reopening restores it and the next question continues its thread', async () => {
    const el = await chat();
    await ask(el, 'How do I reset my password?');
    const first = el.currentThreadId!;
    const before = el.store.messages.map((m) => m.parts);
    el.newConversation();
    expect(el.store.messages).to.have.length(0);
    expect(el.currentThreadId).not.to.equal(first);
    await waitUntil(() => readPreviousThreads(localStorage, THREAD_KEY).length === 1, 'listed (the bookkeeping loads on demand)');
    expect(readPreviousThreads(localStorage, THREAD_KEY).map((t) => [t.thread_id, t.title])).to.deep.equal([[first, 'How do I reset my password?']]);
    expect(localStorage.getItem(previousTranscriptKey(THREAD_KEY, first))).to.be.a('string');

    const list = await openList(el);
    await waitUntil(() => deepActive() === list.shadowRoot!.querySelector('h3'), 'focus on the heading');
    expect(list.shadowRoot!.querySelector('h3')!.textContent).to.equal('Previous conversations');
    const entry = q(list.shadowRoot!, '[part="thread"]')!;
    expect(entry.textContent).to.contain('How do I reset my password?');
    expect(q(el.shadowRoot!, 'ic-message-list')!.hidden, 'the list replaces the transcript').to.equal(true);
    await expect(el).to.be.accessible();

    const changed = oneEvent(el, 'ic-thread-change') as Promise<IcThreadChangeEvent>;
    entry.click();
    expect((await changed).detail).to.deep.include({ threadId: first, reason: 'reopened' });
    await waitUntil(() => !threadList(el), 'the list closes');
    expect(el.currentThreadId).to.equal(first);
    expect(el.store.messages.map((m) => m.parts)).to.deep.equal(before);
    expect(readPreviousThreads(localStorage, THREAD_KEY), 'the empty new conversation is not listed; the reopened one left the list').to.deep.equal([]);
    await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus in the composer');

    const sent = await sentThreadIds(() => ask(el, 'And if I lost my email?'));
    expect(sent).to.deep.equal([first]);
    expect(el.store.messages).to.have.length(4);
  });

  it('deletes a conversation after an accessible confirmation, with its stored transcript', async () => {
    const el = await chat();
    await ask(el, 'Can I get a refund?');
    const refund = el.currentThreadId!;
    el.newConversation();
    await ask(el, 'Where is my order?');
    const order = el.currentThreadId!;
    el.newConversation();
    await waitUntil(() => readPreviousThreads(localStorage, THREAD_KEY).length === 2, 'both listed');
    const list = await openList(el);
    const root = list.shadowRoot!;
    expect([...root.querySelectorAll('[part="thread"]')].map((b) => b.getAttribute('data-thread'))).to.deep.equal([order, refund]);

    const remove = q(root, `[data-delete="${order}"]`)!;
    expect(remove.getAttribute('aria-label')).to.equal('Delete “Where is my order?”');
    remove.click();
    await waitUntil(() => deepActive()?.textContent === 'Cancel', 'focus on Cancel');
    expect(root.textContent).to.contain('Delete “Where is my order?”? This cannot be undone.');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => deepActive() === q(root, `[data-delete="${order}"]`), 'Escape cancels, focus back on Delete');
    expect(threadList(el), 'Escape only cancelled the confirmation').to.exist;

    q(root, `[data-delete="${order}"]`)!.click();
    await list.updateComplete;
    [...root.querySelectorAll<HTMLButtonElement>('button.primary')].find((b) => b.textContent === 'Delete')!.click();
    await waitUntil(() => root.querySelectorAll('[part="thread"]').length === 1, 'the entry goes');
    await waitUntil(() => deepActive()?.getAttribute('data-thread') === refund, `focus on the entry that took its place, not ${deepActive()?.outerHTML}`);
    expect(readPreviousThreads(localStorage, THREAD_KEY).map((t) => t.thread_id)).to.deep.equal([refund]);
    expect(localStorage.getItem(previousTranscriptKey(THREAD_KEY, order))).to.equal(null);
    expect(localStorage.getItem(previousTranscriptKey(THREAD_KEY, refund))).to.be.a('string');
  });

  it('says when there is none; Back or Escape returns to the conversation and the menu button', async () => {
    const el = await chat();
    const list = await openList(el);
    expect(q(list.shadowRoot!, '[part="threads-empty"]')!.textContent).to.equal('No previous conversations yet.');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !threadList(el), 'closed');
    expect(q(el.shadowRoot!, 'ic-message-list')!.hidden).to.equal(false);
    expect(deepActive()).to.equal(await headerMenuButton(el));
    const again = await openList(el);
    q(again.shadowRoot!, '[part="back-button"]')!.click();
    await waitUntil(() => !threadList(el), 'Back closes it');
  });

  it(`keeps at most ${MAX_PREVIOUS_THREADS} per endpoint, dropping the oldest with its transcript`, () => {
    const message = (text: string): ChatMessage => ({ id: `m_${text}`, role: 'user', status: 'complete', parts: [{ kind: 'text', text }], created_at: 1_700_000_000_000 });
    for (let i = 0; i < MAX_PREVIOUS_THREADS + 2; i++) archiveThread(localStorage, THREAD_KEY, `chat_${i}`, [message(`question ${i}`)], 1_700_000_000_000 + i);
    const kept = readPreviousThreads(localStorage, THREAD_KEY);
    expect(kept).to.have.length(MAX_PREVIOUS_THREADS);
    expect(kept[0]!.thread_id).to.equal(`chat_${MAX_PREVIOUS_THREADS + 1}`);
    expect(kept.at(-1)!.thread_id).to.equal('chat_2');
    expect(localStorage.getItem(previousTranscriptKey(THREAD_KEY, 'chat_0'))).to.equal(null);
    expect(localStorage.getItem(previousTranscriptKey(THREAD_KEY, 'chat_1'))).to.equal(null);
    expect(localStorage.getItem(previousTranscriptKey(THREAD_KEY, 'chat_2'))).to.be.a('string');
    // Another endpoint has a list of its own.
    expect(readPreviousThreads(localStorage, threadStorageKey('/api/other'))).to.deep.equal([]);
    expect(previousThreadsKey(THREAD_KEY)).to.equal('ic-support-chat:threads:/api/support');
  });
});

describe('previous conversations (on the backend, signed in)', () => {
  it('uses the backend’s list: reopens from GET /threads/{id}, continues the thread there, deletes there', async () => {
    const user = { 'x-test-user': `ada-${Math.random().toString(36).slice(2)}` };
    const el = await chat('/api/threads', new ProtocolV1Transport('/api/threads', { headers: user }));
    await waitUntil(() => el.store.session?.features?.threads === true, 'the backend announces features.threads');
    await ask(el, 'How do I reset my password?');
    const first = el.currentThreadId!;
    el.newConversation();
    await ask(el, 'Can I get a refund?');
    const second = el.currentThreadId!;
    el.newConversation();
    expect(localStorage.getItem(previousThreadsKey(threadStorageKey('/api/threads'))), 'nothing listed in the browser').to.equal(null);

    const list = await openList(el);
    const root = list.shadowRoot!;
    expect([...root.querySelectorAll('[part="thread"]')].map((b) => b.getAttribute('data-thread'))).to.deep.equal([second, first]);
    await expect(el).to.be.accessible();
    localStorage.clear(); // the transcript comes from the backend, not from this browser
    q(root, `[data-thread="${first}"]`)!.click();
    await waitUntil(() => el.currentThreadId === first && el.store.messages.length === 2, 'reopened from the backend');
    expect(el.store.messages[0]!.parts).to.deep.equal([{ kind: 'text', text: 'How do I reset my password?' }]);

    expect(await sentThreadIds(() => ask(el, 'And if I lost my email?'))).to.deep.equal([first]);
    const thread = (await (await fetch(`/api/threads/threads/${first}`, { headers: user })).json()) as ThreadResponse;
    expect(
      thread.messages.map((m) => m.role),
      'the backend continued the same thread',
    ).to.deep.equal(['user', 'assistant', 'user', 'assistant']);

    const again = await openList(el);
    q(again.shadowRoot!, `[data-delete="${second}"]`)!.click();
    await again.updateComplete;
    [...again.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.primary')].find((b) => b.textContent === 'Delete')!.click();
    await waitUntil(() => again.shadowRoot!.querySelector('[part="threads-empty"]'), 'the list is empty');
    expect((await fetch(`/api/threads/threads/${second}`, { headers: user })).status).to.equal(404);
  });

  it('reads the list again at each opening, says it is loading and shows nothing stale meanwhile', async () => {
    const gates: Array<() => void> = [];
    let gated = false;
    class Gated extends ProtocolV1Transport {
      override async threadsApi() {
        const api = await super.threadsApi();
        return {
          ...api,
          list: async () => {
            const read = api.list();
            if (gated) await new Promise<void>((release) => gates.push(release));
            return read;
          },
        };
      }
    }
    const el = await chat('/api/threads', new Gated('/api/threads', { headers: { 'x-test-user': `joan-${Math.random().toString(36).slice(2)}` } }));
    await waitUntil(() => el.store.session?.features?.threads === true, 'the backend announces features.threads');
    await ask(el, 'How do I reset my password?');
    const first = el.currentThreadId!;
    el.newConversation();
    const list = await openList(el);
    expect([...list.shadowRoot!.querySelectorAll('[part="thread"]')].map((b) => b.getAttribute('data-thread'))).to.deep.equal([first]);
    q(list.shadowRoot!, '[part="back-button"]')!.click();
    await waitUntil(() => !threadList(el), 'closed');

    // The visitor reopens the first conversation and continues it: the old list named it.
    await el.store.reopenThread(first);
    await ask(el, 'And if I lost my email?');
    gated = true;
    (await headerMenuButton(el)).click();
    q(el.shadowRoot!, '[part="previous-conversations-button"]')!.click();
    await waitUntil(() => gates.length === 1, 'the list is being read');
    await list.updateComplete;
    expect(list.shadowRoot!.querySelectorAll('[part="thread"], [part="thread-delete-button"], [part="threads-empty"]'), 'nothing from the last opening').to.have.length(0);
    // It says it is reading, in a live region that stays (its text is announced when it changes).
    const loading = q(list.shadowRoot!, '[part="threads-loading"]')!;
    expect(loading.getAttribute('role')).to.equal('status');
    expect(loading.textContent).to.equal('Loading…');
    await expect(el).to.be.accessible();
    gates.shift()!();
    await waitUntil(() => list.shadowRoot!.querySelector('[part="threads-empty"]'), 'the conversation on screen is not listed');
    expect(loading.isConnected && loading.textContent, 'the same region, emptied').to.equal('');
    await expect(el).to.be.accessible();
  });

  it('says so when the backend’s list cannot be read, and keeps the conversation on screen', async () => {
    class Refusing extends ProtocolV1Transport {
      override async threadsApi() {
        const api = await super.threadsApi();
        return { ...api, list: () => Promise.reject(new Error('503 from the backend')) };
      }
    }
    const el = await chat('/api/threads', new Refusing('/api/threads', { headers: { 'x-test-user': `eve-${Math.random().toString(36).slice(2)}` } }));
    await waitUntil(() => el.store.session?.features?.threads === true, 'the backend announces features.threads');
    await ask(el, 'How do I reset my password?');
    const list = await openList(el);
    expect(q(list.shadowRoot!, '[role="alert"]')!.textContent).to.equal('Previous conversations are unavailable right now. Please try again.');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !threadList(el), 'closed');
    expect(el.store.messages).to.have.length(2);
  });

  it('forgets the last opening’s error while it reads the list again', async () => {
    let calls = 0;
    let release!: () => void;
    class FailingOnce extends ProtocolV1Transport {
      override async threadsApi() {
        const api = await super.threadsApi();
        return {
          ...api,
          list: async () => {
            if (calls++ === 0) throw new Error('503 from the backend');
            await new Promise<void>((resolve) => (release = resolve));
            return api.list();
          },
        };
      }
    }
    const el = await chat('/api/threads', new FailingOnce('/api/threads', { headers: { 'x-test-user': `ida-${Math.random().toString(36).slice(2)}` } }));
    await waitUntil(() => el.store.session?.features?.threads === true, 'the backend announces features.threads');
    await ask(el, 'How do I reset my password?');
    const list = await openList(el);
    expect(Boolean(q(list.shadowRoot!, '[role="alert"]')), 'the first reading failed').to.equal(true);
    q(list.shadowRoot!, '[part="back-button"]')!.click();
    await waitUntil(() => !threadList(el), 'closed');
    (await headerMenuButton(el)).click();
    q(el.shadowRoot!, '[part="previous-conversations-button"]')!.click();
    await waitUntil(() => calls === 2 && release, 'the list is being read again');
    await list.updateComplete;
    try {
      expect(Boolean(q(list.shadowRoot!, '[role="alert"]')), 'no error from the last opening').to.equal(false);
      expect(q(list.shadowRoot!, '[part="threads-loading"]')!.textContent).to.equal('Loading…');
    } finally {
      release();
    }
    await waitUntil(() => list.shadowRoot!.querySelector('[part="threads-empty"]'), 'read');
    expect(Boolean(q(list.shadowRoot!, '[role="alert"]'))).to.equal(false);
    await expect(el).to.be.accessible();
  });
});
