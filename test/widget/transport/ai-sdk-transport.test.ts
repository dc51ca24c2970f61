// The widget against a stock AI SDK route: `streamText(…).toUIMessageStreamResponse()` over the AI
// SDK's MockLanguageModelV3, mounted at /api/ai-sdk on the test server (test/support/ai-sdk-route.ts).
import { expect, oneEvent } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { RunEvent, RunEventOf } from '../../../src/protocol/types.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { AiSdkTransport } from '../../../src/widget/transport/ai-sdk-transport.js';
import { nextFrame, parts, untilIdle } from '../support/dom.js';
import { aiSdkChat, typeAndSend } from '../support/ai-sdk-chat.js';

const ENDPOINT = '/api/ai-sdk/chat';
// A 1×1 PNG.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let threadCounter = 0;
const newThread = () => `chat_aisdk_${Date.now()}_${++threadCounter}`;
const options = () => ({ signal: new AbortController().signal });

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}
const textOf = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'message.delta' ? [e.delta] : [])).join('');
const typesOf = (events: RunEvent[]) => [...new Set(events.map((e) => e.type))];
function find<K extends RunEvent['type']>(events: RunEvent[], type: K): RunEventOf<K> {
  const found = events.find((e): e is RunEventOf<K> => e.type === type);
  expect(found, type).to.exist;
  return found!;
}

interface SentBody {
  id: string;
  trigger: string;
  messageId?: string;
  messages: { id: string; role: string; parts: { type: string; [k: string]: unknown }[] }[];
}
async function requestsFor(threadId: string): Promise<SentBody[]> {
  const res = await fetch(`/api/ai-sdk/requests?id=${encodeURIComponent(threadId)}`);
  return (await res.json()) as SentBody[];
}

describe('AiSdkTransport against a toUIMessageStreamResponse() route', () => {
  it('streams a reply as v1 events and sends the whole conversation each turn, as useChat does', async () => {
    const transport = new AiSdkTransport(ENDPOINT);
    const thread = newThread();
    const first = await collect(transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'Hello there' }] }, options()));
    expect(first[0]!.type).to.equal('run.started');
    expect((first[0] as RunEventOf<'run.started'>).thread_id).to.equal(thread);
    expect(first.filter((e) => e.type === 'message.delta').length).to.be.greaterThan(2);
    expect(textOf(first)).to.equal('You said: Hello there (1 user message so far).');
    expect(find(first, 'run.completed').stop_reason).to.equal('end_turn');
    expect(first.every((e) => e.run_id === first[0]!.run_id)).to.equal(true);

    const second = await collect(transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'Again' }] }, options()));
    expect(textOf(second)).to.equal('You said: Again (2 user messages so far).');
    const sent = await requestsFor(thread);
    expect(sent.length).to.equal(2);
    expect(sent[1]!.id).to.equal(thread);
    expect(sent[1]!.trigger).to.equal('submit-message');
    expect(sent[1]!.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'user']);
    const replied = sent[1]!.messages[1]!.parts.filter((p) => p.type === 'text').map((p) => p.text);
    expect(replied).to.deep.equal([textOf(first)]);
  });

  it('shows a tool call and its result', async () => {
    const transport = new AiSdkTransport(ENDPOINT);
    const events = await collect(transport.startRun({ thread_id: newThread(), input: [{ role: 'user', content: 'Where is my order?' }] }, options()));
    expect(typesOf(events)).to.deep.equal(['run.started', 'tool_call.started', 'tool_call.completed', 'message.delta', 'run.completed']);
    const started = find(events, 'tool_call.started');
    expect(started.name).to.equal('lookup_order');
    expect(started.arguments).to.deep.equal({ order_id: 'A-42' });
    expect(find(events, 'tool_call.completed').output).to.deep.equal({ order_id: 'A-42', status: 'shipped' });
    expect(textOf(events)).to.equal('Order A-42 has shipped.');
  });

  it('asks for approval and continues the same reply after Approve, with the approval in the messages', async () => {
    const transport = new AiSdkTransport(ENDPOINT);
    const thread = newThread();
    const asked = await collect(transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'Open a ticket please' }] }, options()));
    const approval = find(asked, 'approval.requested');
    expect(approval.name).to.equal('open_ticket');
    expect(approval.arguments).to.deep.equal({ subject: 'Open a ticket please' });
    expect(find(asked, 'run.completed').stop_reason).to.equal('awaiting_approval');
    expect(asked.some((e) => e.type === 'tool_call.started')).to.equal(false);

    const done = await collect(transport.continueRun(approval.run_id, approval.approval_id, 'approve', options()));
    expect(done.every((e) => e.run_id === approval.run_id)).to.equal(true);
    expect(typesOf(done)).to.deep.equal(['run.started', 'tool_call.started', 'tool_call.completed', 'message.delta', 'run.completed']);
    expect(find(done, 'tool_call.completed').output)
      .to.have.property('ticket_id')
      .that.match(/^T-\d+$/);
    expect(textOf(done)).to.match(/^Done: ticket T-\d+ is open\.$/);

    const sent = await requestsFor(thread);
    expect(sent[1]!.messageId).to.equal(approval.run_id);
    const toolPart = sent[1]!.messages.at(-1)!.parts.find((p) => p.type === 'tool-open_ticket')!;
    expect(toolPart.state).to.equal('approval-responded');
    expect(toolPart.approval).to.deep.equal({ id: approval.approval_id, approved: true });

    // The decided approval cannot be sent again.
    let refused: unknown;
    try {
      await collect(transport.continueRun(approval.run_id, approval.approval_id, 'approve', options()));
    } catch (err) {
      refused = err;
    }
    expect((refused as { code?: string }).code).to.equal('not_found');
  });

  it('continues with the denial after Deny, without running the tool', async () => {
    const transport = new AiSdkTransport(ENDPOINT);
    const asked = await collect(transport.startRun({ thread_id: newThread(), input: [{ role: 'user', content: 'open a ticket' }] }, options()));
    const approval = find(asked, 'approval.requested');
    const denied = await collect(transport.continueRun(approval.run_id, approval.approval_id, 'deny', options()));
    const completed = find(denied, 'tool_call.completed');
    expect(completed.is_error).to.equal(true);
    expect(denied.some((e) => e.type === 'tool_call.started')).to.equal(false);
    expect(textOf(denied)).to.equal('OK, I did not open a ticket.');
  });

  it('sends attachments as file parts with data URLs', async () => {
    const transport = new AiSdkTransport(ENDPOINT);
    const thread = newThread();
    const events = await collect(
      transport.startRun(
        {
          thread_id: thread,
          input: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'See this' },
                { type: 'image', image: PNG },
              ],
            },
          ],
        },
        options(),
      ),
    );
    expect(textOf(events)).to.contain('Files: image/png.');
    const [sent] = await requestsFor(thread);
    expect(sent!.messages[0]!.parts).to.deep.equal([
      { type: 'text', text: 'See this' },
      { type: 'file', mediaType: 'image/png', url: PNG },
    ]);
  });

  it('reports a model error as run.failed and does not keep the failed turn', async () => {
    const transport = new AiSdkTransport(ENDPOINT);
    const thread = newThread();
    const events = await collect(transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'please fail' }] }, options()));
    expect(find(events, 'run.failed').error.code).to.equal('upstream_error');
    expect(events.at(-1)!.type).to.equal('run.failed');
    expect(transport.messages(thread)).to.deep.equal([]);
  });

  it('stops when aborted and keeps the partial reply for the next turn', async () => {
    const transport = new AiSdkTransport(ENDPOINT);
    const thread = newThread();
    const controller = new AbortController();
    const seen: RunEvent[] = [];
    let caught: unknown;
    try {
      for await (const e of transport.startRun({ thread_id: thread, input: [{ role: 'user', content: 'slow please' }] }, { signal: controller.signal })) {
        seen.push(e);
        if (e.type === 'message.delta') controller.abort();
      }
    } catch (err) {
      caught = err;
    }
    expect(caught).to.exist;
    expect(textOf(seen)).to.equal('one ');
    const kept = transport.messages(thread);
    expect(kept.map((m) => m.role)).to.deep.equal(['user', 'assistant']);
  });

  it('turns an HTTP error into a typed error with its status', async () => {
    const transport = new AiSdkTransport('/api/ai-sdk/missing');
    let caught: { code?: string; status?: number } | undefined;
    try {
      await collect(transport.startRun({ thread_id: newThread(), input: [{ role: 'user', content: 'hi' }] }, options()));
    } catch (err) {
      caught = err as { code?: string; status?: number };
    }
    expect(caught?.status).to.equal(404);
    expect(caught?.code).to.equal('not_found');
  });
});

