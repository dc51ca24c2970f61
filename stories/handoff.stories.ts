import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import type { IcSupportChat } from '../src/widget/support-chat/support-chat.js';
import { chatArgs, chatArgTypes, renderChat, type ChatArgs, type ChatParameters } from './support/chat-story.js';
import { deepQuery } from './support/deep-query.js';
import type { ScriptedReply } from './support/mock-transport.js';

/**
 * "Talk to a person" (issue 16.2): the header menu's item, the form (an email for an anonymous
 * visitor, none for a signed-in one with an address on file) and the reference in the transcript.
 */
const REPLIES: ScriptedReply[] = [{ text: 'Sync runs every few minutes; if notes still differ, a person can look at your account.' }];

const meta: Meta<ChatArgs> = {
  title: 'Features/Talk to a person',
  component: 'ic-support-chat',
  args: { ...chatArgs, question: 'My notes do not sync' },
  argTypes: chatArgTypes,
  render: renderChat,
  parameters: { replies: REPLIES, handoff: true } satisfies ChatParameters,
};
export default meta;

type Story = StoryObj<ChatArgs>;

const chatIn = (canvasElement: HTMLElement): IcSupportChat => canvasElement.querySelector('ic-support-chat')!;

const found = <T extends HTMLElement>(root: Element, selector: string) =>
  waitFor(
    () => {
      const element = deepQuery<T>(root, selector);
      expect(element).toBeTruthy();
      return element as T;
    },
    { timeout: 10_000 },
  );

/** Opens the header menu and picks "Talk to a person". */
async function openForm(chat: IcSupportChat, click: (element: Element) => Promise<void>): Promise<HTMLElement> {
  await click(await found(chat, '[part~="menu-button"]'));
  await click(await found(chat, '[part~="handoff-button"]'));
  return found(chat, '[part~="handoff-form"]');
}

/** The header menu offers "Talk to a person" once the conversation has a turn. */
export const MenuItem: Story = {
  play: async ({ canvasElement, userEvent }) => {
    const chat = chatIn(canvasElement);
    await found(chat, '[part~="handoff-button"]');
    await userEvent.click(await found(chat, '[part~="menu-button"]'));
    await waitFor(() => expect(deepQuery(chat, '[part~="menu"]')?.hidden).toBe(false));
  },
};

/** Interaction: the form for an anonymous visitor: email (focused) and an optional message. */
export const FormAnonymous: Story = {
  play: async ({ canvasElement, userEvent }) => {
    const form = await openForm(chatIn(canvasElement), (e) => userEvent.click(e));
    await found(form, 'input[type="email"]');
  },
};

/** Interaction: sent without an address: the field says what is wrong and keeps focus. */
export const FormEmailError: Story = {
  play: async ({ canvasElement, userEvent }) => {
    const form = await openForm(chatIn(canvasElement), (e) => userEvent.click(e));
    await userEvent.click(await found(form, 'button[type="submit"]'));
    await waitFor(() => expect(deepQuery(form, 'input[type="email"]')?.getAttribute('aria-invalid')).toBe('true'));
  },
};

/** Interaction: a signed-in visitor with an address on file is asked for none. */
export const FormSignedIn: Story = {
  parameters: { handoff: 'signed-in' } satisfies ChatParameters,
  play: async ({ canvasElement, userEvent }) => {
    const form = await openForm(chatIn(canvasElement), (e) => userEvent.click(e));
    await found(form, 'textarea');
    await expect(deepQuery(form, 'input')).toBeNull();
  },
};

/** Interaction: sent: the reference and the address, as a line in the transcript. */
export const Result: Story = {
  play: async ({ canvasElement, userEvent }) => {
    const chat = chatIn(canvasElement);
    const form = await openForm(chat, (e) => userEvent.click(e));
    await userEvent.type(await found(form, 'input[type="email"]'), 'ada@example.com');
    await userEvent.click(await found(form, 'button[type="submit"]'));
    await waitFor(() => expect(chat.store.messages.at(-1)?.parts[0]).toMatchObject({ text: 'We have your request T-482913; we will email ada@example.com.' }), { timeout: 10_000 });
  },
};
