// Sources and per-reply actions under a reply: against the real local backend over real HTTP
// (mounted at /api/cited: it cites its help articles and keeps feedback in a file), and with a
// scripted transport for what a backend should never send (unsafe links).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import type { IcReplyTools } from '../../../src/widget/reply-tools/reply-tools.js';
import type { IcFeedbackEvent } from '../../../src/widget/events.js';
import { messageText } from '../../../src/widget/types.js';
import { parts, untilIdle, waitUntil } from '../support/dom.js';
import { ScriptedTransport, completed, delta, started } from '../support/scripted-transport.js';

async function chat(endpoint = '/api/cited'): Promise<IcSupportChat> {
  const wrapper = await fixture(html`<div style="height: 640px"><ic-support-chat endpoint=${endpoint} persist="none"></ic-support-chat></div>`);
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  await waitUntil(() => el.store.session !== null, 'the session');
  return el;
}

/** The reply tools of the last message, once their chunk has loaded and rendered. */
async function lastTools(el: IcSupportChat): Promise<IcReplyTools> {
  await customElements.whenDefined('ic-reply-tools');
  let tools: IcReplyTools | null = null;
  await waitUntil(() => (tools = parts(el).messages().at(-1)?.shadowRoot?.querySelector('ic-reply-tools') ?? null), 'reply tools');
  await tools!.updateComplete;
  return tools!;
}

