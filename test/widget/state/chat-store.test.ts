import { expect } from '@open-wc/testing';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import { base64url, createThreadId, THREAD_ID_PATTERN, threadStorageKey } from '../../../src/widget/state/thread-id.js';
import type { IcThreadChangeDetail } from '../../../src/widget/events.js';
import { messageText } from '../../../src/widget/types.js';
import { errorText } from '../../../src/widget/message/message.js';
import { en } from '../../../src/widget/i18n/strings.js';
import { completed, delta, failed, MemoryStorage, ScriptedTransport, started } from '../support/scripted-transport.js';

const KEY = threadStorageKey('/api/support');

function setup(options: { storage?: MemoryStorage | null; threadId?: string } = {}) {
  const transport = new ScriptedTransport();
  const storage = options.storage === undefined ? new MemoryStorage() : options.storage;
  const store = new ChatStore({ transport, storage, storageKey: KEY, threadId: options.threadId ?? null, warn: () => {} });
  const threadChanges: IcThreadChangeDetail[] = [];
  store.on('thread-change', (e) => threadChanges.push(e.detail));
  return { store, transport, storage, threadChanges };
}

describe('thread ids', () => {
  it('are chat_ + 128 random bits in base64url, different every time', () => {
    const ids = new Set(Array.from({ length: 200 }, () => createThreadId()));
    expect(ids.size).to.equal(200);
    for (const id of ids) expect(id).to.match(THREAD_ID_PATTERN);
  });

  it('take their bits from the injected random source, encoded as base64url', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 250) & 255);
    const id = createThreadId((target) => (target.set(bytes), target));
    const expected = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(id).to.equal(`chat_${expected}`);
    expect(base64url(new Uint8Array([0xff, 0xff, 0xff]))).to.equal('____');
  });

  it('is created when the conversation starts, sent on every turn and stored per endpoint', async () => {
    const { store, transport, storage, threadChanges } = setup();
    expect(store.threadId).to.equal(null);
    const first = store.send('Hello');
    const id = store.threadId;
    expect(id).to.match(THREAD_ID_PATTERN);
    expect(storage!.getItem(KEY)).to.equal(id);
    expect(threadChanges).to.deep.equal([{ threadId: id, previous: null, reason: 'created' }]);
    transport.runs[0]!.push(started('run_1', id!), completed('run_1'));
    await first;
    const second = store.send('Again');
    transport.runs[1]!.push(started('run_2', id!), completed('run_2'));
    await second;
    expect(transport.runs.map((r) => r.request.thread_id)).to.deep.equal([id, id]);
    expect(threadChanges).to.have.length(1);
  });

  it('is restored from storage, and an explicit thread id wins without being stored', () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, 'chat_storedstoredstoredstor');
    expect(setup({ storage }).store.threadId).to.equal('chat_storedstoredstoredstor');

    const { store, threadChanges } = setup({ storage, threadId: 'chat_explicit' });
    expect(store.threadId).to.equal('chat_explicit');
    store.setExplicitThreadId('chat_other');
    expect(store.threadId).to.equal('chat_other');
    expect(threadChanges.at(-1)).to.deep.equal({ threadId: 'chat_other', previous: 'chat_explicit', reason: 'attribute' });
    expect(storage.getItem(KEY)).to.equal('chat_storedstoredstoredstor');
    store.setExplicitThreadId(null);
    expect(store.threadId).to.equal('chat_storedstoredstoredstor');
    expect(threadChanges.at(-1)!.reason).to.equal('restored');
  });

  it('ignores a corrupt stored value and refuses an unsafe explicit one', () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, '<script>alert(1)</script>');
    const { store } = setup({ storage });
    expect(store.threadId).to.equal(null);
    store.setExplicitThreadId('bad id with spaces');
    expect(store.threadId).to.equal(null);
  });

  it('is kept nowhere with persist none, and survives a storage that throws', async () => {
    const none = setup({ storage: null });
    const run = none.store.send('Hi');
    none.transport.runs[0]!.push(completed('r'));
    await run;
    expect(none.store.threadId).to.match(THREAD_ID_PATTERN);

    const throwing = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
      removeItem: () => {},
    };
    const store = new ChatStore({ transport: new ScriptedTransport(), storage: throwing, warn: () => {} });
    expect(store.threadId).to.equal(null);
    store.newConversation();
    expect(store.threadId).to.match(THREAD_ID_PATTERN);
  });

  it('keeps the conversation on screen when the new key has no stored thread', () => {
    const storage = new MemoryStorage();
    const store = new ChatStore({ storage, storageKey: threadStorageKey('/a') });
    store.newConversation();
    const id = store.threadId;
    store.setPersistence(null, threadStorageKey('/b'));
    expect(store.threadId).to.equal(id);
  });

  it('is re-read when the storage key (the endpoint) changes', () => {
    const storage = new MemoryStorage();
    storage.setItem(threadStorageKey('/a'), 'chat_aaaaaaaaaaaaaaaaaaaaaa');
    storage.setItem(threadStorageKey('/b'), 'chat_bbbbbbbbbbbbbbbbbbbbbb');
    const store = new ChatStore({ storage, storageKey: threadStorageKey('/a') });
    expect(store.threadId).to.equal('chat_aaaaaaaaaaaaaaaaaaaaaa');
    store.setPersistence(storage, threadStorageKey('/b'));
    expect(store.threadId).to.equal('chat_bbbbbbbbbbbbbbbbbbbbbb');
  });
});

