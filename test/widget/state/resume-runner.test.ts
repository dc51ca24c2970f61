// The store's side of resumable runs, with a scripted transport: when a broken reply is picked up
// again, and when it falls back to Retry as before.
import { expect } from '@open-wc/testing';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import type { Connectivity } from '../../../src/widget/state/connectivity.js';
import { resumeDelay } from '../../../src/widget/state/run-resume.js';
import type { ResumeTarget, TransportRunOptions } from '../../../src/widget/state/transport.js';
import type { RunEvent } from '../../../src/protocol/types.js';
import { messageText } from '../../../src/widget/types.js';
import { untilIdle } from '../support/dom.js';
import { until } from '../support/fault-endpoint.js';
import { completed, ControlledRun, delta, ScriptedTransport, started } from '../support/scripted-transport.js';

/** A scripted backend that resumes runs (`features.resume`). */
class ResumingTransport extends ScriptedTransport {
  readonly resumes: { target: ResumeTarget; run: ControlledRun }[] = [];
  resumesRuns(): boolean {
    return true;
  }
  resumeRun(target: ResumeTarget, options: TransportRunOptions): AsyncIterable<RunEvent> {
    const run = new ControlledRun({ thread_id: target.threadId, input: [] }, options.signal);
    this.resumes.push({ target, run });
    return run.events();
  }
}

/** Offline until `goOnline()`: the runner then waits for the connection, not for a timer. */
function switchableConnectivity() {
  let online = true;
  const waiting: (() => void)[] = [];
  const connectivity: Connectivity = {
    isOnline: () => online,
    waitForOnline: (signal) =>
      new Promise<void>((resolve, reject) => {
        waiting.push(resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  };
  return {
    connectivity,
    goOffline: () => (online = false),
    goOnline: () => {
      online = true;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

const interrupted = { code: 'interrupted', message: 'The connection closed before the reply finished.' };

describe('resuming a broken reply', () => {
  it('offline when the stream broke: "reconnecting" until the browser is back online, then resumes the run', async () => {
    const transport = new ResumingTransport();
    const net = switchableConnectivity();
    const store = new ChatStore({ transport, connectivity: net.connectivity, warn: () => {} });
    await store.connect();
    const next = transport.nextRun();
    const done = store.send('Hi');
    const run = await next;
    run.push(started('r1'), delta('r1', 'Hello'));
    await until(() => messageText(store.messages[1]!) === 'Hello', 'the first words');
    net.goOffline();
    run.fail(interrupted);
    await until(() => store.status === 'reconnecting', 'reconnecting');
    expect(transport.resumes).to.have.length(0);
    net.goOnline();
    await until(() => transport.resumes.length === 1, 'the resume');
    expect(transport.resumes[0]!.target).to.deep.equal({ runId: 'r1', threadId: store.threadId });
    // No position known (a transport without ids): replayed from the start into a fresh message.
    transport.resumes[0]!.run.push(started('r1'), delta('r1', 'Hello there.'), completed('r1'));
    await done;
    await untilIdle(store);
    expect(store.messages.map((m) => [m.role, m.status, messageText(m)])).to.deep.equal([
      ['user', 'complete', 'Hi'],
      ['assistant', 'complete', 'Hello there.'],
    ]);
  });

  it('a backend that does not resume runs: interrupted with Retry, as before', async () => {
    const transport = new ScriptedTransport();
    const store = new ChatStore({ transport, warn: () => {} });
    await store.connect();
    const next = transport.nextRun();
    const done = store.send('Hi');
    const run = await next;
    run.push(started('r1'), delta('r1', 'Hello'));
    run.fail(interrupted);
    await done;
    expect(store.status).to.equal('idle');
    expect(store.messages[1]!.status).to.equal('interrupted');
    expect(store.retryableMessageId).to.equal(store.messages[1]!.id);
    expect(transport.runs).to.have.length(1);
  });

  it('a refusal is not a broken connection: no resume', async () => {
    const transport = new ResumingTransport();
    const store = new ChatStore({ transport, warn: () => {} });
    await store.connect();
    transport.refuseWith = { code: 'invalid_request', message: 'No.' };
    await store.send('Hi');
    expect(transport.resumes).to.have.length(0);
    expect(store.messages.at(-1)!.status).to.equal('error');
  });

  it('backs off 0.5 s, 1 s, 2 s … up to 10 s, each between half and all of it', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => resumeDelay(n, () => 1))).to.deep.equal([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(resumeDelay(0, () => 0)).to.equal(250);
  });

  it("text over the session's max_text_chars is refused before sending, back in the composer", async () => {
    const transport = new ScriptedTransport();
    transport.session = { v: 1, visitor: { kind: 'anonymous' }, limits: { max_file_bytes: 1024, max_files: 2, accept: [], max_text_chars: 10 } };
    const store = new ChatStore({ transport, warn: () => {} });
    await store.connect();
    expect(store.limits?.max_text_chars).to.equal(10);
    store.setDraft('x'.repeat(11));
    await store.send();
    expect(transport.runs).to.have.length(0);
    expect(store.messages.at(-1)!.error?.code).to.equal('payload_too_large');
    expect(store.draft).to.equal('x'.repeat(11));
  });
});
