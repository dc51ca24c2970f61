import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import { whenToolUiReady } from '../../../src/widget/lazy-parts.js';
import type { IcToolCall } from '../../../src/widget/tool-call/tool-call.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import type { IcToolCallDetail } from '../../../src/widget/events.js';
import type { ToolCallMessagePart } from '../../../src/widget/types.js';
import { parts, untilIdle } from '../support/dom.js';
import { faultChat, faultEndpoint, until } from '../support/fault-endpoint.js';
import { engine, itIn, MEDIA_EMULATION, NO_MEDIA_EMULATION } from '../support/engine.js';

// The tool-call row and approval card are an on-demand chunk (lazy-parts.ts): these tests are about the elements.
before(() => whenToolUiReady());

function call(overrides: Partial<ToolCallMessagePart> = {}): ToolCallMessagePart {
  return { kind: 'tool_call', tool_call_id: 'call_1', name: 'lookup_order', arguments: { order_id: 'A-1001' }, status: 'running', ...overrides };
}

async function toolCall(part: ToolCallMessagePart): Promise<IcToolCall> {
  return fixture<IcToolCall>(html`<ic-tool-call .call=${part}></ic-tool-call>`);
}

const q = (el: IcToolCall, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);

/** A readable list's lines as `[label, value]`. */
const fields = (el: IcToolCall, part: string) =>
  [...el.shadowRoot!.querySelectorAll(`[part="${part}"] .field`)].map((f) => [f.querySelector('dt')!.textContent, f.querySelector('dd')!.textContent]);

