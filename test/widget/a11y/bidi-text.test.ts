// Text the assistant or a tool provides takes its direction from its own content (dir="auto"),
// so an English reason or a JSON argument in the Arabic (right-to-left) interface keeps its
// punctuation in place. Real Chromium, the scripted fault server over real HTTP.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import { whenToolUiReady } from '../../../src/widget/lazy-parts.js';
import type { IcApproval } from '../../../src/widget/approval/approval.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { IcToolCall } from '../../../src/widget/tool-call/tool-call.js';
import { parts, untilIdle } from '../support/dom.js';
import { faultEndpoint, until } from '../support/fault-endpoint.js';

// The tool-call row and approval card are an on-demand chunk (lazy-parts.ts): these tests are about the elements.
before(() => whenToolUiReady());

async function arabicChat(endpoint: string): Promise<IcSupportChat> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="height: 520px" lang="ar">
      <ic-support-chat endpoint=${endpoint} persist="none"></ic-support-chat>
    </div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

function inReply<T extends Element>(el: IcSupportChat, selector: string): T | null {
  for (const message of parts(el).messages()) {
    const found = message.shadowRoot?.querySelector<T>(selector);
    if (found) return found;
  }
  return null;
}

describe('direction of provided text in the Arabic interface', () => {
  it('the approval: an English reason, argument names and values read left to right', async () => {
    const { endpoint } = faultEndpoint('approval');
    const el = await arabicChat(endpoint);
    await el.send('Please open a ticket');
    const approval = await until(() => inReply<IcApproval>(el, 'ic-approval'), 'the approval');
    await approval.updateComplete;
    const root = approval.shadowRoot!;
    expect(root.querySelector('[part="base"]')!.matches(':dir(rtl)'), 'the box follows the interface').to.equal(true);
    const reason = root.querySelector<HTMLElement>('[part="reason"]')!;
    expect(reason.textContent).to.contain('support team');
    expect(reason.getAttribute('dir')).to.equal('auto');
    expect(reason.matches(':dir(ltr)'), 'the English reason reads left to right').to.equal(true);
    for (const cell of root.querySelectorAll('dt, dd')) {
      expect(cell.getAttribute('dir'), cell.textContent!).to.equal('auto');
      expect(cell.matches(':dir(ltr)'), cell.textContent!).to.equal(true);
    }
    await expect(el).to.be.accessible();
  });

  it('a tool call: its arguments and result (JSON) read left to right', async () => {
    const { endpoint } = faultEndpoint('tools');
    const el = await arabicChat(endpoint);
    await el.send('Search please');
    await untilIdle(el.store);
    const call = await until(() => inReply<IcToolCall>(el, 'ic-tool-call'), 'the tool call');
    await call.updateComplete;
    const root = call.shadowRoot!;
    expect(root.querySelector('details')!.matches(':dir(rtl)'), 'the box follows the interface').to.equal(true);
    // The readable lists isolate each label and value (dir=auto: this Latin text reads left to right);
    // the raw JSON behind "Show details" is left to right outright.
    for (const part of ['arguments', 'output']) {
      const cells = root.querySelectorAll<HTMLElement>(`[part="${part}"] :is(dt, dd, p)`);
      expect(cells.length, part).to.be.above(0);
      for (const cell of cells) {
        expect(cell.getAttribute('dir'), part).to.equal('auto');
        expect(cell.matches(':dir(ltr)'), part).to.equal(true);
      }
    }
    for (const pre of root.querySelectorAll<HTMLElement>('[part="raw"] pre')) expect(pre.matches(':dir(ltr)')).to.equal(true);
  });

  it('a tool call without arguments or result: its raw name reads left to right', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div dir="rtl" lang="ar">
        <ic-tool-call .call=${{ kind: 'tool_call', tool_call_id: 'c1', name: 'crm_sync', arguments: {}, status: 'running' }}></ic-tool-call>
      </div>`,
    );
    const call = wrapper.querySelector('ic-tool-call')!;
    await call.updateComplete;
    const name = call.shadowRoot!.querySelector<HTMLElement>('.body .state')!;
    expect(name.textContent).to.equal('crm_sync');
    expect(name.matches(':dir(ltr)')).to.equal(true);
  });
});
