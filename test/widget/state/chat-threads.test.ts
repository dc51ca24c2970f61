// The store's previous conversations, DOM-free (injected storage, scripted transport): a conversation
// moves to the list on New conversation (one without a question does not), is reopened on its own
// thread with its transcript, deleted with its transcript.
import { expect } from '@open-wc/testing';
import { waitUntil } from '../support/dom.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import { previousTranscriptKey } from '../../../src/widget/state/thread-archive.js';
import { threadStorageKey } from '../../../src/widget/state/thread-id.js';
import type { IcThreadChangeDetail } from '../../../src/widget/events.js';
import { completed, delta, MemoryStorage, ScriptedTransport, started } from '../support/scripted-transport.js';

const KEY = threadStorageKey('/api/support');

function setup() {
  const transport = new ScriptedTransport();
  const storage = new MemoryStorage();
  const store = new ChatStore({ transport, storage, storageKey: KEY, warn: () => {} });
  const changes: IcThreadChangeDetail[] = [];
  store.on('thread-change', (e) => changes.push(e.detail));
  return { store, transport, storage, changes };
}

async function turn(store: ChatStore, transport: ScriptedTransport, text: string, reply: string): Promise<void> {
  const sent = store.send(text);
  const run = transport.runs.at(-1)!;
  run.push(started(`run_${transport.runs.length}`, store.threadId!), delta(`run_${transport.runs.length}`, reply), completed(`run_${transport.runs.length}`));
  await sent;
}

describe('ChatStore: previous conversations', () => {
  it('keeps, reopens and deletes conversations in the injected storage', async () => {
    const { store, transport, storage, changes } = setup();
    await turn(store, transport, '  How do   I reset\nmy password? ', 'Use the link.');
    const first = store.threadId!;
    store.newConversation();
    store.newConversation(); // an empty conversation is not listed
    await waitUntil(async () => (await store.previousThreads()).length === 1, 'listed');
    const [entry] = await store.previousThreads();
    expect(entry).to.include({ thread_id: first, title: 'How do I reset my password?' });

    await turn(store, transport, 'Refunds?', 'Within 30 days.');
    const second = store.threadId!;
    expect(await store.reopenThread(first)).to.equal(true);
    expect(store.threadId).to.equal(first);
    expect(store.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant']);
    expect(store.restoredAt, '"Conversation from DATE" above it').to.be.a('number');
    expect(changes.at(-1)).to.deep.equal({ threadId: first, previous: changes.at(-1)!.previous, reason: 'reopened' });
    await waitUntil(async () => (await store.previousThreads()).map((t) => t.thread_id).join() === second, 'the one it replaced is listed');
    expect(storage.getItem(previousTranscriptKey(KEY, first)), 'its copy in the list is gone').to.equal(null);

    await turn(store, transport, 'And my email?', 'Contact us.');
    expect(transport.runs.at(-1)!.request.thread_id).to.equal(first);
    expect(await store.reopenThread(first), 'the conversation on screen').to.equal(false);
    expect(await store.reopenThread('chat_unknown'), 'not in the list').to.equal(false);

    await store.deleteThread(second);
    expect(await store.previousThreads()).to.deep.equal([]);
    expect(storage.getItem(previousTranscriptKey(KEY, second))).to.equal(null);
  });
});