describe('<ic-tool-call>', () => {
  // Undoes what a test emulated; engines that cannot emulate have nothing to undo.
  afterEach(() => (MEDIA_EMULATION.includes(engine) ? emulateMedia({ reducedMotion: 'no-preference' }) : undefined));

  it('running: friendly label, a spinner and "Running"; accessible', async () => {
    const el = await toolCall(call());
    expect(q(el, '[part="label"]')!.textContent).to.equal('Looking up your order');
    expect(q(el, '[part="state"]')!.textContent).to.equal('Running');
    const icon = q(el, '.icon')!;
    expect(getComputedStyle(icon).animationName).to.equal('spin');
    expect(icon.getAttribute('aria-hidden')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  itIn(MEDIA_EMULATION, NO_MEDIA_EMULATION)('the spinner does not spin with prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await toolCall(call());
    expect(getComputedStyle(q(el, '.icon')!).animationName).to.equal('none');
  });

  it('done: past tense, details as a readable list, raw JSON only behind "Show details", as text only; accessible', async () => {
    const el = await toolCall(call({ status: 'done', output: { status: 'in_transit', note: '<img src=x onerror="window.__toolPwned=1">' } }));
    const details = q(el, 'details') as HTMLDetailsElement;
    expect(details.open).to.equal(false);
    expect(q(el, '[part="label"]')!.textContent).to.equal('Looked up your order');
    expect(q(el, '[part="state"]')!.textContent).to.equal('Done');
    q(el, 'summary')!.click();
    expect(details.open).to.equal(true);
    expect(fields(el, 'arguments')).to.deep.equal([['Order id', 'A-1001']]);
    expect(fields(el, 'output')).to.deep.equal([
      ['Status', 'in_transit'],
      ['Note', '<img src=x onerror="window.__toolPwned=1">'],
    ]);
    const raw = q(el, 'details.raw') as HTMLDetailsElement;
    expect(raw.open).to.equal(false);
    expect(raw.querySelector('summary')!.textContent).to.equal('Show details');
    expect(q(el, '[part="raw"]')!.textContent).to.contain('{\n  "order_id": "A-1001"\n}');
    const output = q(el, '[part="raw"]')!;
    expect(output.textContent).to.contain('"note": "<img src=x onerror=\\"window.__toolPwned=1\\">"');
    expect(output.querySelector('img')).to.equal(null);
    expect((window as unknown as { __toolPwned?: number }).__toolPwned).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('error: "Failed", a string output pretty-printed when it is JSON; accessible', async () => {
    const el = await toolCall(call({ status: 'error', name: 'web_search', arguments: '{"query":"x"}', output: 'Timed out' }));
    expect(q(el, '[part="label"]')!.textContent).to.equal('Searching the web');
    expect(q(el, '[part="state"]')!.textContent).to.equal('Failed');
    expect(q(el, 'details')!.dataset['status']).to.equal('error');
    expect(fields(el, 'arguments')).to.deep.equal([['Query', 'x']]);
    expect(q(el, '[part="output"]')!.textContent).to.equal('Timed out');
    expect(q(el, '[part="raw"]')!.textContent).to.contain('{\n  "query": "x"\n}');
    await expect(el).to.be.accessible();
  });

  it('labels known tools and falls back to "Using NAME"', async () => {
    const names: [string, string][] = [
      ['web_search', 'Searching the web'],
      ['lookup_order', 'Looking up your order'],
      ['open_ticket', 'Opening a ticket'],
      ['crm_sync', 'Using crm sync'],
      ['toString', 'Using toString'],
    ];
    for (const [name, label] of names) {
      const el = await toolCall(call({ name }));
      expect(q(el, '[part="label"]')!.textContent, name).to.equal(label);
    }
  });
});

describe('tool calls in a streamed reply', () => {
  it('render inline, in order with the text, and fire ic-tool-call', async () => {
    const { endpoint } = faultEndpoint('tools');
    const el = await faultChat(endpoint);
    const events: IcToolCallDetail[] = [];
    el.addEventListener('ic-tool-call', (e) => events.push(e.detail));
    const firstCall = oneEvent(el, 'ic-tool-call');
    el.store.setDraft('Search the docs');
    const sent = el.send();
    await firstCall;
    // While it runs: the call shows as running, after the text that came before it.
    const reply = () => parts(el).messages()[1] as IcMessage;
    await until(() => reply()?.shadowRoot?.querySelector('ic-tool-call'), 'the tool call to render');
    await reply().updateComplete;
    const running = reply().shadowRoot!.querySelector('ic-tool-call')!;
    await running.updateComplete;
    expect(running.shadowRoot!.querySelector('[part="state"]')!.textContent).to.equal('Running');
    await sent;
    await untilIdle(el.store);
    await reply().updateComplete;

    expect(events.map((e) => `${e.phase}:${e.toolCall.name}`)).to.deep.equal(['started:web_search', 'completed:web_search', 'started:crm_sync', 'completed:crm_sync']);
    expect(events[1]!.toolCall.output).to.deep.equal({ results: [{ title: 'Export guide', url: 'https://example.com/export' }] });
    const message = el.store.messages[1]!;
    expect(message.parts.map((p) => (p.kind === 'text' ? `text:${p.text.trim()}` : p.kind === 'tool_call' ? `${p.name}:${p.status}` : p.kind))).to.deep.equal([
      'text:Let me check.',
      'web_search:done',
      'text:Found a guide.',
      'crm_sync:error',
      'text:The sync failed.',
    ]);
    // The DOM has the same order: text, call, text, call, text.
    const bubble = reply().shadowRoot!.querySelector('.bubble')!;
    const order = [...bubble.children]
      .filter((child) => child.matches('.markdown, ic-tool-call'))
      .map((child) => (child.matches('.markdown') ? child.textContent!.trim() : (child as IcToolCall).call!.name));
    expect(order).to.deep.equal(['Let me check.', 'web_search', 'Found a guide.', 'crm_sync', 'The sync failed.']);
    const failedCall = bubble.querySelectorAll('ic-tool-call')[1]!;
    expect(failedCall.shadowRoot!.querySelector('[part="state"]')!.textContent).to.equal('Failed');
    expect(failedCall.shadowRoot!.querySelector('[part="output"] img')).to.equal(null);
    expect((window as unknown as { __faultPwned?: boolean }).__faultPwned).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('the local backend looks up an order with lookup_order', async () => {
    const el = await faultChat('/api/support');
    el.store.setDraft('Where is my order A-1001?');
    await el.send();
    await untilIdle(el.store);
    const message = el.store.messages[1]!;
    const callPart = message.parts.find((p) => p.kind === 'tool_call');
    expect(callPart).to.deep.include({ name: 'lookup_order', status: 'done' });
    const reply = parts(el).messages()[1] as IcMessage;
    await reply.updateComplete;
    const rendered = reply.shadowRoot!.querySelector('ic-tool-call')!;
    await rendered.updateComplete;
    // The backend's display block, in the past tense once done (the id isolated for right-to-left text).
    expect(rendered.shadowRoot!.querySelector('[part="label"]')!.textContent).to.equal('Looked up order \u2068A-1001\u2069');
    expect(message.status).to.equal('complete');
  });
});
