// A reload mid-reply (issue 15): a real page in an iframe, reloaded while the reply streams. The new
// page restores the transcript, picks the run up again (replayed from its start) and finishes the
// same text as an uninterrupted reply; the backend ran the turn once.
import { expect } from '@open-wc/testing';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { messageText } from '../../../src/widget/types.js';
import { ask, cutChat, cutEndpoint, transcript, upstreamRuns } from '../support/cut-endpoint.js';
import { until } from '../support/fault-endpoint.js';

const QUESTION = 'slow reply please';

type FrameWindow = Window & { chatReady?: boolean };

async function loadPage(frame: HTMLIFrameElement, endpoint: string, protocol = ''): Promise<IcSupportChat> {
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  if (frame.src) (frame.contentWindow as FrameWindow).location.reload();
  else frame.src = `/test/widget/resume/reload-page.html?endpoint=${encodeURIComponent(endpoint)}&protocol=${protocol}`;
  await loaded;
  await until(() => (frame.contentWindow as FrameWindow).chatReady, 'the page to define the widget', 10_000);
  const chat = frame.contentDocument!.querySelector('ic-support-chat')!;
  await chat.updateComplete;
  return chat;
}

describe('a reload mid-reply', function () {
  this.timeout(60_000);
  let frame: HTMLIFrameElement;

  beforeEach(() => {
    frame = document.createElement('iframe');
    frame.style.cssText = 'width: 400px; height: 460px';
    document.body.append(frame);
  });
  afterEach(() => {
    frame.remove();
    localStorage.clear();
  });

  it('restores the transcript and finishes the same text, the turn run once', async () => {
    const reference = await cutChat(cutEndpoint('none').endpoint);
    await ask(reference, QUESTION);
    const expected = transcript(reference);
    expect(expected[1]![1]).to.equal('complete');
    reference.parentElement!.remove();

    const { endpoint } = cutEndpoint('none');
    let chat = await loadPage(frame, endpoint);
    await chat.store.connect();
    void chat.store.send(QUESTION);
    await until(() => messageText(chat.store.messages[1] ?? ({ parts: [] } as never)).length > 30, 'part of the reply');
    const threadId = chat.store.threadId!;

    chat = await loadPage(frame, endpoint);
    expect(chat.store.threadId).to.equal(threadId);
    await until(() => chat.store.messages[1]?.status === 'complete', 'the resumed reply to finish', 30_000);
    expect(transcript(chat)).to.deep.equal(expected);
    expect(await upstreamRuns(threadId)).to.equal(1);
  });

  it('protocol="ai-sdk": resumes the AI SDK way (GET {api}/{chatId}/stream) and finishes the same text', async () => {
    const endpoint = `/api/ai-sdk/chat?resumable=1&t=${Date.now()}`;
    let chat = await loadPage(frame, endpoint, 'ai-sdk');
    void chat.store.send('a slow one please');
    await until(() => messageText(chat.store.messages[1] ?? ({ parts: [] } as never)).length > 5, 'part of the reply');
    chat = await loadPage(frame, endpoint, 'ai-sdk');
    await until(() => chat.store.messages[1]?.status === 'complete', 'the resumed reply to finish', 20_000);
    expect(transcript(chat)).to.deep.equal([
      ['user', 'complete', 'a slow one please'],
      ['assistant', 'complete', 'one two three four five six seven eight nine ten eleven twelve'],
    ]);
  });

  it('protocol="ai-sdk": a route with nothing to resume (204) leaves the reply interrupted, with Retry', async () => {
    const endpoint = `/api/ai-sdk/chat?t=${Date.now()}`;
    let chat = await loadPage(frame, endpoint, 'ai-sdk');
    void chat.store.send('a slow one please');
    await until(() => messageText(chat.store.messages[1] ?? ({ parts: [] } as never)).length > 5, 'part of the reply');
    chat = await loadPage(frame, endpoint, 'ai-sdk');
    await until(() => chat.store.retryableMessageId !== null, 'Retry', 10_000);
    expect(transcript(chat)[0]).to.deep.equal(['user', 'complete', 'a slow one please']);
    expect(chat.store.busy).to.equal(false);
  });
});
