// The lazy entry downloads the full chat once the page has loaded and the browser is idle, without
// mounting or opening it. This file imports only src/lazy.ts, so nothing else loads the chat.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/lazy.js';
import type { IcSupportChatLazy } from '../../../src/widget/launcher/lazy-support-chat.js';

describe('lazy entry: idle prefetch', () => {
  it('fetches the full chat when the browser is idle after load, not before', async () => {
    const idle: IdleRequestCallback[] = [];
    const original = window.requestIdleCallback;
    window.requestIdleCallback = (callback) => idle.push(callback);
    try {
      expect(document.readyState).to.equal('complete');
      const el = await fixture<IcSupportChatLazy>(html`<ic-support-chat mode="launcher" persist="none"></ic-support-chat>`);
      expect(idle.length).to.equal(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(customElements.get('ic-support-chat-core')).to.equal(undefined);
      idle[0]!({ didTimeout: false, timeRemaining: () => 50 });
      await customElements.whenDefined('ic-support-chat-core');
      // Downloaded, not mounted or opened: the visitor has not asked for it.
      expect(el.loaded).to.equal(false);
      expect(el.hasAttribute('open')).to.equal(false);
    } finally {
      window.requestIdleCallback = original;
    }
  });
});