describe('ChatStore.send', () => {
  it('streams a reply: statuses, deltas, events, and the draft cleared', async () => {
    const { store, transport } = setup();
    const statuses: string[] = [store.status];
    const deltas: string[] = [];
    const events: string[] = [];
    store.on('change', () => statuses.at(-1) !== store.status && statuses.push(store.status));
    store.on('delta', (e) => deltas.push(e.detail.delta));
    store.on('run-start', (e) => events.push(`start:${e.detail.runId}`));
    store.on('run-complete', (e) => events.push(`complete:${e.detail.stopReason}:${messageText(e.detail.message)}`));
    store.setDraft('  How do I reset my password?  ');
    const sending = store.send();
    expect(store.draft).to.equal('');
    expect(store.status).to.equal('sending');
    const run = transport.runs[0]!;
    expect(run.request.input).to.deep.equal([{ role: 'user', content: 'How do I reset my password?' }]);
    expect(run.request.stream).to.equal(true);
    run.push(started('run_1'), delta('run_1', 'Open **Settings**'), delta('run_1', ', then Reset.'), completed('run_1'));
    expect(await sending).to.equal(true);
    expect(statuses).to.deep.equal(['idle', 'sending', 'streaming', 'idle']);
    expect(deltas).to.deep.equal(['Open **Settings**', ', then Reset.']);
    expect(events).to.deep.equal(['start:run_1', 'complete:end_turn:Open **Settings**, then Reset.']);
    const [user, assistant] = store.messages;
    expect(user).to.include({ role: 'user', status: 'complete', run_id: 'run_1' });
    expect(messageText(user!)).to.equal('How do I reset my password?');
    expect(assistant).to.include({ role: 'assistant', status: 'complete', run_id: 'run_1' });
    expect(assistant!.parts).to.deep.equal([{ kind: 'text', text: 'Open **Settings**, then Reset.' }]);
  });

  it('refuses blank text, a second turn while one runs, and a cancelled send event', async () => {
    const { store, transport } = setup();
    expect(await store.send('   ')).to.equal(false);
    const first = store.send('one');
    expect(await store.send('two')).to.equal(false);
    transport.runs[0]!.push(completed('r1'));
    await first;
    store.on('send', (e) => e.preventDefault());
    store.setDraft('kept');
    expect(await store.send()).to.equal(false);
    expect(store.draft).to.equal('kept');
    expect(transport.runs).to.have.length(1);
    expect(store.messages).to.have.length(2);
  });

  it('keeps the draft when sending other text programmatically', async () => {
    const { store, transport } = setup();
    store.setDraft('half-typed');
    const sending = store.send('from the host page');
    transport.runs[0]!.push(completed('r'));
    await sending;
    expect(store.draft).to.equal('half-typed');
  });

  it('Stop aborts, keeps the partial reply marked stopped, cancels the run and ignores what follows', async () => {
    const { store, transport } = setup();
    const completes: string[] = [];
    store.on('run-complete', (e) => completes.push(e.detail.stopReason));
    const sending = store.send('Tell me everything');
    const run = transport.runs[0]!;
    await new Promise<void>((resolve) => {
      const off = store.on('delta', () => (off(), resolve()));
      run.push(started('run_9'), delta('run_9', 'Partial '));
    });
    store.stop();
    expect(run.signal.aborted).to.equal(true);
    expect(store.status).to.equal('idle');
    run.push(delta('run_9', 'late'), completed('run_9'));
    await sending;
    const reply = store.messages[1]!;
    expect(reply.status).to.equal('stopped');
    expect(messageText(reply)).to.equal('Partial ');
    expect(transport.cancelled).to.deep.equal(['run_9']);
    expect(completes).to.deep.equal(['cancelled']);
    expect(store.draft).to.equal('');
  });

  it('Stop before the run started aborts without a cancel call', async () => {
    const { store, transport } = setup();
    const sending = store.send('Quick');
    store.stop();
    await sending;
    expect(store.messages[1]!.status).to.equal('stopped');
    expect(transport.runs[0]!.signal.aborted).to.equal(true);
    expect(transport.cancelled).to.deep.equal([]);
  });
});

