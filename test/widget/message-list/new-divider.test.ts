// Reopening the launcher with unread replies: the transcript scrolls to the first of them, under a
// "New" divider (in the chat's language), instead of landing at the end of the last one.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';
import { nextFrame, untilIdle } from '../support/dom.js';

const long = (label: string) => Array.from({ length: 14 }, (_, i) => `${label} paragraph ${i} with enough words to take some room.\n\n`);

async function answer(chat: IcSupportChat, transport: ScriptedTransport, turn: number, question: string) {
  void chat.send(question);
  const run = transport.runs[turn]!;
  run.push(started(`r${turn}`));
  for (const text of long(`Reply ${turn}`)) run.push(delta(`r${turn}`, text));
  run.push(completed(`r${turn}`));
  await untilIdle(chat.store);
}

describe('unread replies: "New" divider', () => {
  for (const lang of ['en', 'ar']) {
    it(`reopening scrolls to the first unread reply under "New" (${lang})`, async () => {
      const transport = new ScriptedTransport();
      const chat = await fixture<IcSupportChat>(
        html`<ic-support-chat mode="launcher" persist="none" lang=${lang} style="--ic-panel-height: 420px" .transport=${transport}></ic-support-chat>`,
      );
      chat.open();
      await chat.updateComplete;
      await answer(chat, transport, 0, 'First question');
      // A second question, then the visitor closes the chat while its reply arrives.
      const second = chat.send('Second question');
      chat.close();
      transport.runs[1]!.push(started('r1'));
      for (const text of long('Reply 1')) transport.runs[1]!.push(delta('r1', text));
      transport.runs[1]!.push(completed('r1'));
      await second;
      await chat.updateComplete;

      chat.open();
      await chat.updateComplete;
      const list = chat.shadowRoot!.querySelector('ic-message-list')!;
      await list.updateComplete;
      await nextFrame();
      await nextFrame();
      const divider = list.shadowRoot!.querySelector<HTMLElement>('[part="new-divider"]')!;
      expect(divider, 'a divider').to.not.equal(null);
      expect(divider.textContent).to.equal(lang === 'ar' ? 'جديد' : 'New');
      expect(divider.getAttribute('role')).to.equal('separator');
      // Right above the unread reply, and at the top of the log.
      const next = divider.nextElementSibling as HTMLElement & { message?: { id: string } };
      expect(next.tagName).to.equal('IC-MESSAGE');
      expect(next.message!.id).to.equal(chat.store.messages[3]!.id);
      const log = list.shadowRoot!.querySelector<HTMLElement>('[part="log"]')!;
      expect(divider.getBoundingClientRect().top - log.getBoundingClientRect().top).to.be.within(-1, 16);
      expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.greaterThan(50);
      // The panel fades in on open: axe reads colours, so it checks the settled panel.
      const panel = chat.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
      await Promise.all(panel.getAnimations().map((a) => a.finished));
      await expect(chat).to.be.accessible();

      // The next question takes the divider away.
      void chat.send('Thanks');
      await list.updateComplete;
      expect(list.shadowRoot!.querySelector('[part="new-divider"]')).to.equal(null);
    });
  }
});
