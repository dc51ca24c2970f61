// An <ic-support-chat protocol="ai-sdk"> on the test page, and a visitor typing into it.
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/widget/define.js';
import type { IcSupportChat } from '../../../src/widget/support-chat/support-chat.js';
import { parts } from './dom.js';

/** A chat on `endpoint` speaking the AI SDK's UI message stream, in a 520 px tall box. */
export async function aiSdkChat(endpoint: string): Promise<IcSupportChat> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="height: 520px">
      <ic-support-chat protocol="ai-sdk" endpoint=${endpoint} persist="none" heading="Support"></ic-support-chat>
    </div>`,
  );
  const el = wrapper.querySelector('ic-support-chat')!;
  await el.updateComplete;
  return el;
}

/** Types `text` into the message box with real key presses and presses Enter. */
export async function typeAndSend(el: IcSupportChat, text: string): Promise<void> {
  parts(el).textarea.focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}