describe('ChatStore errors and Retry', () => {
  it('a refused request shows the error, puts the text back in the composer, and Retry resends the same input', async () => {
    const { store, transport } = setup();
    const errors: string[] = [];
    store.on('error', (e) => errors.push(`${e.detail.phase}:${e.detail.error.code}`));
    transport.refuseWith = new ProtocolError('rate_limited', 'Slow down.', { status: 429, retryAfterMs: 200 });
    const before = Date.now();
    expect(await store.send('My invoice is wrong')).to.equal(true);
    const failedReply = store.messages[1]!;
    expect(failedReply.status).to.equal('error');
    const { retryAt, ...error } = failedReply.error!;
    expect(error).to.deep.equal({ code: 'rate_limited', message: 'Slow down.', retryAfterMs: 200 });
    // Retry-After becomes the time Retry is allowed again; an early Retry waits until then.
    expect(retryAt).to.be.within(before + 200, Date.now() + 200);
    expect(store.draft).to.equal('My invoice is wrong');
    expect(store.retryableMessageId).to.equal(failedReply.id);
    expect(errors).to.deep.equal(['run:rate_limited']);

    transport.refuseWith = undefined;
    const retrying = store.retry();
    expect(store.draft).to.equal('');
    expect(store.messages.map((m) => m.id)).to.not.include(failedReply.id);
    expect(transport.runs).to.have.length(0);
    (await transport.nextRun()).push(started('r2'), delta('r2', 'Fixed.'), completed('r2'));
    expect(Date.now()).to.be.at.least(retryAt!);
    expect(await retrying).to.equal(true);
    expect(transport.runs[0]!.request.input).to.deep.equal([{ role: 'user', content: 'My invoice is wrong' }]);
    expect(store.messages.map((m) => [m.role, m.status, messageText(m)])).to.deep.equal([
      ['user', 'complete', 'My invoice is wrong'],
      ['assistant', 'complete', 'Fixed.'],
    ]);
    expect(store.retryableMessageId).to.equal(null);
    expect(await store.retry()).to.equal(false);
  });

  it('a network failure is a network_error; the restored text never overwrites a new draft', async () => {
    const { store, transport } = setup();
    transport.refuseWith = new TypeError('Failed to fetch');
    const sending = store.send('First');
    store.setDraft('typed meanwhile');
    await sending;
    expect(store.messages[1]!.error!.code).to.equal('network_error');
    expect(store.draft).to.equal('typed meanwhile');
  });

  it('sending the restored text again replaces the failed turn instead of duplicating it', async () => {
    const { store, transport } = setup();
    transport.refuseWith = new ProtocolError('unavailable', 'Down.', { status: 503 });
    await store.send('Hello?');
    transport.refuseWith = undefined;
    const again = store.send();
    transport.runs[0]!.push(started('r'), delta('r', 'Hi!'), completed('r'));
    await again;
    expect(store.messages.map((m) => messageText(m))).to.deep.equal(['Hello?', 'Hi!']);
  });

  it('a stream that ends early keeps the partial reply marked interrupted; Retry adds a fresh reply', async () => {
    const { store, transport } = setup();
    const sending = store.send('Explain sync');
    transport.runs[0]!.push(started('r1'), delta('r1', 'Sync works by'));
    transport.runs[0]!.end();
    await sending;
    const partial = store.messages[1]!;
    expect(partial.status).to.equal('interrupted');
    expect(partial.error!.code).to.equal('interrupted');
    expect(messageText(partial)).to.equal('Sync works by');
    // The backend took the turn: it stays in the transcript (with Retry), not back in the composer.
    expect(store.draft).to.equal('');

    const retrying = store.retry();
    transport.runs[1]!.push(started('r2'), delta('r2', 'Sync works by magic.'), completed('r2'));
    await retrying;
    expect(store.messages.map((m) => [m.status, messageText(m), m.error?.code])).to.deep.equal([
      ['complete', 'Explain sync', undefined],
      ['interrupted', 'Sync works by', undefined],
      ['complete', 'Sync works by magic.', undefined],
    ]);
  });

  it('run.failed marks the reply as an error with the backend code', async () => {
    const { store, transport } = setup();
    const sending = store.send('Hi');
    transport.runs[0]!.push(started('r'), failed('r', 'upstream_error', 'The model is down.'));
    await sending;
    expect(store.messages[1]!.status).to.equal('error');
    expect(store.messages[1]!.error).to.deep.equal({ code: 'upstream_error', message: 'The model is down.' });
    expect(store.status).to.equal('idle');
  });

  for (const code of ['upstream_timeout', 'run_timeout']) {
    it(`run.failed ${code} after some text keeps the partial reply, marked interrupted (the server ran out of time)`, async () => {
      const { store, transport } = setup();
      const sending = store.send('Explain sync');
      transport.runs[0]!.push(started('r'), delta('r', 'Sync works by'), failed('r', code, 'Stopped.'));
      await sending;
      expect(store.messages[1]!.status).to.equal('interrupted');
      expect(messageText(store.messages[1]!)).to.equal('Sync works by');
      expect(errorText(store.messages[1]!.error!, en)).to.equal(en.errorTimeout);
    });
  }

  it('without a transport a send fails visibly instead of hanging', async () => {
    const store = new ChatStore();
    await store.send('Anyone?');
    expect(store.messages[1]!.status).to.equal('error');
    expect(store.draft).to.equal('Anyone?');
  });
});

