// Earlier replies scrolled out of view stay readable by screen readers: their headings, paragraphs
// and tables keep their text in the accessibility tree. (With `content-visibility: auto` on finished
// blocks, Chromium exposed off-screen ones as empty headings and paragraphs and dropped tables.)
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcMessageList } from '../../../src/widget/message-list/message-list.js';
import { ChatStore } from '../../../src/widget/state/chat-store.js';
import type { AxNode } from '../../support/ax-tree-plugin.js';
import { completed, delta, ScriptedTransport, started } from '../support/scripted-transport.js';
import { nextFrame, untilIdle } from '../support/dom.js';
import { describeIn, AX_TREE, NO_AX_TREE } from '../support/engine.js';

function reply(n: number): string {
  const filler = 'A sentence long enough to wrap onto several lines in a narrow transcript. '.repeat(5);
  return `## Heading of reply ${n}\n\n${filler}\n\n` + `| Plan ${n} | Price |\n| --- | --- |\n| Pro ${n} | $${n}0 |\n\n` + `${filler}\n\n### Closing words ${n}\n\n${filler}\n`;
}

describeIn(AX_TREE, NO_AX_TREE)('accessibility tree: replies scrolled out of view', () => {
  it('keeps the text of every earlier reply', async () => {
    const transport = new ScriptedTransport();
    const store = new ChatStore({ transport, warn: () => {} });
    const el = await fixture<IcMessageList>(html`<ic-message-list style="display:flex;height:240px;width:360px" .store=${store}></ic-message-list>`);
    for (let n = 1; n <= 3; n++) {
      void store.send(`Question ${n}`);
      const run = transport.runs[n - 1]!;
      run.push(started(`r${n}`));
      run.push(delta(`r${n}`, reply(n)));
      run.push(completed(`r${n}`));
      await untilIdle(store);
    }
    await el.updateComplete;
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    log.scrollTop = log.scrollHeight;
    for (let i = 0; i < 4; i++) await nextFrame();
    // The first reply is far above the visible part of the log.
    expect(log.scrollTop).to.be.greaterThan(1000);

    const tree = (await executeServerCommand('ax-tree')) as AxNode[];
    const named = (role: string) => tree.filter((node) => node.role === role).map((node) => node.name);
    for (let n = 1; n <= 3; n++) {
      expect(named('heading'), `reply ${n}'s headings`).to.include.members([`Heading of reply ${n}`, `Closing words ${n}`]);
      expect(named('cell').concat(named('gridcell')), `reply ${n}'s table`).to.include.members([`Pro ${n}`, `$${n}0`]);
    }
    expect(
      named('heading').filter((name) => name === ''),
      'headings without text',
    ).to.deep.equal([]);
  });
});
