// What a failed turn does to the composer (DESIGN.md: "a failed send keeps the text and attachments in
// the composer; an interrupted stream keeps the partial reply, marked as interrupted, with Retry"):
// only a turn the backend never took goes back into the composer. Once the run started, the question
// stays in the transcript with Retry and the composer is left alone, so the next thing typed is sent
// on its own (the audit saw "Slow reply pleaseAre you there?" go out).
import { expect } from '@open-wc/testing';
import { ProtocolError } from '../../../src/protocol/errors.js';
import type { ContentPart } from '../../../src/protocol/types.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import { messageText } from '../../../src/widget/types.js';
import { pdfFile } from '../attachments/files.js';
import { completed, delta, failed, ScriptedTransport, started } from '../support/scripted-transport.js';

function setup() {
  const transport = new ScriptedTransport();
  transport.session = { v: 1, visitor: { kind: 'anonymous' }, limits: { max_file_bytes: 1_000_000, max_files: 3, accept: ['application/pdf'] } };
  const store = new ChatStore({ transport, storage: null, warn: () => {} });
  return { store, transport };
}

/** Sends the draft and cuts the stream after `events`, resolving when the turn has failed. */
async function sendAndCut(store: ChatStore, transport: ScriptedTransport, ...events: Parameters<ScriptedTransport['runs'][number]['push']>): Promise<void> {
  const next = transport.nextRun();
  const sending = store.send();
  const run = await next;
  run.push(...events);
  run.fail(new TypeError('network error'));
  await sending;
}

describe('a failed turn and the composer', () => {
  it('cut mid-stream: the question stays in the transcript, the partial reply is kept with Retry, the composer stays empty', async () => {
    const { store, transport } = setup();
    store.setDraft('Slow reply please');
    await sendAndCut(store, transport, started('r1'), delta('r1', 'Here is the first'), delta('r1', ' half'));
    expect(store.messages.map((m) => [m.role, m.status, messageText(m)])).to.deep.equal([
      ['user', 'complete', 'Slow reply please'],
      ['assistant', 'interrupted', 'Here is the first half'],
    ]);
    expect(store.retryableMessageId).to.equal(store.messages[1]!.id);
    expect(store.draft).to.equal('');

    // The next question goes out on its own; the interrupted turn stays as it was.
    store.setDraft('Are you there?');
    const next = transport.nextRun();
    const sending = store.send();
    const run = await next;
    expect(run.request.input).to.deep.equal([{ role: 'user', content: 'Are you there?' }]);
    run.push(started('r2'), delta('r2', 'Yes.'), completed('r2'));
    await sending;
    expect(store.messages.map((m) => messageText(m))).to.deep.equal(['Slow reply please', 'Here is the first half', 'Are you there?', 'Yes.']);
  });

  it('failed right after run.started (nothing else arrived): the turn was taken, the composer stays empty', async () => {
    const { store, transport } = setup();
    store.setDraft('Hello?');
    await sendAndCut(store, transport, started('r1'));
    expect(store.messages[1]!.status).to.equal('error');
    expect(store.messages[1]!.error!.code).to.equal('network_error');
    expect(store.draft).to.equal('');
  });

  it('a delta without run.started also counts as the turn taken', async () => {
    const { store, transport } = setup();
    store.setDraft('Hello?');
    const next = transport.nextRun();
    const sending = store.send();
    const run = await next;
    run.push(delta('r1', 'Partial'));
    run.end();
    await sending;
    expect(store.messages[1]!.status).to.equal('interrupted');
    expect(store.draft).to.equal('');

    // Sending the same words again is a new turn: the interrupted one is not taken out of the transcript.
    store.setDraft('Hello?');
    const again = transport.nextRun();
    const resending = store.send();
    (await again).push(started('r2'), completed('r2'));
    await resending;
    expect(store.messages.map((m) => [m.role, messageText(m)])).to.deep.equal([
      ['user', 'Hello?'],
      ['assistant', 'Partial'],
      ['user', 'Hello?'],
      ['assistant', ''],
    ]);
  });

  it('run.failed after the run started keeps the partial reply with Retry and leaves the composer alone', async () => {
    const { store, transport } = setup();
    store.setDraft('Summarise my invoice');
    const next = transport.nextRun();
    const sending = store.send();
    (await next).push(started('r1'), delta('r1', 'Your invoice'), failed('r1', 'upstream_error', 'The model failed.'));
    await sending;
    expect(store.messages[1]!.status).to.equal('error');
    expect(messageText(store.messages[1]!)).to.equal('Your invoice');
    expect(store.retryableMessageId).to.equal(store.messages[1]!.id);
    expect(store.draft).to.equal('');
  });

  it('refused before the stream (5xx, nothing received): the text goes back into the composer', async () => {
    const { store, transport } = setup();
    transport.refuseWith = new ProtocolError('unavailable', 'Down.', { status: 503 });
    store.setDraft('Where is my order?');
    await store.send();
    expect(store.messages[1]!.status).to.equal('error');
    expect(store.draft).to.equal('Where is my order?');
  });

  it('files: a turn cut mid-stream keeps them in the transcript only; a refused one puts them back', async () => {
    const { store, transport } = setup();
    await store.connect();
    await store.attachments.add([pdfFile('invoice.pdf', 1)]);
    store.setDraft('What is this charge?');
    await sendAndCut(store, transport, started('r1'), delta('r1', 'That charge is'));
    expect(store.messages[0]!.attachments!.map((a) => a.name)).to.deep.equal(['invoice.pdf']);
    expect(store.attachments.items).to.have.length(0);
    expect(store.draft).to.equal('');

    // Retry sends the same text and file again.
    const next = transport.nextRun();
    const retrying = store.retry();
    const run = await next;
    expect((run.request.input[0]!.content as ContentPart[]).map((c) => c.type)).to.deep.equal(['text', 'file']);
    run.push(started('r2'), delta('r2', 'A refund.'), completed('r2'));
    await retrying;

    transport.refuseWith = new TypeError('Failed to fetch');
    await store.attachments.add([pdfFile('receipt.pdf', 1)]);
    store.setDraft('And this one?');
    await store.send();
    expect(store.attachments.items.map((i) => i.name)).to.deep.equal(['receipt.pdf']);
    expect(store.draft).to.equal('And this one?');
  });

  it('Retry after a cut never takes text the visitor typed meanwhile out of the composer', async () => {
    const { store, transport } = setup();
    store.setDraft('Explain sync');
    await sendAndCut(store, transport, started('r1'), delta('r1', 'Sync is'));
    // The visitor starts typing the same question again, then presses Retry instead.
    store.setDraft('Explain sync');
    const next = transport.nextRun();
    const retrying = store.retry();
    (await next).push(started('r2'), delta('r2', 'Sync is done nightly.'), completed('r2'));
    await retrying;
    expect(store.draft).to.equal('Explain sync');
  });
});
