// Touch screens have no hover: pressing the launcher starts the download before the click lands.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/lazy.js';
import type { IcSupportChatLazy } from '../../../src/widget/launcher/lazy-support-chat.js';

describe('lazy entry: prefetch on press', () => {
  it('starts loading the chat on pointerdown', async () => {
    const original = window.requestIdleCallback;
    window.requestIdleCallback = () => 0; // never idle: only the press can start it
    try {
      const el = await fixture<IcSupportChatLazy>(html`<ic-support-chat mode="launcher" persist="none"></ic-support-chat>`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(customElements.get('ic-support-chat-core')).to.equal(undefined);
      el.shadowRoot!.querySelector('ic-launcher')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      await customElements.whenDefined('ic-support-chat-core');
      expect(el.loaded).to.equal(false);
    } finally {
      window.requestIdleCallback = original;
    }
  });
});