describe('ChatStore.newConversation and connect', () => {
  it('clears the transcript, aborts a running reply, keeps the draft and starts a new stored thread', async () => {
    const { store, transport, storage, threadChanges } = setup();
    const sending = store.send('First question');
    const oldId = store.threadId;
    await new Promise<void>((resolve) => {
      store.on('run-start', () => resolve());
      transport.runs[0]!.push(started('r1'));
    });
    store.setDraft('next question');
    store.newConversation();
    await sending;
    expect(transport.runs[0]!.signal.aborted).to.equal(true);
    expect(transport.cancelled).to.deep.equal(['r1']);
    expect(store.messages).to.deep.equal([]);
    expect(store.status).to.equal('idle');
    expect(store.draft).to.equal('next question');
    expect(store.threadId).to.match(THREAD_ID_PATTERN).and.not.equal(oldId);
    expect(storage!.getItem(KEY)).to.equal(store.threadId);
    expect(threadChanges.at(-1)).to.deep.equal({ threadId: store.threadId, previous: oldId, reason: 'new-conversation' });
  });

  it('connect stores the session and its limits; a failure is reported, not thrown', async () => {
    const { store, transport } = setup();
    const session = await store.connect();
    expect(session?.limits.max_files).to.equal(2);
    expect(store.limits).to.deep.equal({ max_file_bytes: 1024, max_files: 2, accept: ['image/png'] });

    const errors: string[] = [];
    store.on('error', (e) => errors.push(`${e.detail.phase}:${e.detail.error.code}`));
    transport.session = new ProtocolError('forbidden', 'Origin not allowed.', { status: 403 });
    expect(await store.connect()).to.equal(null);
    expect(store.sessionError?.code).to.equal('forbidden');
    expect(errors).to.deep.equal(['session:forbidden']);
  });

  it('a session that failed at page load (an outage) is sent again before the next turn, and its features count from then on', async () => {
    const { store, transport } = setup();
    const healthy = transport.session as Exclude<typeof transport.session, Error>;
    let opened = 0;
    const open = transport.openSession.bind(transport);
    transport.openSession = () => (opened++, open());
    transport.session = new ProtocolError('unavailable', 'The service is not answering just now.', { status: 503 });
    expect(await store.connect()).to.equal(null);
    expect(store.sessionError?.code).to.equal('unavailable');

    // Still down at the first turn: the session is tried once more and the turn goes anyway.
    const first = store.send('Hello');
    await transport.nextRun();
    expect(opened).to.equal(2);
    transport.runs[0]!.push(started('run_1', store.threadId!), completed('run_1'));
    await first;
    expect(store.session).to.equal(null);

    // Back up: the next turn waits for the session, which now brings its features.
    transport.session = { ...healthy, features: { resume: true } };
    const second = store.send('Again');
    await transport.nextRun();
    expect(opened).to.equal(3);
    expect(store.session?.features?.resume).to.equal(true);
    expect(store.sessionError).to.equal(null);
    transport.runs[1]!.push(started('run_2', store.threadId!), completed('run_2'));
    await second;
    // A session that worked is not sent again.
    const third = store.send('Once more');
    expect(transport.runs).to.have.length(3);
    expect(opened).to.equal(3);
    transport.runs[2]!.push(started('run_3', store.threadId!), completed('run_3'));
    await third;
  });

  it('a session refused for good (403, 404) is not sent again before each turn', async () => {
    for (const [code, status] of [
      ['forbidden', 403],
      ['not_found', 404],
    ] as const) {
      const { store, transport } = setup();
      let opened = 0;
      const open = transport.openSession.bind(transport);
      transport.openSession = () => (opened++, open());
      transport.session = new ProtocolError(code, 'Refused.', { status });
      await store.connect();
      const turn = store.send('Hello');
      expect(transport.runs).to.have.length(1);
      expect(opened, code).to.equal(1);
      transport.runs[0]!.push(started('run_1', store.threadId!), completed('run_1'));
      await turn;
    }
  });
});
