// Restored conversations: a reload shows the current thread's transcript again, from `persist`
// storage, bounded, versioned, and robust to corrupt or foreign data.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { RunEvent } from '../../../src/protocol/types.js';
import { MAX_STORED_CHARS, MAX_STORED_MESSAGES, parseTranscript, serializeTranscript, transcriptStorageKey } from '../../../src/widget/state/transcript-storage.js';
import { threadStorageKey } from '../../../src/widget/state/thread-id.js';
import type { ChatMessage } from '../../../src/widget/types.js';
import { nextFrame, parts, untilIdle } from '../support/dom.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';

const ENDPOINT = '/api/support';
const THREAD_KEY = threadStorageKey(ENDPOINT);
const KEY = transcriptStorageKey(THREAD_KEY);

async function chat(persist = 'local', transport?: ScriptedTransport): Promise<IcSupportChat> {
  const wrapper = await fixture(
    html`<div style="height: 480px">
      <ic-support-chat endpoint=${ENDPOINT} persist=${persist} .transport=${transport ?? null}></ic-support-chat>
    </div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

/** What a reload does: the element goes away and a new one is created from the same page. */
async function reload(el: IcSupportChat, persist = 'local', transport?: ScriptedTransport): Promise<IcSupportChat> {
  el.parentElement!.remove();
  return chat(persist, transport);
}

function stored(storage: Storage = localStorage): { v: number; thread_id: string; messages: ChatMessage[] } | null {
  const raw = storage.getItem(KEY);
  return raw === null ? null : (JSON.parse(raw) as { v: number; thread_id: string; messages: ChatMessage[] });
}

function message(id: string, role: 'user' | 'assistant', text: string): ChatMessage {
  return { id, role, status: 'complete', parts: [{ kind: 'text', text }], created_at: 1_700_000_000_000 };
}

/** Captures console.warn calls while `body` runs. */
async function warnings(body: () => Promise<void>): Promise<string[]> {
  const original = console.warn;
  const seen: string[] = [];
  console.warn = (...args: unknown[]) => seen.push(args.map(String).join(' '));
  try {
    await body();
  } finally {
    console.warn = original;
  }
  return seen;
}

afterEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

describe('restored conversations', () => {
  it('a reload shows the thread’s transcript again (real backend over HTTP), with the date it is from', async () => {
    const el = await chat();
    const done = oneEvent(el, 'ic-run-complete');
    void el.send('How do I reset my password?');
    await done;
    await untilIdle(el.store);
    const threadId = el.currentThreadId;
    const saved = stored()!;
    expect(saved.v).to.equal(1);
    expect(saved.thread_id).to.equal(threadId);
    expect(saved.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant']);

    const again = await reload(el);
    expect(again.currentThreadId).to.equal(threadId);
    expect(again.store.messages.map((m) => m.id)).to.deep.equal(saved.messages.map((m) => m.id));
    await parts(again).list.updateComplete;
    const rendered = parts(again).messages();
    expect(rendered.length).to.equal(2);
    await rendered[1]!.updateComplete;
    await nextFrame();
    expect(rendered[1]!.shadowRoot!.querySelector('.bubble')!.textContent).to.match(/password/i);
    const notice = parts(again).list.shadowRoot!.querySelector('[part="restored-notice"]')!;
    expect(notice.textContent).to.contain('Conversation from');
    await expect(again).to.be.accessible();
  });

  it('is written when a turn is sent and when its run ends, never per delta', async () => {
    const transport = new ScriptedTransport();
    const el = await chat('local', transport);
    const next = transport.nextRun();
    void el.send('First');
    const run = await next;
    run.push(started('r1'), delta('r1', 'Partial'));
    await nextFrame();
    // The question (and the run in flight) is kept at once, for a reload to resume; the reply's text only when it ends.
    expect(stored()!.messages.map((m) => [m.role, m.parts])).to.deep.equal([
      ['user', [{ kind: 'text', text: 'First' }]],
      ['assistant', []],
    ]);
    run.push(delta('r1', ' answer'), completed('r1'));
    await untilIdle(el.store);
    const saved = stored()!;
    expect(saved.messages[1]!.parts).to.deep.equal([{ kind: 'text', text: 'Partial answer' }]);
  });

  it('keeps tool calls, decided approvals and attachment metadata (never file bytes)', async () => {
    const transport = new ScriptedTransport();
    const el = await chat('local', transport);
    const next = transport.nextRun();
    void el.send('Where is my order A-1001?');
    const run = await next;
    const events: RunEvent[] = [
      started('r1'),
      { type: 'tool_call.started', v: 1, run_id: 'r1', tool_call_id: 'tc_1', name: 'lookup_order', arguments: { order_id: 'A-1001' } },
      { type: 'tool_call.completed', v: 1, run_id: 'r1', tool_call_id: 'tc_1', name: 'lookup_order', output: { status: 'shipped' } },
      delta('r1', 'It shipped.'),
      completed('r1'),
    ];
    run.push(...events);
    await untilIdle(el.store);
    const saved = stored()!;
    const kinds = saved.messages[1]!.parts.map((p) => p.kind);
    expect(kinds).to.include('tool_call');

    // A transcript with a decided approval and a sent attachment (metadata plus a preview the
    // widget may hold in memory) keeps the decision and the metadata, and drops the rest.
    const withExtras = [
      {
        ...message('m1', 'user', 'See attached'),
        attachments: [{ name: 'shot.png', media_type: 'image/png', size: 2048, file_id: 'file_1', preview: 'data:image/png;base64,AAAA' }],
      },
      {
        ...message('m2', 'assistant', 'Ticket?'),
        parts: [{ kind: 'approval', run_id: 'r2', approval_id: 'ap_1', tool_call_id: 'tc_2', name: 'open_ticket', arguments: {}, status: 'approved' }],
      },
    ] as unknown as ChatMessage[];
    const json = serializeTranscript(saved.thread_id, withExtras, 1)!;
    const parsed = parseTranscript(json)!;
    expect(parsed.messages[0]!.attachments).to.deep.equal([{ name: 'shot.png', media_type: 'image/png', size: 2048, file_id: 'file_1' }]);
    expect(json).to.not.contain('base64');
    expect(parsed.messages[1]!.parts[0]).to.include({ kind: 'approval', status: 'approved' });
    localStorage.setItem(KEY, json);

    const again = await reload(el, 'local', new ScriptedTransport());
    expect(again.store.messages.map((m) => m.id)).to.deep.equal(['m1', 'm2']);
    await parts(again).list.updateComplete;
    const assistant = parts(again).messages()[1]!;
    await assistant.updateComplete;
    expect(assistant.shadowRoot!.querySelector('ic-approval')).to.not.equal(null);
  });

  it('is bounded to the last messages and a size limit', () => {
    const many = Array.from({ length: 150 }, (_, i) => message(`m${i}`, i % 2 ? 'assistant' : 'user', `Message ${i}`));
    const parsed = parseTranscript(serializeTranscript('chat_x', many, 1)!)!;
    expect(parsed.messages.length).to.equal(MAX_STORED_MESSAGES);
    expect(parsed.messages.at(-1)!.id).to.equal('m149');

    const huge = Array.from({ length: 40 }, (_, i) => message(`h${i}`, i % 2 ? 'assistant' : 'user', 'x'.repeat(20_000)));
    const json = serializeTranscript('chat_x', huge, 1)!;
    expect(json.length).to.be.at.most(MAX_STORED_CHARS);
    const kept = parseTranscript(json)!.messages;
    expect(kept.at(-1)!.id).to.equal('h39');
    expect(kept[0]!.role).to.equal('user');
  });

  for (const [label, value] of [
    ['not JSON', '{"v":1,'],
    ['an older version', JSON.stringify({ v: 0, thread_id: 'chat_x', messages: [] })],
    ['malformed messages', JSON.stringify({ v: 1, thread_id: 'chat_x', saved_at: 1, messages: [{ id: 1 }] })],
    ['an unknown part kind', JSON.stringify({ v: 1, thread_id: 'chat_x', saved_at: 1, messages: [{ ...message('m', 'user', 'x'), parts: [{ kind: 'hologram' }] }] })],
  ] as const) {
    it(`clears ${label} with one warning, and never crashes`, async () => {
      localStorage.setItem(THREAD_KEY, 'chat_x');
      localStorage.setItem(KEY, value);
      let el: IcSupportChat | undefined;
      const seen = await warnings(async () => {
        el = await chat('local', new ScriptedTransport());
      });
      expect(seen.filter((w) => w.includes('saved conversation')).length).to.equal(1);
      expect(localStorage.getItem(KEY)).to.equal(null);
      expect(el!.store.messages).to.deep.equal([]);
      await expect(el!).to.be.accessible();
    });
  }

  it('"New conversation" clears the stored transcript', async () => {
    const transport = new ScriptedTransport();
    const el = await chat('local', transport);
    const next = transport.nextRun();
    void el.send('Hello');
    (await next).push(started('r'), delta('r', 'Hi'), completed('r'));
    await untilIdle(el.store);
    expect(stored()).to.not.equal(null);
    parts(el).newConversationButton.click();
    expect(stored()).to.equal(null);
    const again = await reload(el, 'local', new ScriptedTransport());
    expect(again.store.messages).to.deep.equal([]);
  });

  it('persist="session" uses sessionStorage and persist="none" stores nothing', async () => {
    for (const persist of ['session', 'none']) {
      sessionStorage.clear();
      const transport = new ScriptedTransport();
      const el = await chat(persist, transport);
      const next = transport.nextRun();
      void el.send('Hello');
      (await next).push(started('r'), delta('r', 'Hi'), completed('r'));
      await untilIdle(el.store);
      expect(stored(localStorage), persist).to.equal(null);
      expect(stored(sessionStorage) !== null, persist).to.equal(persist === 'session');
      el.parentElement!.remove();
    }
  });

  it('another thread’s transcript is not shown', async () => {
    localStorage.setItem(THREAD_KEY, 'chat_current');
    localStorage.setItem(KEY, serializeTranscript('chat_other', [message('m1', 'user', 'Not yours')], 1)!);
    const el = await chat('local', new ScriptedTransport());
    expect(el.currentThreadId).to.equal('chat_current');
    expect(el.store.messages).to.deep.equal([]);
  });
});
