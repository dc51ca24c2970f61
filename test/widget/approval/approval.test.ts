import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/widget/define.js';
import { whenToolUiReady } from '../../../src/widget/lazy-parts.js';
import type { IcApproval } from '../../../src/widget/approval/approval.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { ApprovalMessagePart } from '../../../src/widget/types.js';
import { messageText } from '../../../src/widget/types.js';
import { parts, untilIdle } from '../support/dom.js';
import { approvalOf, faultChat, faultEndpoint, faultStats, until } from '../support/fault-endpoint.js';

// The tool-call row and approval card are an on-demand chunk (lazy-parts.ts): these tests are about the elements.
before(() => whenToolUiReady());

const pendingPart: ApprovalMessagePart = {
  kind: 'approval',
  run_id: 'run_1',
  approval_id: 'apr_1',
  tool_call_id: 'call_1',
  name: 'open_ticket',
  arguments: { subject: 'Refund', priority: 'high' },
  reason: 'A ticket sends this conversation to the support team.',
  status: 'pending',
};

const outcome = (approval: IcApproval) => approval.shadowRoot!.querySelector('[part="decision"] .outcome')?.textContent;

const button = (approval: IcApproval, name: 'approve' | 'deny') => approval.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${name}-button"]`);

async function askForTicket(el: IcSupportChat): Promise<void> {
  el.store.setDraft('Please open a ticket');
  await el.send();
}

