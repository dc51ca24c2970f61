// The audit's case over real HTTP, typed with the keyboard: a reply cut off mid-stream (the server
// drops the connection after some deltas) used to put the question back in the composer as well as
// offering Retry, so the next thing typed was appended to it and sent ("Slow reply pleaseAre you there?").
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { parts, untilIdle } from '../support/dom.js';
import { faultChat, faultEndpoint, faultStats, until } from '../support/fault-endpoint.js';

describe('a reply cut off mid-stream, then the visitor types on', () => {
  it('leaves the composer empty, so the next question is sent on its own', async () => {
    const { endpoint, id } = faultEndpoint('drop');
    const el = await faultChat(endpoint);
    const { textarea, composer } = parts(el);
    textarea.focus();
    const errored = oneEvent(el, 'ic-error');
    await sendKeys({ type: 'Slow reply please' });
    await sendKeys({ press: 'Enter' });
    expect((await errored).detail.error.code).to.equal('interrupted');
    await untilIdle(el.store);
    await composer.updateComplete;
    expect(el.store.messages.map((m) => [m.role, m.status])).to.deep.equal([
      ['user', 'complete'],
      ['assistant', 'interrupted'],
    ]);
    expect(textarea.value).to.equal('');

    textarea.focus();
    await sendKeys({ type: 'Are you there?' });
    await sendKeys({ press: 'Enter' });
    await until(async () => (await faultStats(id)).runs === 2, 'the second POST');
    await untilIdle(el.store);
    const { bodies } = await faultStats(id);
    expect((bodies[1] as { input: unknown[] }).input).to.deep.equal([{ role: 'user', content: 'Are you there?' }]);
    // The interrupted turn is still there, with its Retry; the new one follows it.
    expect(el.store.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'user', 'assistant']);
    expect(el.store.messages[1]!.status).to.equal('interrupted');
  });
});