describe('<ic-support-chat protocol="ai-sdk">', () => {
  async function lastBubbleText(el: IcSupportChat): Promise<string> {
    await nextFrame();
    const message = parts(el).messages().at(-1)!;
    await message.updateComplete;
    await nextFrame();
    return message.shadowRoot!.textContent!.replace(/\s+/g, ' ').trim();
  }

  it('renders a streamed reply from a stock AI SDK route', async () => {
    const el = await aiSdkChat(ENDPOINT);
    const completed = oneEvent(el, 'ic-run-complete');
    await typeAndSend(el, 'Hello widget');
    const done = await completed;
    expect(done.detail.stopReason).to.equal('end_turn');
    await untilIdle(el.store);
    expect(await lastBubbleText(el)).to.contain('You said: Hello widget (1 user message so far).');
    await expect(el).to.be.accessible();
  });

  it('renders a tool call, then an approval that Approve continues', async () => {
    const el = await aiSdkChat(ENDPOINT);
    let completed = oneEvent(el, 'ic-run-complete');
    await typeAndSend(el, 'Where is my order?');
    await completed;
    await untilIdle(el.store);
    const toolCall = parts(el).messages().at(-1)!.shadowRoot!.querySelector('ic-tool-call');
    expect(toolCall, 'a tool call is shown').to.exist;
    expect(await lastBubbleText(el)).to.contain('Order A-42 has shipped.');

    const requested = oneEvent(el, 'ic-approval-request');
    const paused = oneEvent(el, 'ic-run-complete');
    await typeAndSend(el, 'Open a ticket for me');
    await requested;
    expect((await paused).detail.stopReason).to.equal('awaiting_approval');
    await nextFrame();
    const approval = parts(el).messages().at(-1)!.shadowRoot!.querySelector('ic-approval')!;
    expect(approval, 'an approval is shown').to.exist;
    await (approval as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    await expect(el).to.be.accessible();
    completed = oneEvent(el, 'ic-run-complete');
    approval.shadowRoot!.querySelector<HTMLButtonElement>('[part="approve-button"]')!.click();
    const done = await completed;
    expect(done.detail.stopReason).to.equal('end_turn');
    await untilIdle(el.store);
    expect(await lastBubbleText(el)).to.match(/Done: ticket T-\d+ is open\./);
  });
});
