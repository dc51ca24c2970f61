import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { IcSupportChat } from '../src/widget/support-chat/support-chat.js';
import { chatArgs, chatArgTypes, renderChat, whenReady, type ChatArgs, type ChatParameters } from './support/chat-story.js';
import { deepQuery } from './support/deep-query.js';
import { MockTransport, type ScriptedReply } from './support/mock-transport.js';
import { RESET_PASSWORD } from './support/scripts.js';

/**
 * What sits around a reply (issue 16): its sources, its actions (Copy, Ask again, Continue,
 * Helpful / Not helpful), and the header that says who answers, with its one menu.
 */
const REPLIES: ScriptedReply[] = [
  {
    match: 'password',
    steps: [
      { source: { title: 'Reset your password', url: 'https://help.example.com/reset-password', snippet: 'Open Settings → Account…' } },
      { source: { title: 'Two-factor authentication', url: 'https://help.example.com/2fa' } },
      { text: RESET_PASSWORD },
    ],
  },
  { match: 'slow', steps: [{ text: 'Here is a long answer that goes on, and on,' }, { hold: true }] },
  { text: 'I can help with your account, billing and the app.' },
];

const meta: Meta<ChatArgs> = {
  title: 'Features/Sources, feedback and header',
  component: 'ic-support-chat',
  args: { ...chatArgs, question: 'How do I reset my password?' },
  argTypes: chatArgTypes,
  render: renderChat,
  parameters: { replies: REPLIES, feedback: true } satisfies ChatParameters,
};
export default meta;

type Story = StoryObj<ChatArgs>;

const chatIn = (canvasElement: HTMLElement): IcSupportChat => canvasElement.querySelector('ic-support-chat')!;

/** Waits for an element found through shadow roots. */
const found = <T extends HTMLElement>(root: Element, selector: string) =>
  waitFor(
    () => {
      const element = deepQuery<T>(root, selector);
      expect(element).toBeTruthy();
      return element as T;
    },
    { timeout: 10_000 },
  );

/** A finished reply with its sources (links) and actions: Copy, Helpful, Not helpful, Ask again. */
export const ReplyWithSourcesAndActions: Story = {
  play: async ({ canvasElement }) => {
    const chat = chatIn(canvasElement);
    await found(chat, '[part~="sources"] a');
    await found(chat, '[part~="helpful-button"]');
  },
};

/** Interaction: "Helpful" pressed (its pressed state shows; it can be changed). */
export const RatedHelpful: Story = {
  play: async ({ canvasElement, userEvent }) => {
    const chat = chatIn(canvasElement);
    await userEvent.click(await found(chat, '[part~="helpful-button"]'));
    await waitFor(() => expect(deepQuery(chat, '[part~="helpful-button"]')?.getAttribute('aria-pressed')).toBe('true'));
  },
};

/** Interaction: "Not helpful" pressed: a few reasons and an optional comment. */
export const NotHelpfulReasons: Story = {
  play: async ({ canvasElement, userEvent }) => {
    const chat = chatIn(canvasElement);
    await userEvent.click(await found(chat, '[part~="not-helpful-button"]'));
    await found(chat, '[part~="feedback-form"]');
  },
};

/** Interaction: a reply stopped by the visitor offers "Continue". */
export const StoppedWithContinue: Story = {
  args: { question: 'A slow answer please', 'idle-timeout': 0 },
  play: async ({ canvasElement }) => {
    const chat = chatIn(canvasElement);
    await waitFor(() => expect(chat.store.status).toBe('streaming'), { timeout: 10_000 });
    chat.stop();
    await found(chat, '[part~="continue-button"]');
  },
};

/** Interaction: the header's menu, open (New conversation, Download transcript). */
export const HeaderMenuOpen: Story = {
  args: { question: '' },
  play: async ({ canvasElement, userEvent }) => {
    const chat = chatIn(canvasElement);
    await userEvent.click(await found(chat, '[part~="menu-button"]'));
    await waitFor(() => expect(deepQuery(chat, '[part~="menu"]')?.hidden).toBe(false));
  },
};

/** The header: an avatar, the assistant's name, and the AI disclosure line (on by default). */
export const HeaderWithAvatarAndName: Story = {
  args: { question: '' },
  render: (args) =>
    html`<div style="height: 600px; max-width: 440px; padding: 8px">
      <ic-support-chat
        persist="none"
        assistant-name="Ada, Notably's assistant"
        greeting=${args.greeting}
        .transport=${new MockTransport({ replies: REPLIES, feedback: true })}
        ${whenReady('', 'none')}
      >
        <img
          slot="avatar"
          alt=""
          src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Ccircle cx='16' cy='16' r='16' fill='%234f46e5'/%3E%3Ctext x='16' y='21' font-family='sans-serif' font-size='14' font-weight='700' fill='white' text-anchor='middle'%3EA%3C/text%3E%3C/svg%3E"
        />
      </ic-support-chat>
    </div>`,
};

/** The disclosure in the visitor's language (here Arabic, right to left), with a custom name. */
export const HeaderDisclosureTranslated: Story = { args: { question: '', lang: 'ar', heading: 'الدعم' } };
