// Visitors who asked to save data (Save-Data, `navigator.connection.saveData`) get no idle
// prefetch of the full chat: it downloads only when they show intent (hover, focus, press).
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/lazy.js';
import type { IcSupportChatLazy } from '../../../src/widget/launcher/lazy-support-chat.js';

describe('lazy entry: Save-Data', () => {
  it('skips the idle prefetch, and still loads on intent', async () => {
    const idle: IdleRequestCallback[] = [];
    const original = window.requestIdleCallback;
    window.requestIdleCallback = (callback) => idle.push(callback);
    Object.defineProperty(navigator, 'connection', { configurable: true, value: { saveData: true } });
    try {
      const el = await fixture<IcSupportChatLazy>(html`<ic-support-chat mode="launcher" persist="none"></ic-support-chat>`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(idle.length).to.equal(0);
      expect(customElements.get('ic-support-chat-core')).to.equal(undefined);
      el.shadowRoot!.querySelector('ic-launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
      await customElements.whenDefined('ic-support-chat-core');
    } finally {
      window.requestIdleCallback = original;
      delete (navigator as { connection?: unknown }).connection;
    }
  });
});
