// The header: avatar slot, the assistant's name, the AI disclosure (on by default, translatable,
// configurable) and one accessible menu of secondary actions.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { transcriptMarkdown } from '../../../src/widget/transcript/transcript-markdown.js';
import { en } from '../../../src/widget/i18n/strings.js';
import type { ChatMessage } from '../../../src/widget/types.js';
import { headerMenuButton, parts, untilIdle, waitUntil } from '../support/dom.js';

async function chat(attrs = html``, lang = 'en'): Promise<IcSupportChat> {
  const wrapper = await fixture(html`<div style="height: 600px" lang=${lang}>${attrs}</div>`);
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

const q = (el: IcSupportChat, part: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part="${part}"]`);
const deepActive = () => {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};

describe('header', () => {
  it('says who answers: name, avatar, and the AI disclosure by default', async () => {
    const el = await chat(
      html`<ic-support-chat endpoint="/api/support" persist="none" assistant-name="Ada from Acme"
        ><img slot="avatar" alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="
      /></ic-support-chat>`,
    );
    expect(q(el, 'heading')!.textContent).to.equal('Ada from Acme');
    expect(q(el, 'disclosure')!.textContent).to.equal('AI assistant · answers may be wrong');
    const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="avatar"]')!;
    expect(slot.assignedElements()[0]!.tagName).to.equal('IMG');
    await headerMenuButton(el);
    await expect(el).to.be.accessible();
  });

  it('the disclosure is configurable, translated, and can be hidden', async () => {
    const custom = await chat(html`<ic-support-chat persist="none" disclosure="Automated answers, checked weekly"></ic-support-chat>`);
    expect(q(custom, 'disclosure')!.textContent).to.equal('Automated answers, checked weekly');
    const french = await chat(html`<ic-support-chat persist="none"></ic-support-chat>`, 'fr');
    await waitUntil(() => q(french, 'disclosure')!.textContent!.startsWith('Assistant IA'), 'the French table');
    const hidden = await chat(html`<ic-support-chat persist="none" hide-disclosure></ic-support-chat>`);
    expect(q(hidden, 'disclosure')).to.equal(null);
  });

  it('keeps secondary actions in one menu button, operable by keyboard', async () => {
    const el = await chat(html`<ic-support-chat endpoint="/api/support" persist="none"></ic-support-chat>`);
    const button = await headerMenuButton(el);
    const menu = el.shadowRoot!.querySelector('ic-header-menu')!;
    const list = menu.shadowRoot!.querySelector<HTMLElement>('[role="menu"]')!;
    expect(button.getAttribute('aria-haspopup')).to.equal('menu');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.getAttribute('aria-label')).to.equal('More actions');
    expect(list.hidden).to.equal(true);

    button.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => deepActive() === q(el, 'new-conversation-button'), 'focus on the first item');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'ArrowDown' });
    expect(deepActive()).to.equal(q(el, 'previous-conversations-button'));
    await sendKeys({ press: 'ArrowDown' });
    expect(deepActive()).to.equal(q(el, 'download-transcript-button'));
    await sendKeys({ press: 'ArrowDown' });
    expect(deepActive(), 'wraps to the first').to.equal(q(el, 'new-conversation-button'));
    await sendKeys({ press: 'End' });
    expect(deepActive()).to.equal(q(el, 'download-transcript-button'));
    await sendKeys({ press: 'Escape' });
    await menu.updateComplete;
    expect(list.hidden).to.equal(true);
    expect(deepActive(), 'Escape returns focus to the button').to.equal(button);

    // ArrowUp opens on the last item; Tab closes it.
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => deepActive() === q(el, 'download-transcript-button'), 'focus on the last item');
    await sendKeys({ press: 'Tab' });
    await menu.updateComplete;
    expect(list.hidden).to.equal(true);
  });

  it('Escape in the menu does not close a launcher panel', async () => {
    const el = await chat(html`<ic-support-chat mode="launcher" open persist="none"></ic-support-chat>`);
    const button = await headerMenuButton(el);
    button.click();
    await waitUntil(() => deepActive() === q(el, 'new-conversation-button'), 'the menu opens');
    await sendKeys({ press: 'Escape' });
    expect(el.isOpen).to.equal(true);
    expect(deepActive()).to.equal(button);
  });

  it('"New conversation" from the menu starts a new thread', async () => {
    const el = await chat(html`<ic-support-chat endpoint="/api/support" persist="none"></ic-support-chat>`);
    await el.send('How do I reset my password?');
    await untilIdle(el.store);
    const before = el.currentThreadId;
    const button = await headerMenuButton(el);
    button.click();
    await waitUntil(() => deepActive() === q(el, 'new-conversation-button'), 'the menu opens');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.store.messages.length === 0, 'the transcript clears');
    expect(el.currentThreadId).to.not.equal(before);
    await el.updateComplete;
    expect(deepActive(), 'focus back on the menu button').to.equal(button);
  });

  it('"Download transcript" saves a Markdown file of the conversation', async () => {
    const el = await chat(html`<ic-support-chat endpoint="/api/support" persist="none"></ic-support-chat>`);
    await el.send('How do I reset my password?');
    await untilIdle(el.store);
    // Catch the download link the widget clicks, and read the file it points at.
    const clicked: HTMLAnchorElement[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      (await headerMenuButton(el)).click();
      q(el, 'download-transcript-button')!.click();
      await waitUntil(() => clicked.length === 1, 'the download');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    const link = clicked[0]!;
    expect(link.download).to.match(/^transcript-\d{4}-\d{2}-\d{2}\.md$/);
    const text = await (await fetch(link.href)).text();
    expect(text).to.match(/^# Support · \d{4}-\d{2}-\d{2}/);
    expect(text).to.contain('> How do I reset my password?');
    expect(text).to.contain('**Reset your password**');
    expect(parts(el).messages().length).to.equal(2);
  });
});

describe('transcriptMarkdown', () => {
  it('names attachments, links only http(s) sources, and quotes the visitor’s text', () => {
    const messages: ChatMessage[] = [
      {
        id: 'u',
        role: 'user',
        status: 'complete',
        created_at: 0,
        parts: [{ kind: 'text', text: '# not a heading\nsecond line' }],
        attachments: [{ name: 'screen [1].png', media_type: 'image/png', size: 10 }],
      },
      {
        id: 'a',
        role: 'assistant',
        status: 'complete',
        created_at: 60_000,
        parts: [{ kind: 'text', text: 'See **this**.' }],
        sources: [
          { title: 'Refunds', url: 'https://help.example.com/refunds' },
          { title: 'Bad', url: 'javascript:alert(1)' },
        ],
      },
    ];
    const md = transcriptMarkdown(messages, en, 'Ada', new Date('2026-01-02T03:04:05Z'));
    expect(md).to.equal(
      [
        '# Ada · 2026-01-02',
        '## You said · 1970-01-01 00:00',
        '> # not a heading\n> second line',
        '- Attachment: screen _1_.png',
        '## Ada · 1970-01-01 00:01',
        'See **this**.',
        'Sources:\n- [Refunds](<https://help.example.com/refunds>)',
      ].join('\n\n') + '\n',
    );
  });
});
