// Issue 17, defects 5 and 6: the backend's display block (title, past-tense title, labelled fields in
// the visitor's language) is what the visitor reads; a decided approval is one line; the tool call it
// led to is not shown a second time.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import { whenToolUiReady } from '../../../src/widget/lazy-parts.js';
import type { IcApproval } from '../../../src/widget/approval/approval.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import type { IcToolCall } from '../../../src/widget/tool-call/tool-call.js';
import type { ApprovalMessagePart, ChatMessage, ToolCallMessagePart } from '../../../src/widget/types.js';
import { parts, untilIdle } from '../support/dom.js';
import { approvalOf, faultChat, until } from '../support/fault-endpoint.js';

// The tool-call row and approval card are an on-demand chunk (lazy-parts.ts): these tests are about the elements.
before(() => whenToolUiReady());

const display = {
  title: 'Open a support ticket',
  title_done: 'Opened a support ticket',
  fields: [
    { label: 'Subject', value: 'Refund for A-1001' },
    { label: 'Summary', value: 'The parcel never came.' },
  ],
};

const approvalPart: ApprovalMessagePart = {
  kind: 'approval',
  run_id: 'run_1',
  approval_id: 'apr_1',
  tool_call_id: 'call_1',
  name: 'open_ticket',
  arguments: { subject: 'Refund for A-1001', summary: 'The parcel never came.' },
  status: 'pending',
  display,
};

const root = (el: Element) => el.shadowRoot!;
const lines = (el: Element) => [...root(el).querySelectorAll('[part="arguments"] .field')].map((f) => [f.querySelector('dt')!.textContent, f.querySelector('dd')!.textContent]);

describe('display blocks (issue 17)', () => {
  it('a pending approval reads from the display block: title and labelled fields, not the raw argument names; accessible', async () => {
    const el = await fixture<IcApproval>(html`<ic-approval .approval=${approvalPart}></ic-approval>`);
    expect(root(el).querySelector('[part="action"]')!.textContent).to.equal('Open a support ticket');
    expect(lines(el)).to.deep.equal([
      ['Subject', 'Refund for A-1001'],
      ['Summary', 'The parcel never came.'],
    ]);
    // Nothing but Approve and Deny beside the request.
    expect([...root(el).querySelectorAll('button')].map((b) => b.textContent!.trim())).to.deep.equal(['Approve', 'Deny']);
    await expect(el).to.be.accessible();
  });

  it('a malformed display block (restored from tampered storage) falls back to the humanised arguments', async () => {
    const broken = { ...approvalPart, display: { title: 42, fields: [{ label: '<b>x</b>' }, 'junk'] } } as unknown as ApprovalMessagePart;
    const el = await fixture<IcApproval>(html`<ic-approval .approval=${broken}></ic-approval>`);
    expect(root(el).querySelector('[part="action"]')!.textContent).to.equal('Opening a ticket');
    expect(lines(el).map(([label]) => label)).to.deep.equal(['Subject', 'Summary']);
  });

  it('a decided approval is one line with its result: no "Approval needed", no Done row beside it', async () => {
    const call: ToolCallMessagePart = { kind: 'tool_call', tool_call_id: 'call_1', name: 'open_ticket', arguments: {}, status: 'done', output: { ticket_id: 'TCK-1' } };
    const message: ChatMessage = {
      id: 'm1',
      role: 'assistant',
      status: 'complete',
      created_at: 0,
      parts: [{ kind: 'text', text: 'Please approve.' }, { ...approvalPart, status: 'approved' }, call, { kind: 'text', text: 'Done: ticket TCK-1.' }],
    };
    const el = await fixture<IcMessage>(html`<ic-message .message=${message}></ic-message>`);
    await el.updateComplete;
    expect(root(el).querySelectorAll('ic-tool-call')).to.have.length(0);
    const approval = root(el).querySelector('ic-approval')!;
    await approval.updateComplete;
    const text = root(approval).textContent!.replace(/\s+/g, ' ').trim();
    expect(text).to.equal('Opened a support ticket Approved');
    expect(root(approval).querySelectorAll('[part="decision"]')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('a denied approval reads "Denied" even when the backend completes its call as an error; a pending one hides the waiting call', async () => {
    const call: ToolCallMessagePart = { kind: 'tool_call', tool_call_id: 'call_1', name: 'open_ticket', arguments: {}, status: 'error', output: 'denied' };
    const message: ChatMessage = { id: 'm2', role: 'assistant', status: 'complete', created_at: 0, parts: [call, { ...approvalPart, status: 'denied' }] };
    const el = await fixture<IcMessage>(html`<ic-message .message=${message}></ic-message>`);
    const approval = root(el).querySelector('ic-approval')!;
    await approval.updateComplete;
    expect(root(approval).querySelector('.outcome')!.textContent).to.equal('Denied');
    expect(root(approval).querySelector('[part="action"]')!.textContent).to.equal('Open a support ticket');
    expect(root(el).querySelectorAll('ic-tool-call')).to.have.length(0);
    el.message = { ...message, id: 'm3', parts: [{ ...call, status: 'running' }, approvalPart] };
    await el.updateComplete;
    expect(root(el).querySelectorAll('ic-tool-call')).to.have.length(0);
    expect(root(el).querySelectorAll('ic-approval')).to.have.length(1);
  });

  it('a tool call uses the display title while running and the past-tense title once done', async () => {
    const running: ToolCallMessagePart = {
      kind: 'tool_call',
      tool_call_id: 'c',
      name: 'lookup_order',
      arguments: { order_id: 'A-1001' },
      status: 'running',
      display: { title: 'Looking up order A-1001', title_done: 'Looked up order A-1001', fields: [{ label: 'Order number', value: 'A-1001' }] },
    };
    const el = await fixture<IcToolCall>(html`<ic-tool-call .call=${running}></ic-tool-call>`);
    expect(root(el).querySelector('[part="label"]')!.textContent).to.equal('Looking up order A-1001');
    el.call = { ...running, status: 'done', output: { status: 'shipped' } };
    await el.updateComplete;
    expect(root(el).querySelector('[part="label"]')!.textContent).to.equal('Looked up order A-1001');
    expect(lines(el)).to.deep.equal([['Order number', 'A-1001']]);
    await expect(el).to.be.accessible();
  });

  it('an Arabic chat gets the local backend’s approval in Arabic (the widget sends its language)', async () => {
    const el = await faultChat('/api/support');
    el.setAttribute('lang', 'ar');
    await el.updateComplete;
    el.store.setDraft('open a ticket');
    await el.send();
    const approval = await approvalOf(el);
    expect(approval.approval!.display?.title).to.equal('فتح تذكرة دعم');
    expect(root(approval).querySelector('[part="action"]')!.textContent).to.equal('فتح تذكرة دعم');
    expect(lines(approval).map(([label]) => label)).to.deep.equal(['الموضوع', 'الملخص']);
    expect(root(approval).querySelector('[part="reason"]')!.textContent).to.contain('فريق الدعم');
    await parts(el).composer.updateComplete;
    expect(parts(el).stopButton()).to.equal(null);
    await expect(el).to.be.accessible();
    root(approval).querySelector<HTMLButtonElement>('[part="deny-button"]')!.click();
    await until(() => el.store.status !== 'awaiting_approval', 'the decision');
    await untilIdle(el.store);
  });
});