const part = (tools: IcReplyTools, name: string) => tools.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`);

async function ask(el: IcSupportChat, text: string): Promise<IcReplyTools> {
  await el.send(text);
  await untilIdle(el.store);
  return lastTools(el);
}

describe('sources under a reply', () => {
  it('lists the help articles the local backend answered from, as safe links labelled "Sources"', async () => {
    const el = await chat();
    const tools = await ask(el, 'How do I reset my password?');
    const list = part(tools, 'sources')!;
    const ul = list.querySelector('ul')!;
    expect(tools.shadowRoot!.getElementById(ul.getAttribute('aria-labelledby')!)!.textContent).to.equal('Sources');
    const link = ul.querySelector('a')!;
    expect(link.textContent).to.equal('Reset your password');
    expect(link.href).to.equal(new URL('/help/reset-password', location.href).href);
    expect(link.rel).to.equal('noopener noreferrer');
    expect(link.target).to.equal('_blank');
    expect(messageText(el.store.messages.at(-1)!)).to.not.contain('Source:');
    await expect(el).to.be.accessible();
  });

  it('links http(s) URLs only; other schemes are not shown', async () => {
    const transport = new ScriptedTransport();
    const wrapper = await fixture(html`<div style="height: 640px"><ic-support-chat persist="none" .transport=${transport}></ic-support-chat></div>`);
    const el = wrapper.querySelector('ic-support-chat')!;
    const next = transport.nextRun();
    const sent = el.send('Links?');
    const run = await next;
    const source = (title: string, url: string) => ({ type: 'source.added' as const, v: 1, run_id: 'r1', source: { title, url } });
    run.push(
      started('r1'),
      source('Script', 'javascript:alert(1)'),
      source('Data', 'data:text/html,<script>alert(1)</script>'),
      source('Good', 'https://help.example.com/a'),
      source('Good again', 'https://help.example.com/a'),
      source('<img src=x onerror=alert(1)>', 'https://help.example.com/b'),
      delta('r1', 'Answer'),
      completed('r1'),
    );
    run.end();
    await sent;
    const tools = await lastTools(el);
    const links = [...part(tools, 'sources')!.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://help.example.com/a', 'https://help.example.com/b']);
    expect(links[1]!.textContent).to.equal('<img src=x onerror=alert(1)>');
    expect(tools.shadowRoot!.querySelector('img')).to.equal(null);
    // A backend without feedback: no rating buttons.
    expect(part(tools, 'helpful-button')).to.equal(null);
  });
});

describe('feedback on a reply', () => {
  it('Helpful / Not helpful are pressed as chosen, changeable, and reach the backend’s file', async () => {
    const el = await chat();
    const tools = await ask(el, 'How do I export my data?');
    const runId = el.store.messages.at(-1)!.run_id!;
    const helpful = part(tools, 'helpful-button')!;
    const notHelpful = part(tools, 'not-helpful-button')!;
    expect(helpful.getAttribute('aria-label')).to.equal('Helpful');
    expect(notHelpful.getAttribute('aria-label')).to.equal('Not helpful');
    expect(helpful.getAttribute('aria-pressed')).to.equal('false');

    const up = oneEvent(el, 'ic-feedback') as Promise<IcFeedbackEvent>;
    helpful.click();
    expect((await up).detail).to.deep.include({ runId, rating: 'up' });
    await waitUntil(() => tools.shadowRoot!.querySelector('[role="status"]')!.textContent === 'Thanks for your feedback', 'the thanks');
    expect(helpful.getAttribute('aria-pressed')).to.equal('true');

    // Changed to Not helpful: the reasons form opens (its own chunk) with focus on the first reason.
    const down = oneEvent(el, 'ic-feedback') as Promise<IcFeedbackEvent>;
    notHelpful.click();
    expect((await down).detail.rating).to.equal('down');
    await waitUntil(() => part(tools, 'feedback-form'), 'the reasons form');
    expect(helpful.getAttribute('aria-pressed')).to.equal('false');
    expect(notHelpful.getAttribute('aria-pressed')).to.equal('true');
    const form = part(tools, 'feedback-form')!;
    await (form as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    await waitUntil(() => form.shadowRoot!.activeElement?.matches('input[value="incorrect"]'), 'focus on the first reason');
    await expect(el).to.be.accessible();

    form.shadowRoot!.querySelector<HTMLInputElement>('input[value="unclear"]')!.click();
    form.shadowRoot!.querySelector('textarea')!.value = 'The steps skip the settings page.';
    const detailed = oneEvent(el, 'ic-feedback') as Promise<IcFeedbackEvent>;
    form.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect((await detailed).detail).to.deep.include({ rating: 'down', reasons: ['unclear'], comment: 'The steps skip the settings page.' });
    await waitUntil(() => !part(tools, 'feedback-form'), 'the form closes');

    const lines = (await (await fetch('/api/cited-feedback')).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { run_id: string; rating: string; reasons: string[]; comment?: string })
      .filter((l) => l.run_id === runId);
    expect(lines.map((l) => l.rating)).to.deep.equal(['up', 'down', 'down']);
    expect(lines.at(-1)).to.deep.include({ reasons: ['unclear'], comment: 'The steps skip the settings page.' });
  });

  it('undoes the pressed state when the backend refuses the rating', async () => {
    const el = await chat();
    const tools = await ask(el, 'How do I reset my password?');
    // A run the backend does not know (as after its restart): it answers 404 to the rating.
    (el.store.messages.at(-1) as { run_id?: string }).run_id = 'run_unknown';
    let fired = 0;
    el.addEventListener('ic-feedback', () => fired++);
    part(tools, 'helpful-button')!.click();
    await waitUntil(() => tools.shadowRoot!.querySelector('[role="status"]')!.textContent === 'Your feedback could not be sent.', 'the failure note');
    expect(part(tools, 'helpful-button')!.getAttribute('aria-pressed')).to.equal('false');
    expect(el.store.messages.at(-1)!.feedback).to.equal(undefined);
    expect(fired).to.equal(0);
  });
});

describe('per-reply actions', () => {
  it('Copy puts the reply’s Markdown on the clipboard', async () => {
    const el = await chat();
    const tools = await ask(el, 'How do I reset my password?');
    const written: string[] = [];
    // The browser's clipboard needs a permission prompt headless: record what would be written.
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void written.push(text) } });
    try {
      part(tools, 'copy-button')!.click();
      await waitUntil(() => written.length === 1, 'the copy');
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
      if (original) Object.defineProperty(Navigator.prototype, 'clipboard', original);
    }
    expect(written[0]).to.equal(messageText(el.store.messages.at(-1)!));
    expect(written[0]).to.contain('**Reset your password**');
    await tools.updateComplete;
    expect(tools.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Copied');
  });

  it('Ask again sends the same question for a new reply, shown on the last reply only', async () => {
    const el = await chat();
    await ask(el, 'How do I reset my password?');
    const tools = await ask(el, 'How do I export my data?');
    const first = parts(el).messages().at(1)!.shadowRoot!.querySelector('ic-reply-tools')!;
    expect(part(first, 'ask-again-button')).to.equal(null);
    expect(part(first, 'copy-button')).to.not.equal(null);
    part(tools, 'ask-again-button')!.click();
    await waitUntil(() => el.store.messages.length === 6, 'the new turn');
    await untilIdle(el.store);
    expect(messageText(el.store.messages.at(-2)!)).to.equal('How do I export my data?');
    expect(el.store.messages.at(-1)!.status).to.equal('complete');
  });

  it('Continue, under a stopped reply, asks the assistant to go on', async () => {
    const el = await chat();
    const sent = el.send('slow reply please: how do I reset my password?');
    // Stopped once its first sentence is shown (a loaded machine may show only a word or two at first).
    await waitUntil(() => messageText(el.store.messages.at(-1)!).includes('deliberately slow'), 'the reply starts', { timeout: 5000 });
    el.stop();
    await sent;
    const tools = await lastTools(el);
    expect(part(tools, 'ask-again-button')).to.equal(null);
    part(tools, 'continue-button')!.click();
    await waitUntil(() => el.store.messages.length === 4, 'the continue turn');
    expect(messageText(el.store.messages.at(-2)!)).to.equal('Please continue.');
    await untilIdle(el.store);
    // The local backend sends the rest of the stopped reply, from where it had got to: nothing the
    // visitor saw is said again. (Words it sent after the Stop but before the cancel reached it are
    // not shown again either: a known gap, see the session note.)
    const [stopped, rest] = [el.store.messages.at(1)!, el.store.messages.at(-1)!].map(messageText);
    expect(rest).to.not.contain('deliberately slow');
    expect((stopped + rest).split('deliberately slow').length, 'nothing said twice').to.equal(2);
    expect(rest, 'the end of the same answer').to.contain('open a ticket');
    await expect(el).to.be.accessible();
  });
});