describe('<ic-approval> on its own', () => {
  it('pending: label, key arguments, reason, Approve and Deny; accessible', async () => {
    const el = await fixture<IcApproval>(html`<ic-approval .approval=${pendingPart}></ic-approval>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('[part="action"]')!.textContent).to.equal('Opening a ticket');
    // Without a display block the argument names are humanised, never raw identifiers.
    expect([...root.querySelectorAll('dt')].map((d) => d.textContent)).to.deep.equal(['Subject', 'Priority']);
    expect([...root.querySelectorAll('dd')].map((d) => d.textContent)).to.deep.equal(['Refund', 'high']);
    expect(root.querySelector('[part="reason"]')!.textContent).to.contain('support team');
    expect(button(el, 'approve')!.textContent!.trim()).to.equal('Approve');
    expect(button(el, 'deny')!.textContent!.trim()).to.equal('Deny');
    await expect(el).to.be.accessible();
  });

  it('decided: shows the decision, no buttons; accessible', async () => {
    for (const [status, text] of [
      ['approved', 'Approved'],
      ['denied', 'Denied'],
      ['cancelled', 'Not decided'],
    ] as const) {
      const el = await fixture<IcApproval>(html`<ic-approval .approval=${{ ...pendingPart, status }}></ic-approval>`);
      expect(button(el, 'approve')).to.equal(null);
      expect(outcome(el)).to.equal(text);
      await expect(el).to.be.accessible();
    }
  });
});

describe('approvals in a chat (fault server over real HTTP)', () => {
  it('locks the composer, POSTs Approve once, and streams the continuation into the same message', async () => {
    const { endpoint, id } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    const requested = oneEvent(el, 'ic-approval-request');
    await askForTicket(el);
    const { detail } = await requested;
    expect(detail.approval).to.deep.include({ name: 'open_ticket', status: 'pending' });
    expect(detail.restored).to.equal(false);
    expect(el.store.status).to.equal('awaiting_approval');

    // The composer is locked with an explanation; Stop is not offered beside Approve and Deny.
    await parts(el).composer.updateComplete;
    const textarea = parts(el).textarea;
    expect(textarea.disabled).to.equal(true);
    const notice = parts(el).composer.shadowRoot!.getElementById(textarea.getAttribute('aria-describedby')!)!;
    expect(notice.textContent).to.contain('Approve or deny');
    expect(parts(el).stopButton()).to.equal(null);
    expect(await el.send('Another question')).to.equal(false);

    const approval = await approvalOf(el);
    await expect(el).to.be.accessible();
    const approve = button(approval, 'approve')!;
    approve.click();
    approve.click(); // a double click must not send twice
    await until(() => el.store.status !== 'awaiting_approval', 'the decision to be sent');
    await untilIdle(el.store);

    const messages = el.store.messages;
    expect(messages).to.have.length(2);
    const reply = messages[1]!;
    expect(reply.status).to.equal('complete');
    expect(reply.parts.map((p) => p.kind)).to.deep.equal(['text', 'approval', 'tool_call', 'text']);
    expect(messageText(reply)).to.contain('T-4242');
    const approvalPart = reply.parts[1] as ApprovalMessagePart;
    expect(approvalPart.status).to.equal('approved');

    await approval.updateComplete;
    expect(button(approval, 'approve')).to.equal(null);
    expect(outcome(approval)).to.equal('Approved');
    expect(await el.decideApproval(approvalPart.approval_id, 'approve')).to.equal(false);
    await aTimeout(50);
    const stats = await faultStats(id);
    expect(stats.decisions).to.deep.equal([{ run_id: approvalPart.run_id, approval_id: approvalPart.approval_id, decision: 'approve' }]);
    await parts(el).composer.updateComplete;
    expect(parts(el).textarea.disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('deciding from the keyboard moves focus to the decision, not to <body>', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    await askForTicket(el);
    const approval = await approvalOf(el);
    const deny = button(approval, 'deny')!;
    deny.focus();
    deny.click();
    await until(() => approval.shadowRoot!.querySelector('[part="decision"]'), 'the decision line');
    await approval.updateComplete;
    const decision = approval.shadowRoot!.querySelector('[part="decision"]')!;
    // Booleans, not elements: a failing comparison of DOM nodes is slow to serialise.
    expect(approval.shadowRoot!.activeElement === decision, 'focus is on the decision').to.equal(true);
    expect(document.activeElement === document.body, 'focus fell to <body>').to.equal(false);
    await untilIdle(el.store);
  });

  it('Deny sends "deny" and shows Denied', async () => {
    const { endpoint, id } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    await askForTicket(el);
    const approval = await approvalOf(el);
    button(approval, 'deny')!.click();
    await until(() => el.store.status !== 'awaiting_approval', 'the decision');
    await untilIdle(el.store);
    await approval.updateComplete;
    expect(outcome(approval)).to.equal('Denied');
    expect(messageText(el.store.messages[1]!)).to.contain('did not open a ticket');
    expect((await faultStats(id)).decisions.map((d) => d.decision)).to.deep.equal(['deny']);
  });

  it('a host that cancels ic-approval-request decides itself with decideApproval()', async () => {
    const { endpoint, id } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    el.addEventListener('ic-approval-request', (event) => event.preventDefault());
    const requested = oneEvent(el, 'ic-approval-request');
    await askForTicket(el);
    const { detail } = await requested;
    const approval = await approvalOf(el);
    expect(button(approval, 'approve')).to.equal(null);
    expect(approval.shadowRoot!.querySelector('[part="decision"]')!.textContent).to.equal('Waiting for a decision…');
    expect(await el.decideApproval(detail.approval.approval_id, 'deny')).to.equal(true);
    await untilIdle(el.store);
    expect(messageText(el.store.messages[1]!)).to.contain('did not open a ticket');
    expect((await faultStats(id)).decisions).to.have.length(1);
  });

  it('Stop while an approval waits cancels the run; the approval can no longer be decided', async () => {
    const { endpoint, id } = faultEndpoint('approval');
    const el = await faultChat(endpoint);
    await askForTicket(el);
    const approval = await approvalOf(el);
    await parts(el).composer.updateComplete;
    el.stop();
    await until(() => approval.shadowRoot!.querySelector('[part="decision"]'), 'the decision line');
    expect(outcome(approval)).to.equal('Not decided');
    await parts(el).composer.updateComplete;
    expect(parts(el).textarea.disabled).to.equal(false);
    const runId = el.store.messages[1]!.run_id!;
    await until(async () => (await faultStats(id)).cancels.includes(runId), 'the cancel POST');
    expect(await el.decideApproval(`apr_${runId}`, 'approve')).to.equal(false);
    expect((await faultStats(id)).decisions).to.have.length(0);
  });

  it('a pending approval survives a page reload and can still be decided', async () => {
    const { endpoint, id } = faultEndpoint('approval');
    localStorage.clear();
    try {
      const first = await faultChat(endpoint, { persist: 'local' });
      await askForTicket(first);
      await approvalOf(first);
      const threadId = first.currentThreadId;
      first.remove();

      // A new element on the same endpoint: as after a reload.
      const restoredEvent = new Promise<CustomEvent>((resolve) => document.addEventListener('ic-approval-request', (e) => resolve(e), { once: true }));
      // Restoring must not make Lit schedule an update from inside an update (its dev-mode warning
      // "change-in-update": a wasted render on every page load with a pending approval).
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => {
        warnings.push(args.map(String).join(' '));
        warn.apply(console, args);
      };
      let second: Awaited<ReturnType<typeof faultChat>>;
      try {
        second = await faultChat(endpoint, { persist: 'local' });
        await second.updateComplete;
      } finally {
        console.warn = warn;
      }
      expect(warnings.filter((w) => w.includes('change-in-update'))).to.deep.equal([]);
      expect(second.currentThreadId).to.equal(threadId);
      const event = await restoredEvent;
      expect(event.detail.restored).to.equal(true);
      expect(second.store.status).to.equal('awaiting_approval');
      const approval = await approvalOf(second);
      expect(approval.approval!.name).to.equal('open_ticket');
      await parts(second).composer.updateComplete;
      expect(parts(second).textarea.disabled).to.equal(true);

      button(approval, 'approve')!.click();
      await until(() => second.store.status !== 'awaiting_approval', 'the decision');
      await untilIdle(second.store);
      const holder = second.store.messages.find((m) => m.parts.some((p) => p.kind === 'approval'))!;
      expect(messageText(holder)).to.contain('T-4242');
      expect((await faultStats(id)).decisions.map((d) => d.decision)).to.deep.equal(['approve']);
      // Decided: nothing pending is left in storage.
      expect(Object.keys(localStorage).filter((k) => k.includes('pending-approval'))).to.deep.equal([]);
    } finally {
      localStorage.clear();
    }
  });

  it('the local backend opens a ticket after Approve', async () => {
    const el = await faultChat('/api/support');
    el.store.setDraft('open a ticket');
    await el.send();
    const approval = await approvalOf(el);
    expect(approval.approval!.name).to.equal('open_ticket');
    button(approval, 'approve')!.click();
    await until(() => el.store.status !== 'awaiting_approval', 'the decision');
    await untilIdle(el.store);
    const reply = el.store.messages[1]!;
    expect(messageText(reply)).to.match(/TCK-\d{6}/);
    const rendered = parts(el).messages()[1] as IcMessage;
    await rendered.updateComplete;
    // The ticket's tool call is told on the approval's one line (past tense), not in a second row.
    expect(rendered.shadowRoot!.querySelectorAll('ic-tool-call')).to.have.length(0);
    await approval.updateComplete;
    expect(approval.shadowRoot!.querySelector('[part="action"]')!.textContent).to.equal('Opened a support ticket');
    expect(outcome(approval)).to.equal('Approved');
  });
});
