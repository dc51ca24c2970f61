// A question that got no reply says so on its own bubble ("Not delivered", with Retry) for as long
// as it is in the transcript: after the visitor asks something else, and after a reload. Real
// Chromium, the scripted fault server over real HTTP (its `error-json` scenario refuses the first
// run with a 503 and answers every later one).
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcMessage } from '../../../src/widget/message/message.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { messageText } from '../../../src/widget/types.js';
import { parts, untilIdle } from '../support/dom.js';
import { faultChat, faultEndpoint, faultStats, until } from '../support/fault-endpoint.js';

const FIRST = 'Can I get a refund for last month?';
const SECOND = 'How do I reset my password?';

async function ask(el: IcSupportChat, text: string): Promise<void> {
  el.store.setDraft(text);
  await el.updateComplete;
  await el.send();
  await untilIdle(el.store);
  await parts(el).list.updateComplete;
}

/** The rendered message showing the visitor's `text`. */
async function question(el: IcSupportChat, text: string): Promise<IcMessage> {
  const found = await until(() => (parts(el).messages() as IcMessage[]).find((m) => m.message?.role === 'user' && messageText(m.message) === text), `the question "${text}"`);
  await found.updateComplete;
  return found;
}

const note = (m: IcMessage) => m.shadowRoot!.querySelector<HTMLElement>('[part="undelivered"]');
const retryOf = (m: IcMessage) => m.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]');

afterEach(() => localStorage.clear());

describe('an undelivered question', () => {
  it('says "Not delivered" on its own bubble, keeps saying it after another question, and its Retry sends it again', async () => {
    const { endpoint, id } = faultEndpoint('error-json');
    const el = await faultChat(endpoint);
    await ask(el, FIRST);
    let first = await question(el, FIRST);
    expect(note(first)?.textContent).to.contain('Not delivered');
    // The reply's alert holds the Retry of the failure just shown: not a second one on the bubble.
    expect(retryOf(first)).to.equal(null);

    // The visitor asks something else instead of pressing Retry.
    await ask(el, SECOND);
    first = await question(el, FIRST);
    expect(note(first)?.textContent, 'the first question still says it was not delivered').to.contain('Not delivered');
    const retry = retryOf(first)!;
    expect(retry.textContent!.trim()).to.equal('Retry');
    expect(note(await question(el, SECOND))).to.equal(null);
    await expect(el).to.be.accessible();

    // Retry goes away as the question is resent: the focus it held moves to the message box.
    retry.focus();
    retry.click();
    await until(() => el.shadowRoot!.activeElement === parts(el).composer, 'focus to move to the message box');
    expect(parts(el).composer.shadowRoot!.activeElement).to.equal(parts(el).textarea);
    await until(async () => (await faultStats(id)).runs === 3, 'the resent question');
    await untilIdle(el.store);
    const stats = await faultStats(id);
    expect((stats.bodies[2] as { input: { content: unknown }[] }).input[0]!.content).to.equal(FIRST);
    // Sent again as the newest turn, answered, and no longer marked.
    const roles = el.store.messages.map((m) => `${m.role}:${messageText(m)}`);
    expect(roles.slice(-2)).to.deep.equal([`user:${FIRST}`, 'assistant:Hello from the fault server.']);
    expect(el.store.messages.filter((m) => m.undelivered)).to.deep.equal([]);
    await parts(el).list.updateComplete;
    expect(note(await question(el, FIRST))).to.equal(null);
  });

  it('is still marked, with Retry, in a transcript restored after a reload', async () => {
    const { endpoint, id } = faultEndpoint('error-json');
    const el = await faultChat(endpoint, { persist: 'local' });
    await ask(el, FIRST);
    el.parentElement!.remove();

    const again = await faultChat(endpoint, { persist: 'local' });
    const first = await question(again, FIRST);
    expect(first.message!.undelivered).to.equal(true);
    expect(note(first)?.textContent).to.contain('Not delivered');
    const retry = retryOf(first)!;
    expect(retry).to.not.equal(null);
    await expect(again).to.be.accessible();

    retry.click();
    await until(async () => (await faultStats(id)).runs === 2, 'the resent question');
    await untilIdle(again.store);
    expect(messageText(again.store.messages[again.store.messages.length - 1]!)).to.equal('Hello from the fault server.');
    expect(again.store.messages.some((m) => m.undelivered)).to.equal(false);
  });

  it('on its own (no store): the mark without Retry, in the page’s language', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="en">
        <ic-message .message=${{ id: 'q1', role: 'user', status: 'complete', parts: [{ kind: 'text', text: FIRST }], created_at: 0, undelivered: true }}></ic-message>
      </div>`,
    );
    const el = wrapper.querySelector('ic-message')!;
    await el.updateComplete;
    expect(note(el)!.textContent).to.contain('Not delivered');
    expect(retryOf(el)).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
